// Tells how an edit was made, from what the editor API lets us see: VS Code reports undo and
// redo; the clipboard says paste; which documents changed together and where the cursor was say
// agent or completion; the shape of the change says the rest. The editor reports neither key
// presses nor the command that made an edit, so each answer comes with how sure it is.
import type { Origin, OriginConfidence } from '../schema/events';

export interface EditShape {
  /** VS Code's TextDocumentChangeReason: 1 undo, 2 redo, undefined otherwise. */
  reason: number | undefined;
  changes: readonly { length: number; text: string }[];
}

/** What was seen around a change besides its shape (editorCapture gathers it). */
export interface EditEvidence extends EditShape {
  /** The inserted text equals the clipboard's (undefined: the clipboard was not read). */
  clipboard?: boolean;
  /** The document is the one in the active editor. */
  activeEditor: boolean;
  /** Another document changed in the same instant: one workspace edit across files. */
  otherDocuments: boolean;
  /** The change starts where a cursor of the active editor was (or ends where it is now). */
  atCursor: boolean;
}

export interface Classified {
  origin: Origin;
  confidence: OriginConfidence;
}

/** A single insert this long (or spanning lines) is not a keystroke. */
const PASTE_MIN_CHARS = 16;

/** An identifier (or member chain), maybe with its call parentheses or snippet's: what the suggest widget inserts. */
const WORD = /^[\p{L}_$][\p{L}\p{N}_$]*(?:\.[\p{L}_$][\p{L}\p{N}_$]*)*(?:\(\)?)?$/u;

/** Origin from the change's shape alone: the first guess, and what a change typed at a key gets at once. */
export function classifyEdit(edit: EditShape): Origin {
  if (edit.reason === 1) return 'undo';
  if (edit.reason === 2) return 'redo';
  const { changes } = edit;
  if (changes.length > 1) {
    const first = changes[0]!;
    const same = changes.every((c) => c.text === first.text && c.length === first.length);
    return same ? 'multiCursor' : 'format';
  }
  const only = changes[0];
  if (!only) return 'editor';
  if (only.text.length <= 2 && only.length <= 1) return 'typing';
  if (only.text.length === 0) return 'typing';
  if (only.text.length >= PASTE_MIN_CHARS || /\n.*\S/.test(only.text)) return 'paste';
  return 'editor';
}

/** Whether the clipboard is worth reading for this edit: one text inserted (at one or more cursors) that is not a keystroke. */
export function pasteCandidate(edit: EditShape): string | undefined {
  const first = edit.changes[0];
  if (!first || first.text.length < 3 || edit.reason !== undefined) return undefined;
  return edit.changes.every((c) => c.text === first.text) ? first.text : undefined;
}

/** The clipboard holds what was inserted (line ends aside: the editor converts them). */
export function sameAsClipboard(inserted: string, clipboard: string): boolean {
  if (clipboard.length === 0) return false;
  const norm = (s: string) => s.replace(/\r\n?/g, '\n');
  return norm(inserted) === norm(clipboard);
}

export function classifyWithEvidence(e: EditEvidence): Classified {
  if (e.reason === 1) return { origin: 'undo', confidence: 'high' };
  if (e.reason === 2) return { origin: 'redo', confidence: 'high' };
  if (e.otherDocuments) return { origin: 'agent', confidence: 'high' };
  if (!e.activeEditor) return { origin: 'agent', confidence: 'medium' };
  if (e.clipboard) return { origin: 'paste', confidence: 'high' };
  const shape = classifyEdit(e);
  if (shape === 'typing') return { origin: 'typing', confidence: 'high' };
  if (e.changes.length > 1) return { origin: shape, confidence: e.atCursor ? 'medium' : 'low' };
  const only = e.changes[0]!;
  const inserted = only.text;
  if (!e.atCursor) return inserted.trim().length > 3 ? { origin: 'agent', confidence: 'low' } : { origin: 'editor', confidence: 'low' };
  // At the cursor, not typed, not the clipboard: a completion. The suggest widget inserts one
  // word over the prefix typed so far; an inline suggestion inserts the rest of a line or more.
  if (inserted.length === 0) return { origin: 'editor', confidence: 'medium' };
  // Enter, with the indentation the editor adds to it.
  if (/^\r?\n[ \t]*$/.test(inserted) && only.length === 0) return { origin: 'typing', confidence: 'medium' };
  if (WORD.test(inserted) && only.length <= inserted.length) return { origin: 'completion.word', confidence: 'medium' };
  if (/^\s*$/.test(inserted)) return { origin: 'editor', confidence: 'medium' };
  if (inserted.trim().length <= 2) return { origin: 'editor', confidence: 'low' };
  return { origin: 'completion.inline', confidence: 'medium' };
}
