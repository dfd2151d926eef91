// Keystrokes → bursts. Consecutive typing in one file becomes one `edit` event whose changes,
// applied in order, give exactly what the keystrokes gave; runs of adjacent inserts and
// backspaces fold into a single change. Other edits (paste, undo, format...) pass through as
// they are, after the open burst of their file is closed, so per-file order is kept.
import type { EventData, Origin, TextChange } from '../schema/events';

export interface EditInput {
  repoId: string;
  file: string;
  /** Document version before and after this change event. */
  fromVersion: number;
  version: number;
  changes: TextChange[];
  origin: Origin;
  ts: number;
  /**
   * Emit on its own, never merged: the edit a buffer snapshot was taken after. Replay skips it
   * (the snapshot already holds it), so no later keystroke may ride along in the same event.
   */
  standalone?: boolean;
}

export interface EditOutput {
  repoId: string;
  origin: Origin;
  ts: number;
  data: EventData<'edit'>;
}

export interface CoalescerOptions {
  /** A pause longer than this ends a burst. */
  idleMs?: number;
  /** A burst is closed once it has this many changes or spans this long. */
  maxChanges?: number;
  maxDurationMs?: number;
}

interface Burst {
  out: EditOutput;
  lastTs: number;
}

export class EditCoalescer {
  private readonly open = new Map<string, Burst>();
  private readonly idleMs: number;
  private readonly maxChanges: number;
  private readonly maxDurationMs: number;

  constructor(
    private readonly emit: (edit: EditOutput) => void,
    options: CoalescerOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 1500;
    this.maxChanges = options.maxChanges ?? 256;
    this.maxDurationMs = options.maxDurationMs ?? 15_000;
  }

  push(input: EditInput): void {
    const key = `${input.repoId}\0${input.file}`;
    const burst = this.open.get(key);
    const typing = input.origin === 'typing' && input.changes.length === 1 && !input.standalone;
    if (burst && typing && this.canExtend(burst, input)) {
      extend(burst.out.data, input.changes[0]!);
      burst.out.data.version = input.version;
      burst.out.data.keystrokes += 1;
      burst.out.data.durationMs = input.ts - burst.out.ts;
      burst.lastTs = input.ts;
      if (burst.out.data.changes.length >= this.maxChanges) this.close(key);
      return;
    }
    if (burst) this.close(key);
    const out: EditOutput = {
      repoId: input.repoId,
      origin: input.origin,
      ts: input.ts,
      data: { file: input.file, fromVersion: input.fromVersion, version: input.version, changes: input.changes.map((c) => ({ ...c })), keystrokes: 1, durationMs: 0 },
    };
    if (typing) this.open.set(key, { out, lastTs: input.ts });
    else this.emit(out);
  }

  /** Emits bursts nobody has typed into for a while; called from the flush timer. */
  closeIdle(now: number): void {
    for (const [key, burst] of this.open) if (now - burst.lastTs >= this.idleMs) this.close(key);
  }

  closeFile(repoId: string, file: string): void {
    this.close(`${repoId}\0${file}`);
  }

  closeAll(): void {
    for (const key of [...this.open.keys()]) this.close(key);
  }

  get openBursts(): number {
    return this.open.size;
  }

  private canExtend(burst: Burst, input: EditInput): boolean {
    const { data } = burst.out;
    return (
      data.version === input.fromVersion &&
      input.ts - burst.lastTs < this.idleMs &&
      input.ts - burst.out.ts < this.maxDurationMs
    );
  }

  private close(key: string): void {
    const burst = this.open.get(key);
    if (!burst) return;
    this.open.delete(key);
    this.emit(burst.out);
  }
}

/**
 * Adds one change to a burst. If it continues the last change (typing right after it, or
 * deleting back into what it inserted), the two become one change; otherwise it is appended.
 */
function extend(data: EventData<'edit'>, next: TextChange): void {
  const last = data.changes[data.changes.length - 1]!;
  const lastText = last.text;
  const nextText = next.text;
  const lastEnd = last.offset + last.textLength;
  if (lastText !== undefined && nextText !== undefined) {
    if (next.length === 0 && next.offset === lastEnd) {
      last.text = lastText + nextText;
      last.textLength = last.text.length;
      return;
    }
    if (next.length > 0 && next.offset >= last.offset && next.offset + next.length === lastEnd) {
      last.text = lastText.slice(0, next.offset - last.offset) + nextText;
      last.textLength = last.text.length;
      return;
    }
  }
  data.changes.push({ ...next });
}
