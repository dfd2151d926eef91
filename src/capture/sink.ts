import type { CaptureSession } from '../core/capture/captureSession';
import type { DiskWriters } from '../core/capture/diskWriters';
import type { AdmittedFile, AdmittedTarget } from '../core/gate/admission';

/** A repository that passed the gate (`admit`): where events go and what its policy allows. */
export type RepoTarget = AdmittedTarget;

/** A file that passed the gate. */
export type CaptureTarget = AdmittedFile;

/** What capture adapters talk to: the gate, and the capture session behind it (whose redactor is the only way text reaches the store). */
export interface CaptureSink {
  readonly session: CaptureSession;
  /**
   * The gate for a file's events; undefined means: record nothing about it. Its targets' ids are
   * the only keys the session records under (core/gate/admission.ts).
   */
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
