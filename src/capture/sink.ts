import type { CaptureSession } from '../core/capture/captureSession';
import type { DiskWriters } from '../core/capture/diskWriters';
import type { Policy } from '../core/gate/policy';

/** A repository that passed the gate: where events go and what its policy allows. */
export interface RepoTarget {
  repoId: string;
  root: string;
  policy: Policy;
}

/** A file that passed the gate. */
export interface CaptureTarget extends RepoTarget {
  relPath: string;
}

/** What capture adapters talk to: the gate, and the capture session behind it (whose redactor is the only way text reaches the store). */
export interface CaptureSink {
  readonly session: CaptureSession;
  /** The gate for a file's events; undefined means: record nothing about it. */
  targetFor(fsPath: string): CaptureTarget | undefined;
  /** The gate for events about a repository rather than a file (terminal commands, git). */
  repoTargetFor(fsPath: string): RepoTarget | undefined;
  /** Every repository recording now. */
  recordingRepos(): RepoTarget[];
  /**
   * For a file the gate would admit but for git's answer on whether it is ignored, which is not
   * in yet: a promise of that answer. Undefined when the gate has decided (either way).
   */
  whenDecided(fsPath: string): Promise<void> | undefined;
  /** Asks git, in the background, whether a path is ignored; the gate refuses it until known. */
  warmIgnore(fsPath: string): Promise<void>;
  /** The terminal commands running, to name the writer of a change on disk (absent: "another process"). */
  readonly writers?: DiskWriters;
  /** Something went wrong that loses nothing already recorded: tell the engineer's log. */
  warn(message: string): void;
}
