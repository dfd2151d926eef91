// The changes of a stored edit event, built from redacted changes only. Folding a change into
// the one before it (typing on at its end, or backspacing into what it typed) gives the same
// document as applying both, so what is stored stays an edit of R(before) into R(after).
import type { RedactedChange } from './documentRedaction';
import type { RedactedText, RedactedTextChange } from './redacted';

/** A redacted change as an edit event stores it. */
export function storedChange(c: RedactedChange): RedactedTextChange {
  return { offset: c.offset, length: c.length, text: c.text, textLength: c.text.length };
}

/**
 * Adds one change to an edit's changes. If it continues the last change (typing right after it,
 * or deleting back into what it inserted), the two become one change; otherwise it is appended.
 */
export function foldChange(changes: RedactedTextChange[], next: RedactedTextChange): void {
  const last = changes[changes.length - 1]!;
  const lastText = last.text;
  const nextText = next.text;
  const lastEnd = last.offset + last.textLength;
  if (lastText !== undefined && nextText !== undefined) {
    if (next.length === 0 && next.offset === lastEnd) {
      last.text = (lastText + nextText) as RedactedText;
      last.textLength = last.text.length;
      return;
    }
    if (next.length > 0 && next.offset >= last.offset && next.offset + next.length === lastEnd) {
      last.text = (lastText.slice(0, next.offset - last.offset) + nextText) as RedactedText;
      last.textLength = last.text.length;
      return;
    }
  }
  changes.push({ ...next });
}
