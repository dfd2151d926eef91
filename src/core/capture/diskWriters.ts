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
/**
 * The shell reports a command's start a moment after it began: on a loaded machine, seconds
 * (the window parses the terminal's output). A change the host heard of after the start was
 * reported is judged from the previous command's end in that terminal instead (see writerAt).
 */
const START_SLACK_MS = 1000;
/** Ended commands are kept this long: a watcher may report a change this late. */
const KEEP_MS = 120_000;

interface Run {
  commandLine: () => string;
  terminal: string;
  startTs: number;
  endTs?: number;
  /** When its terminal was reported opened or done with the command before: it cannot have begun earlier. */
  after: number;
}

export class DiskWriters {
  private readonly runs = new Map<object, Run>();
  /** Per terminal, since when it has been ready for its next command: opened, or its last command ended. */
  private readonly ready = new Map<string, number>();
  /** Waiting for a command start to be reported (the terminal reports it late on a busy machine). */
  private waiting: (() => void)[] = [];

  constructor(private readonly graceMs = WRITER_GRACE_MS) {}

  /** A terminal opened at `ts`: none of its commands began before. */
  opened(terminal: string, ts: number): void {
    this.ready.set(terminal, ts);
  }

  start(key: object, run: { commandLine: () => string; terminal: string; ts: number }): void {
    // A terminal not seen opening (before recording began): its command counts from its start alone.
    const after = this.ready.get(run.terminal) ?? run.ts - START_SLACK_MS;
    this.runs.set(key, { commandLine: run.commandLine, terminal: run.terminal, startTs: run.ts, after });
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
    if (run) {
      run.endTs = ts;
      this.ready.set(run.terminal, ts);
    }
    // Forget runs no change reported from now on can be attributed to.
    for (const [k, r] of this.runs) if (r.endTs !== undefined && ts - r.endTs > KEEP_MS) this.runs.delete(k);
  }

  /**
   * The writer of a change made at `ts`: the latest-started command running then, or another
   * process. `seen`: when the host heard of the change. A command's start marker reaches the
   * window before the watcher's report of what the command then writes, so a command whose start
   * the host had heard of by then counts from its terminal's previous command's end (or its
   * opening), however late its own start was reported.
   */
  writerAt(ts: number, seen = -Infinity): Writer {
    let best: Run | undefined;
    for (const run of this.runs.values()) {
      const began = run.startTs - START_SLACK_MS <= ts || (run.startTs <= seen && run.after <= ts);
      const running = began && (run.endTs === undefined || ts - run.endTs <= this.graceMs);
      if (running && (!best || run.startTs > best.startTs)) best = run;
    }
    if (!best) return { kind: 'process' };
    const commandLine = best.commandLine().trim();
    return { kind: 'terminal', terminal: best.terminal, ...(commandLine ? { commandLine } : {}) };
  }
}
