// VS Code tells the extension host of a save once the file is written, and changes the engineer
// made meanwhile reach the host first: the document's text when the host hears of the save can be
// newer than what the save wrote. The save is recorded as of the text the host has (replay's disk
// then holds it, as the editor's next save will write it: the document is still dirty), and what
// the save really wrote, an earlier text of the same document, is kept here so that the file
// watcher's report of those bytes is not taken for another process's change.
import { readFile, stat } from 'node:fs/promises';
import { readTextFile } from './diskChange';

/** A document change as VS Code reports it: applied in order, each against the result of the previous. */
export interface DocumentChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/** How many of a document's latest changes are kept to tell an earlier text by. */
export const RECENT_CHANGES = 128;

/**
 * How many of a document's latest `changes` came after it held `earlier`: applying that many of
 * the last ones to `earlier` gives `now`. Undefined when no number does: `earlier` is not a text
 * these changes lead on from.
 */
export function changesAfter(earlier: string, now: string, changes: readonly DocumentChange[]): number | undefined {
  // Lengths first: only a count that brings the length to now's is worth applying.
  let growth = 0;
  for (let first = changes.length; first >= 0; first--) {
    if (first < changes.length) growth += changes[first]!.text.length - changes[first]!.rangeLength;
    if (earlier.length + growth !== now.length) continue;
    if (applied(earlier, changes, first) === now) return changes.length - first;
  }
  return undefined;
}

function applied(text: string, changes: readonly DocumentChange[], first: number): string | undefined {
  for (let i = first; i < changes.length; i++) {
    const { rangeOffset, rangeLength, text: inserted } = changes[i]!;
    if (rangeOffset + rangeLength > text.length) return undefined;
    text = text.slice(0, rangeOffset) + inserted + text.slice(rangeOffset + rangeLength);
  }
  return text;
}

/** The files whose last save by the editor wrote an earlier text than the one it was recorded with. */
export class EarlierSaves {
  private readonly written = new Map<string, string>();
  private readonly checking = new Set<Promise<void>>();

  /**
   * After the editor saved `fsPath` holding `now`, with `changes` its latest changes before the
   * save was heard of: reads what the save wrote and keeps it if it is an earlier text of the document.
   */
  check(fsPath: string, now: string, changes: readonly DocumentChange[]): void {
    this.written.delete(fsPath);
    const done = readTextFile(fsPath, { stat, readFile }).then(
      (read) => {
        if (read.state !== 'text' || read.text === now) return;
        if ((changesAfter(read.text, now, changes) ?? 0) > 0) this.written.set(fsPath, read.text);
      },
      // Unreadable now: the watcher's own read says what is there.
      () => undefined,
    );
    this.checking.add(done);
    void done.finally(() => this.checking.delete(done));
  }

  /** Whether `text` on disk is what the editor's last save of the file wrote, an earlier text of its document. */
  wrote(fsPath: string, text: string): boolean {
    return this.written.get(fsPath) === text;
  }

  /** Another change of the file was recorded: bytes equal to the old save's are no longer its. */
  forget(fsPath: string): void {
    this.written.delete(fsPath);
  }

  /** Resolves once every save heard of so far is checked. */
  async settle(): Promise<void> {
    while (this.checking.size > 0) await Promise.all(this.checking);
  }
}
