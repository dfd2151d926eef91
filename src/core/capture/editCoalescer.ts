// Keystrokes → bursts. Consecutive typing in one file becomes one `edit` event whose changes,
// applied in order, give exactly what the keystrokes gave; runs of adjacent inserts and
// backspaces fold into a single change. Other edits (paste, undo, format...) pass through as
// they are, after the open burst of their file is closed, so per-file order is kept.
//
// Changes given with their document's redaction are redacted here, in order with the burst:
// typing waits in a run (see DocumentRedaction) that is settled when the burst closes, or when
// a change that cannot join it arrives, so the lines typed on are scanned once per run. Any
// other change must come redacted already: a burst only ever holds redacted text.
import type { DocumentRedaction, DocumentText, PendingChange, RawChange } from '../redact/documentRedaction';
import { foldChange, storedChange } from '../redact/editChanges';
import type { CapturedData } from '../redact/eventRedaction';
import type { RedactedTextChange } from '../redact/redacted';
import type { EventData, Origin, OriginConfidence, TextChange } from '../schema/events';

interface EditFields {
  repoId: string;
  file: string;
  /** Document version before and after this change event. */
  fromVersion: number;
  version: number;
  origin: Origin;
  /** How sure the origin is; absent for a keystroke (its shape says it). */
  confidence?: OriginConfidence;
  /** Who wrote a change reloaded from disk. */
  writer?: EventData<'edit'>['writer'];
  ts: number;
  /**
   * Emit on its own, never merged: the edit a buffer snapshot was taken after. Replay skips it
   * (the snapshot already holds it), so no later keystroke may ride along in the same event.
   */
  standalone?: boolean;
}

/** The document's redaction state and its text after the change. */
export interface EditRedaction {
  state: DocumentRedaction;
  doc: DocumentText;
}

/**
 * An editor change event: raw changes (editor offsets and text) with the document's redaction,
 * which redacts them here; or changes redacted already (no redaction state to follow: the edit a
 * snapshot was taken after), stored as given.
 */
export type EditInput = EditFields & ({ changes: TextChange[]; redaction: EditRedaction } | { changes: RedactedTextChange[]; redaction?: undefined });

export interface EditOutput {
  repoId: string;
  origin: Origin;
  ts: number;
  data: CapturedData<'edit'>;
}

export interface CoalescerOptions {
  /** A pause longer than this ends a burst. */
  idleMs?: number;
  /** A burst is closed once it has this many changes or spans this long. */
  maxChanges?: number;
  maxDurationMs?: number;
  /** A burst was dropped because its redaction failed (fail closed: nothing of it is written). */
  onRedactionError?: (err: unknown) => void;
}

interface Burst {
  /** Its file's key in the open bursts. */
  key: string;
  out: EditOutput;
  lastTs: number;
  /** A typing run not yet redacted and the state it belongs to; a placeholder stands last in the burst's changes for it. */
  run?: { pending: PendingChange; state: DocumentRedaction };
}

/**
 * A burst open for typing, with its redaction run: the next keystrokes of its file can be added
 * with `typeOn`, which skips `push`'s lookups. Opaque to callers.
 */
export type TypingBurst = Readonly<Pick<Burst, 'key'>>;

export class EditCoalescer {
  private readonly open = new Map<string, Burst>();
  private readonly idleMs: number;
  private readonly maxChanges: number;
  private readonly maxDurationMs: number;

  private readonly onRedactionError: (err: unknown) => void;

  constructor(
    private readonly emit: (edit: EditOutput) => void,
    options: CoalescerOptions = {},
  ) {
    this.onRedactionError = options.onRedactionError ?? (() => undefined);
    this.idleMs = options.idleMs ?? 1500;
    this.maxChanges = options.maxChanges ?? 256;
    this.maxDurationMs = options.maxDurationMs ?? 15_000;
  }

  /** Adds an edit; returns its file's burst if it is now open for typing on (see `typeOn`). */
  push(input: EditInput): TypingBurst | undefined {
    const key = `${input.repoId}\0${input.file}`;
    const burst = this.open.get(key);
    const typing = input.origin === 'typing' && input.changes.length === 1 && !input.standalone;
    if (burst && typing && this.canExtend(burst, input.fromVersion, input.ts)) {
      const data = burst.out.data;
      if (!(input.redaction && burst.run?.state === input.redaction.state && input.redaction.state.extendTyping(burst.run.pending, raw(input.changes[0]!)))) {
        if (!this.settle(key, burst)) return undefined;
        if (!input.redaction) foldChange(data.changes, input.changes[0]!);
        else if (!this.startRun(burst, input.redaction, input.changes[0]!))
          for (const c of input.redaction.state.transform([raw(input.changes[0]!)], input.redaction.doc)) foldChange(data.changes, storedChange(c));
      }
      this.typedOn(burst, input.version, input.ts);
      return this.typingBurst(burst);
    }
    if (burst) this.close(key);
    // One shape for every burst (absent values undefined, which JSON leaves out): a spread of
    // optional keys would make V8 build a new object shape per keystroke.
    const data: CapturedData<'edit'> = {
      file: input.file,
      fromVersion: input.fromVersion,
      version: input.version,
      changes: [],
      keystrokes: 1,
      durationMs: 0,
      confidence: input.confidence,
      writer: input.writer,
    };
    const fresh: Burst = { key, out: { repoId: input.repoId, origin: input.origin, ts: input.ts, data }, lastTs: input.ts, run: undefined };
    if (!input.redaction) fresh.out.data.changes = input.changes.map((c) => ({ ...c }));
    else if (!(typing && this.startRun(fresh, input.redaction, input.changes[0]!)))
      fresh.out.data.changes = input.redaction.state.transform(input.changes.map(raw), input.redaction.doc).map(storedChange);
    if (!typing) {
      this.emit(fresh.out);
      return undefined;
    }
    this.open.set(key, fresh);
    return this.typingBurst(fresh);
  }

  /**
   * One more keystroke (an edit `push` would take as typing) in a burst `push` returned, where
   * `push` would add it to that burst's open typing run: the next version, within the burst's
   * time limits, folding into the run. Records exactly what `push` would. Does nothing and
   * returns false otherwise (or once the burst is closed): the caller then pushes it.
   */
  typeOn(handle: TypingBurst, change: RawChange, version: number, ts: number): boolean {
    const burst = this.open.get(handle.key);
    if (burst !== handle || burst.run === undefined) return false;
    if (!this.canExtend(burst, version - 1, ts) || !burst.run.state.extendTyping(burst.run.pending, change)) return false;
    this.typedOn(burst, version, ts);
    return true;
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

  private canExtend(burst: Burst, fromVersion: number, ts: number): boolean {
    return burst.out.data.version === fromVersion && ts - burst.lastTs < this.idleMs && ts - burst.out.ts < this.maxDurationMs;
  }

  /** A keystroke was added to the burst: it now ends at `version`. */
  private typedOn(burst: Burst, version: number, ts: number): void {
    const { data } = burst.out;
    data.version = version;
    data.keystrokes += 1;
    data.durationMs = ts - burst.out.ts;
    burst.lastTs = ts;
    if (data.changes.length >= this.maxChanges) this.close(burst.key);
  }

  private typingBurst(burst: Burst): TypingBurst | undefined {
    return burst.run !== undefined && this.open.get(burst.key) === burst ? burst : undefined;
  }

  private close(key: string): void {
    const burst = this.open.get(key);
    if (!burst) return;
    if (!this.settle(key, burst)) return;
    this.open.delete(key);
    this.emit(burst.out);
  }

  /** Opens a run for a typed change at the end of the burst; false if it must be redacted now. */
  private startRun(burst: Burst, redaction: EditRedaction, change: TextChange): boolean {
    const pending = redaction.state.startTyping(raw(change), redaction.doc);
    if (!pending) return false;
    burst.run = { pending, state: redaction.state };
    burst.out.data.changes.push({ offset: change.offset, length: 0, textLength: 0 });
    return true;
  }

  /**
   * Puts the redacted change of the burst's run in its place (always the last: anything else
   * settles the run first), folded into the change before it where they continue each other, as
   * keystrokes are. A failure drops the whole burst.
   */
  private settle(key: string, burst: Burst): boolean {
    const { run } = burst;
    if (!run) return true;
    burst.run = undefined;
    try {
      const change = storedChange(run.pending.settle());
      const { data } = burst.out;
      data.changes.pop();
      if (data.changes.length === 0) data.changes.push(change);
      else foldChange(data.changes, change);
      return true;
    } catch (err) {
      this.open.delete(key);
      this.onRedactionError(err);
      return false;
    }
  }
}

function raw(c: TextChange): RawChange {
  return { offset: c.offset, length: c.length, text: c.text ?? '' };
}
