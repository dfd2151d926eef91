// Tells how an edit was made, as well as the editor API allows. VS Code reports undo and redo;
// the rest is inferred from the shape of the change.
import type { Origin } from './schema/events';

export interface EditShape {
  /** VS Code's TextDocumentChangeReason: 1 undo, 2 redo, undefined otherwise. */
  reason: number | undefined;
  changes: readonly { length: number; text: string }[];
  /** Characters that auto-closing or auto-indent may add to one keystroke. */
}

/** A single insert this long (or spanning lines) is not a keystroke. */
const PASTE_MIN_CHARS = 16;

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
