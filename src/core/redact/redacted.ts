// What the store accepts: text and event data that went through the redactor. The brands are
// types only (no runtime cost). Values get them in src/core/redact alone (a lint rule and a test
// refuse `as RedactedText` anywhere else), so capture code that forgets to redact does not compile.
import type { EventData, EventKind, TextChange } from '../schema/events';

declare const redactedText: unique symbol;
/** Text as R left it: a whole redacted text, or a piece of an edit that turns R(before) into R(after). */
export type RedactedText = string & { readonly [redactedText]: true };

declare const redactedData: unique symbol;
/** An event's data with every free-text field redacted: the only data the recorder writes. */
export type RedactedEventData<K extends EventKind> = EventData<K> & { readonly [redactedData]: K };

/** A change as an edit event stores it, its text redacted (absent when the policy keeps metadata only). */
export type RedactedTextChange = Omit<TextChange, 'text'> & { text?: RedactedText };
