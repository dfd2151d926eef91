// The redactor: the one way text becomes `RedactedText` and event data `RedactedEventData`, the
// only forms the store accepts. Capture calls it where the text is made when R needs more than
// the text (a document being edited, the two sides of a diff), and the capture session calls
// `event` on everything else just before the recorder.
import { createPatch } from 'diff';
import type { EventData, EventKind } from '../schema/events';
import { canonicalRedact } from './canonical';
import { DocumentRedaction } from './documentRedaction';
import { redactEventData, type CapturedData } from './eventRedaction';
import type { RedactedEventData, RedactedText } from './redacted';

/** Texts up to this long have their redaction remembered, this many at most. */
const MEMO_MAX_CHARS = 256;
const MEMO_ENTRIES = 1024;

export class Redactor {
  /**
   * R of short texts, which come again and again (file paths, names, labels): R is a function of
   * the text alone (the salt is fixed), so a remembered result is the result. Bounded; oldest out.
   */
  private readonly memo = new Map<string, RedactedText>();

  constructor(private readonly salt: string) {}

  /** R(text). */
  text(raw: string): RedactedText {
    if (raw.length > MEMO_MAX_CHARS) return canonicalRedact(raw, this.salt).text as RedactedText;
    let clean = this.memo.get(raw);
    if (clean === undefined) {
      clean = canonicalRedact(raw, this.salt).text as RedactedText;
      if (this.memo.size >= MEMO_ENTRIES) this.memo.delete(this.memo.keys().next().value!);
      this.memo.set(raw, clean);
    }
    return clean;
  }

  /** A whole document: R of it, and the state that keeps its later edits redacted. */
  document(raw: string): { redaction: DocumentRedaction; redacted: RedactedText } {
    const { redaction, redacted } = DocumentRedaction.fromText(raw, this.salt);
    return { redaction, redacted: redacted as RedactedText };
  }

  /** A unified diff between two redacted texts holds only their lines (and the file's name, redacted too). */
  patch(file: string, before: RedactedText, after: RedactedText): RedactedText {
    const name = this.text(file);
    return createPatch(name, before, after, '', '', { context: 3 }) as RedactedText;
  }

  /**
   * The last pass: R over every free-text field not redacted at its source (those are typed
   * redacted already). Throws if R does; the caller then drops the event (fail closed).
   */
  event<K extends EventKind>(kind: K, data: CapturedData<K>): RedactedEventData<K> {
    return redactEventData(kind, data as EventData<K>, (text) => this.text(text)) as RedactedEventData<K>;
  }
}

/** Data that holds no free text at all (a review decision, a session's end): checked, not redacted, so no salt is needed. */
export function textFree<K extends EventKind>(kind: K, data: EventData<K>): RedactedEventData<K> {
  return redactEventData(kind, data, () => {
    throw new Error(`${kind} holds free text: it needs the redactor`);
  }) as RedactedEventData<K>;
}
