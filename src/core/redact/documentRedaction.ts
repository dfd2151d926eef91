// Redaction of a document that is being edited, keystroke by keystroke, so that the store only
// ever holds the redacted document R(text) and edits that transform R(before) into R(after).
//
// R is line-local (plus whole private-key blocks): each line is redacted on its own, secrets and
// half-typed secrets alike, with deterministic placeholders. The document keeps the placeholder
// spans of its current raw text. An edit that touches no line with a secret (or the beginning of
// one) and lies before every span passes through as it is; any other edit is rewritten as one
// change that replaces the touched lines, in redacted coordinates, with their redaction. A
// secret typed one key at a time therefore never reaches the store, not even in pieces.
import { canonicalFindings, canonicalRedact, type Span } from './canonical';

export interface RawChange {
  offset: number;
  length: number;
  text: string;
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
  transform(changes: readonly RawChange[], doc: DocumentText): RawChange[] {
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
      return changes.map((c) => ({ ...c, offset: c.offset + shift }));
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
    return [{ offset: redactedStart, length: redactedEnd - redactedStart, text: region.text }];
  }

  /** The redacted text of a raw text this state describes (for checks and tests). */
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

/** The range the changes touched, in final coordinates, and how much longer the text got. */
export function touchedRange(changes: readonly RawChange[]): { lo: number; hi: number; delta: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let delta = 0;
  for (const c of changes) {
    const d = c.text.length - c.length;
    if (lo <= hi) {
      // Map the range so far through this change, then add the change's own result.
      const map = (p: number, side: 'lo' | 'hi') => (p <= c.offset ? p : p >= c.offset + c.length ? p + d : side === 'lo' ? c.offset : c.offset + c.text.length);
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
