// Who wrote a file on disk: the terminal commands running (or just ended: file watching reports a
// change a moment after it is made) when a change was seen. The command line is read when it is
// needed, since the shell may only say it in full once the command has run.
import type { EventData } from '../schema/events';

export type Writer = NonNullable<EventData<'file.external'>['writer']>;

/**
 * A file written this long after a command ended is still its doing. Compared with the file's
 * modification time (when it was written, not when the watcher reported it, which can be seconds
 * later on a busy machine): the slack is for timestamp granularity and output still being flushed.
 */
export const WRITER_GRACE_MS = 1000;
/** The shell reports a command's start a moment after it began. */
const START_SLACK_MS = 1000;
/** Ended commands are kept this long: a watcher may report a change this late. */
const KEEP_MS = 120_000;

interface Run {
  commandLine: () => string;
  terminal: string;
  startTs: number;
  endTs?: number;
}

export class DiskWriters {
  private readonly runs = new Map<object, Run>();
  /** Waiting for a command start to be reported (the terminal reports it late on a busy machine). */
  private waiting: (() => void)[] = [];

  constructor(private readonly graceMs = WRITER_GRACE_MS) {}

  start(key: object, run: { commandLine: () => string; terminal: string; ts: number }): void {
    this.runs.set(key, { commandLine: run.commandLine, terminal: run.terminal, startTs: run.ts });
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /**
   * The writer of a change made at `ts`, waiting up to `waitMs` for the terminal to report a
   * command that may have made it: the file watcher can report a change before the terminal
   * (whose shell integration is parsed in the window) reports that the command started.
   */
  async writerOf(ts: number, waitMs: number): Promise<Writer> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const writer = this.writerAt(ts);
      const left = deadline - Date.now();
      if (writer.kind === 'terminal' || left <= 0) return writer;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  end(key: object, ts: number): void {
    const run = this.runs.get(key);
    if (run) run.endTs = ts;
    // Forget runs no change reported from now on can be attributed to.
    for (const [k, r] of this.runs) if (r.endTs !== undefined && ts - r.endTs > KEEP_MS) this.runs.delete(k);
  }

  /** The writer of a change made at `ts`: the latest-started command running then, or another process. */
  writerAt(ts: number): Writer {
    let best: Run | undefined;
    for (const run of this.runs.values()) {
      const running = run.startTs - START_SLACK_MS <= ts && (run.endTs === undefined || ts - run.endTs <= this.graceMs);
      if (running && (!best || run.startTs > best.startTs)) best = run;
    }
    if (!best) return { kind: 'process' };
    const commandLine = best.commandLine().trim();
    return { kind: 'terminal', terminal: best.terminal, ...(commandLine ? { commandLine } : {}) };
  }
}
