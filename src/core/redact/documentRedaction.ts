// Redaction of a document that is being edited, keystroke by keystroke, so that the store only
// ever holds the redacted document R(text) and edits that transform R(before) into R(after).
//
// R is line-local (plus whole private-key blocks): each line is redacted on its own, secrets and
// half-typed secrets alike, with deterministic placeholders. The document keeps the placeholder
// spans of its current raw text. An edit that touches no line with a secret (or the beginning of
// one) and lies before every span passes through as it is; any other edit is rewritten as one
// change that replaces the touched lines, in redacted coordinates, with their redaction. A
// secret typed one key at a time therefore never reaches the store, not even in pieces.
//
// Typing is redacted once per run instead of once per keystroke: keystrokes that fold into one
// change (typed on, or backspaced, at its end) are kept as a run, with a copy of the lines
// around it, and judged when the run settles (its burst is closed, or a change that cannot join
// arrives). Lines clean before and after: the run is that one change; otherwise it becomes one
// change replacing the lines with their redaction, so nothing of what was typed is kept unless
// it is part of R(document). Nothing is stored before a run settles.
import { canonicalFindings, canonicalRedact, type Span } from './canonical';
import type { RedactedText } from './redacted';

export interface RawChange {
  offset: number;
  length: number;
  text: string;
}

/** A change to store: in redacted coordinates, turning R(before) into R(after). */
export interface RedactedChange extends RawChange {
  text: RedactedText;
}

/** What the redaction needs of the document as it is after the change event. */
export interface DocumentText {
  /** The text in [start, end). */
  slice(start: number, end: number): string;
  /** Offset where the line holding `offset` starts, and where it ends (before its line break). */
  lineStart(offset: number): number;
  lineEnd(offset: number): number;
  length: number;
}

/** A typed change whose redaction waits until its run settles. */
export interface PendingChange {
  /** The change to store, in redacted coordinates (the same on every call); throws if redaction fails. */
  settle(): RedactedChange;
}

/** A plain string as the redaction sees a document (the CLI, tests and benchmarks). */
export function stringDocument(text: string): DocumentText {
  return {
    length: text.length,
    slice: (start, end) => text.slice(start, end),
    lineStart: (offset) => (offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0),
    lineEnd: (offset) => {
      const nl = text.indexOf('\n', offset);
      return nl === -1 ? text.length : nl;
    },
  };
}

/** How far to look for the other end of a private-key block (the detector takes up to 64 KiB). */
const MAX_BLOCK_SCAN = 70 * 1024;

export class DocumentRedaction {
  /** Placeholders in the current raw text, sorted and disjoint. */
  private spans: Span[];
  /**
   * Whether the text may hold a private-key marker (`-----`). Until it does, no key block can
   * reach across lines and the costly look around a change is skipped. Never reset: a marker
   * once typed keeps the careful path.
   */
  private mayHaveKeyMarkers: boolean;
  /** The run being typed, if any; spans after it are shifted only when it settles. */
  private run: TypingRun | undefined;
  /** A run failed to settle: the spans no longer match the text, so nothing more is redacted (fail closed). */
  private lost = false;

  private constructor(
    private readonly salt: string,
    spans: Span[],
    mayHaveKeyMarkers: boolean,
  ) {
    this.spans = spans;
    this.mayHaveKeyMarkers = mayHaveKeyMarkers;
  }

  /** Starts from a whole text (a snapshot): returns its redaction and the state to follow edits. */
  static fromText(text: string, salt: string): { redaction: DocumentRedaction; redacted: string } {
    const { text: redacted, spans } = canonicalRedact(text, salt);
    return { redaction: new DocumentRedaction(salt, spans, text.includes('-----')), redacted };
  }

  get hasSecrets(): boolean {
    return this.spans.length > 0;
  }

  /**
   * The changes to record for one editor change event (changes applied in order, raw offsets),
   * given the document after it. Returns them untouched on the fast path.
   */
  transform(changes: readonly RawChange[], doc: DocumentText): RedactedChange[] {
    this.run?.settle();
    this.checkKept();
    const { lo, hi, delta } = touchedRange(changes);
    const lines = linesAround(doc, lo, hi);
    if (!this.mayHaveKeyMarkers && lines.text.includes('-----')) this.mayHaveKeyMarkers = true;
    const touched = this.mayHaveKeyMarkers ? { ...widenToKeyBlock(doc, lines.start, lines.end), text: '' } : lines;
    if (touched !== lines) touched.text = doc.slice(touched.start, touched.end);
    const touchedPrevEnd = touched.end - delta;
    const spanInLines = this.spans.some((s) => s.end > touched.start && s.start < touchedPrevEnd);
    // Fast path: the touched lines hold no secret before or after the change. Spans before them
    // only move the change's offset (one change at a time: a multi-cursor edit with secrets
    // above it takes the slow path rather than shifting each cursor).
    if (!spanInLines && (changes.length === 1 || !this.spans.some((s) => s.start < touched.start)) && canonicalFindings(touched.text).length === 0) {
      const shift = this.toRedacted(touched.start) - touched.start;
      this.shiftSpans(touchedPrevEnd, delta);
      // Lines without a secret, before and after: their change is already R's.
      return changes.map((c) => ({ offset: c.offset + shift, length: c.length, text: c.text as RedactedText }));
    }
    // Slow path: whole touched lines, widened to every span they meet and to whole key blocks.
    // Spans before the change keep their offsets; spans after it move by `delta`.
    let { start, end } = touched;
    for (;;) {
      if (this.mayHaveKeyMarkers) ({ start, end } = widenToKeyBlock(doc, start, end));
      let wideStart = start;
      let wideEnd = end;
      for (const span of this.spans) {
        if (span.end > start && span.start < end - delta) {
          wideStart = Math.min(wideStart, span.start);
          wideEnd = Math.max(wideEnd, span.end + delta);
        }
      }
      wideStart = doc.lineStart(wideStart);
      wideEnd = doc.lineEnd(wideEnd);
      if (wideStart === start && wideEnd === end) break;
      start = wideStart;
      end = wideEnd;
    }
    const prevStart = start;
    const prevEnd = end - delta;
    const redactedStart = this.toRedacted(prevStart);
    const redactedEnd = this.toRedacted(prevEnd);
    const region = canonicalRedact(doc.slice(start, end), this.salt);
    this.spans = [
      ...this.spans.filter((s) => s.end <= prevStart),
      ...region.spans.map((s) => ({ ...s, start: s.start + start, end: s.end + start })),
      ...this.spans.filter((s) => s.start >= prevEnd).map((s) => ({ ...s, start: s.start + delta, end: s.end + delta })),
    ];
    return [{ offset: redactedStart, length: redactedEnd - redactedStart, text: region.text as RedactedText }];
  }

  /**
   * Starts a run with one change (raw offsets; `doc` is the document after it) if it can wait:
   * no key-block marker anywhere yet, and no secret reaching beyond its lines. Otherwise returns undefined and
   * the caller uses `transform`. Reads only the touched lines, and scans nothing.
   */
  startTyping(change: RawChange, doc: DocumentText): PendingChange | undefined {
    this.run?.settle();
    this.checkKept();
    if (this.mayHaveKeyMarkers) return undefined;
    const { offset, length, text } = change;
    const lines = linesAround(doc, offset, offset + text.length);
    if (lines.text.includes('-----')) return undefined;
    const delta = text.length - length;
    const prevEnd = lines.end - delta;
    // Secrets on these lines are fine (the run then always settles as a rewrite of them), but
    // one reaching beyond them would be judged without its other part.
    if (this.spans.some((s) => s.end > lines.start && s.start < prevEnd && (s.start < lines.start || s.end > prevEnd))) return undefined;
    const at = offset - lines.start;
    this.run = new TypingRun(this, lines.start, lines.text.slice(0, at), lines.text.slice(at + text.length), offset, length, text, prevEnd - lines.start);
    return this.run;
  }

  /**
   * Adds a keystroke to the open run `run` if it folds into its change (typed at its end, or
   * deleting back into what it typed) and makes no key-block marker; otherwise returns false, and
   * the caller settles the run and starts again. O(1): no document access, no scan.
   */
  extendTyping(run: PendingChange, change: RawChange): boolean {
    if (run !== this.run) return false;
    const r = this.run;
    const end = r.offset + r.text.length;
    let text: string;
    if (change.length === 0 && change.offset === end) text = r.text + change.text;
    else if (change.length > 0 && change.offset >= r.offset && change.offset + change.length === end)
      text = r.text.slice(0, change.offset - r.offset) + change.text;
    else return false;
    if (change.length > 0 || change.text.includes('-')) {
      // A marker can only appear where characters were just typed or joined.
      const near = (r.pre.slice(-4) + text).slice(-(change.text.length + 4)) + r.post.slice(0, 4);
      if (near.includes('-----')) return false;
    }
    r.text = text;
    return true;
  }

  private checkKept(): void {
    if (this.lost) throw new Error('the redaction of this document was lost when a run failed to settle');
  }

  /** Judges a run once (called by the run): its lines, as typed, are scanned and the spans brought up to date. */
  settleRun(run: TypingRun): RedactedChange {
    if (this.run === run) this.run = undefined;
    this.checkKept();
    this.lost = true; // until the spans are up to date again
    const region = run.pre + run.text + run.post;
    // Runs never hold a marker (checked as they grow); judged without the lines around, one would be misjudged.
    if (region.includes('-----')) throw new Error('a typing run holds a private-key marker');
    const delta = region.length - run.prevLength;
    const prevEnd = run.start + run.prevLength;
    const shift = this.toRedacted(run.start) - run.start;
    const found = canonicalRedact(region, this.salt);
    // What the store holds of these lines now: their raw text, with the secrets they held as placeholders.
    let storedLength = run.prevLength;
    let held = false;
    for (const s of this.spans) {
      if (s.start < run.start || s.end > prevEnd) continue;
      storedLength += s.placeholder.length - (s.end - s.start);
      held = true;
    }
    this.lost = false;
    if (!held && found.spans.length === 0) {
      this.shiftSpans(prevEnd, delta);
      return { offset: run.offset + shift, length: run.length, text: run.text as RedactedText };
    }
    this.spans = [
      ...this.spans.filter((s) => s.end <= run.start),
      ...found.spans.map((s) => ({ ...s, start: s.start + run.start, end: s.end + run.start })),
      ...this.spans.filter((s) => s.start >= prevEnd).map((s) => ({ ...s, start: s.start + delta, end: s.end + delta })),
    ];
    return { offset: run.start + shift, length: storedLength, text: found.text as RedactedText };
  }

  /** The redacted text of a raw text this state describes, with no run open (for checks and tests). */
  apply(raw: string): string {
    let out = '';
    let at = 0;
    for (const span of this.spans) {
      out += raw.slice(at, span.start) + span.placeholder;
      at = span.end;
    }
    return out + raw.slice(at);
  }

  /** A raw offset (not inside a span) in redacted coordinates. */
  private toRedacted(offset: number): number {
    let shift = 0;
    for (const span of this.spans) {
      if (span.end > offset) break;
      shift += span.placeholder.length - (span.end - span.start);
    }
    return offset + shift;
  }

  private shiftSpans(from: number, delta: number): void {
    if (delta === 0) return;
    for (const span of this.spans) {
      if (span.start >= from) {
        span.start += delta;
        span.end += delta;
      }
    }
  }
}

/**
 * Keystrokes folded into one change, with the whole lines around it: `pre` + `text` + `post` is
 * the raw text of those lines now, and `prevLength` their raw length before the run. Lines that
 * held no secret and hold none now settle as the one typed change; any other run settles as one
 * change replacing the lines' stored text with their redaction.
 */
class TypingRun implements PendingChange {
  private result: RedactedChange | undefined;
  private failure: unknown;

  constructor(
    private readonly owner: DocumentRedaction,
    readonly start: number,
    readonly pre: string,
    readonly post: string,
    readonly offset: number,
    readonly length: number,
    public text: string,
    readonly prevLength: number,
  ) {}

  settle(): RedactedChange {
    if (this.failure !== undefined) throw this.failure;
    if (!this.result) {
      try {
        this.result = this.owner.settleRun(this);
      } catch (err) {
        this.failure = err ?? new Error('redaction failed');
        throw err;
      }
    }
    return this.result;
  }
}

/** The range the changes touched, in final coordinates, and how much longer the text got. */
export function touchedRange(changes: readonly RawChange[]): { lo: number; hi: number; delta: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let delta = 0;
  for (const c of changes) {
    const d = c.text.length - c.length;
    if (lo <= hi) {
      // Map the range so far through this change, then add the change's own result.
      const map = (p: number, side: 'lo' | 'hi') =>
        p <= c.offset ? p : p >= c.offset + c.length ? p + d : side === 'lo' ? c.offset : c.offset + c.text.length;
      lo = map(lo, 'lo');
      hi = map(hi, 'hi');
    }
    lo = Math.min(lo, c.offset);
    hi = Math.max(hi, c.offset + c.text.length);
    delta += d;
  }
  return { lo, hi, delta };
}

function linesAround(doc: DocumentText, lo: number, hi: number): { start: number; end: number; text: string } {
  const start = doc.lineStart(lo);
  const end = doc.lineEnd(Math.max(lo, hi));
  return { start, end, text: doc.slice(start, end) };
}

/**
 * A region that meets a private-key block grows to the whole block (from the first BEGIN not yet
 * closed before it to the first END after it), so the block is judged whole, as it is when the
 * whole document is redacted.
 */
function widenToKeyBlock(doc: DocumentText, start: number, end: number): { start: number; end: number } {
  const from = Math.max(0, start - MAX_BLOCK_SCAN);
  const before = doc.slice(from, start);
  const lastEnd = before.lastIndexOf('-----END');
  const open = before.indexOf('-----BEGIN', lastEnd === -1 ? 0 : lastEnd);
  if (open !== -1) start = doc.lineStart(from + open);
  const region = doc.slice(start, end);
  if (region.lastIndexOf('-----BEGIN') > region.lastIndexOf('-----END')) {
    // Up to its END line; a block with no END yet runs over the lines after it, as the
    // detector reads it, so everything up to the scan limit is judged with it.
    const after = doc.slice(end, Math.min(doc.length, end + MAX_BLOCK_SCAN));
    const close = after.indexOf('-----END');
    end = doc.lineEnd(close !== -1 ? end + close : Math.min(doc.length, end + MAX_BLOCK_SCAN));
  }
  return { start, end };
}
