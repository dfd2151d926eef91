// Who wrote a file on disk: the terminal commands running (or just ended: file watching reports a
// change a moment after it is made) when a change was seen. The command line is read when it is
// needed, since the shell may only say it in full once the command has run.
import type { EventData } from '../schema/events';

export type Writer = NonNullable<EventData<'file.external'>['writer']>;

/** A change seen this long after a command ended is still its doing (watchers batch and lag). */
export const WRITER_GRACE_MS = 2000;

interface Run {
  commandLine: () => string;
  terminal: string;
  startTs: number;
  endTs?: number;
}

export class DiskWriters {
  private readonly runs = new Map<object, Run>();

  constructor(private readonly graceMs = WRITER_GRACE_MS) {}

  start(key: object, run: { commandLine: () => string; terminal: string; ts: number }): void {
    this.runs.set(key, { commandLine: run.commandLine, terminal: run.terminal, startTs: run.ts });
  }

  end(key: object, ts: number): void {
    const run = this.runs.get(key);
    if (run) run.endTs = ts;
    // Forget runs no change can be attributed to any more.
    for (const [k, r] of this.runs) if (r.endTs !== undefined && ts - r.endTs > this.graceMs) this.runs.delete(k);
  }

  /** The writer of a change seen at `ts`: the latest-started command running then, or another process. */
  writerAt(ts: number): Writer {
    let best: Run | undefined;
    for (const run of this.runs.values()) {
      const running = run.startTs <= ts && (run.endTs === undefined || ts - run.endTs <= this.graceMs);
      if (running && (!best || run.startTs > best.startTs)) best = run;
    }
    if (!best) return { kind: 'process' };
    const commandLine = best.commandLine().trim();
    return { kind: 'terminal', terminal: best.terminal, ...(commandLine ? { commandLine } : {}) };
  }
}
