// The editor: document edits (with a buffer snapshot the first time replay needs one), open,
// close, save, focus, cursor and viewport. Thin: gate, coalescing and storage live in core.
import vscode = require('vscode');
import { readFileSync } from 'node:fs';
import { classifyEdit, classifyWithEvidence, pasteCandidate, sameAsClipboard, type Classified } from '../core/capture/editOrigin';
import { gitBlobId } from '../core/base/hash';
import { stringDocument, type DocumentRedaction, type DocumentText } from '../core/redact/documentRedaction';
import { KeyedThrottle } from '../core/capture/throttle';
import { RECENT_CHANGES, type EarlierSaves } from '../core/capture/earlierSaves';
import type { Origin, OriginConfidence } from '../core/schema/events';
import type { TypingBurst } from '../core/capture/editCoalescer';
import type { CaptureSink, CaptureTarget } from './sink';

/** Text documents larger than this keep a marker, not content. */
export const MAX_DOCUMENT_CHARS = 2 * 1024 * 1024;
const SELECTION_THROTTLE_MS = 500;
const VIEWPORT_THROTTLE_MS = 1000;
const MAX_SELECTIONS = 20;
const SELECTION_KIND: Record<number, 'keyboard' | 'mouse' | 'command'> = { 1: 'keyboard', 2: 'mouse', 3: 'command' };
/**
 * Changes to other documents this close in time belong to the same workspace edit: VS Code
 * applies one to every document together and reports each at once. Also how long a change
 * that needs evidence waits for them before it is processed.
 */
const WORKSPACE_EDIT_MS = 60;
/** A clipboard read this recent answers for the next change too (one paste at several cursors, or in several documents). */
const CLIPBOARD_FRESH_MS = 100;
/** A document edited this recently, at the cursor, is being edited, not reloaded. */
const RELOAD_QUIET_MS = 3000;

/**
 * A document change as the editor reported it, with what processing it later needs. A change
 * held while the gate waits for git carries the text right after it (`textAfter`), since the
 * live document will have moved on by the time it is processed.
 */
interface ObservedChange {
  doc: vscode.TextDocument;
  changes: readonly vscode.TextDocumentContentChangeEvent[];
  reason: vscode.TextDocumentChangeReason | undefined;
  version: number;
  /** VS Code reloaded the document from disk: the change is not the engineer's. */
  fromDisk: boolean;
  ts: number;
  textAfter?: string;
  /** How it was made, once the evidence is in; undefined: from its shape (a keystroke). */
  classified?: Classified;
  /** The evidence still being gathered (the clipboard, other documents changing with it). */
  pending?: Promise<Classified>;
}

/** A save made while changes before it were held: recorded in its place among them. */
interface HeldSave {
  doc: vscode.TextDocument;
  saved: { version: number; text: string };
}

type Held = ObservedChange | HeldSave;

/**
 * The document being typed in, while its keystrokes can go straight to their open burst
 * (`CaptureSession.typeOn`) instead of through everything a change needs the first time. Whatever
 * would make the full path decide differently ends it: another change to the document, a save,
 * a close, another active editor; the gate is asked on every keystroke still.
 */
interface TypingRun {
  doc: vscode.TextDocument;
  key: string;
  fsPath: string;
  target: CaptureTarget;
  burst: TypingBurst;
  /** The document version last recorded. */
  version: number;
  /** This document's entries in `lastChange` and `lengths`, kept up to date in place. */
  lastChange: { ts: number; seq: number };
  length: { version: number; length: number };
  /** This document's entry in `recent`. */
  recent: vscode.TextDocumentContentChangeEvent[];
}

export class EditorCapture implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Last document version recorded per document, to chain edits. */
  private readonly versions = new Map<string, number>();
  /** Documents over the size cap, already marked. */
  private readonly oversized = new Set<string>();
  /** Each recorded document's length at a version, to check the size cap without asking the editor. */
  private readonly lengths = new Map<string, { version: number; length: number }>();
  /** When each document was last edited, to tell typing's cursor moves from navigation. */
  private readonly lastEdit = new Map<string, number>();
  /** Per document with a buffer snapshot: the secrets in it, to keep edits redacted. */
  private readonly redactions = new Map<string, DocumentRedaction>();
  /**
   * The text of open, recordable documents not edited yet, so that the first edit can be
   * recorded after a snapshot of the text before it (the editor reports changes, not what they
   * replaced). Dropped once used, or when the document closes.
   */
  private readonly before = new Map<string, { text: string; version: number }>();
  /**
   * Changes to documents the gate cannot decide yet (git has not said whether the file is
   * ignored), in order. They are processed, or dropped, once it has: a keystroke made in that
   * instant is neither lost nor recorded before the gate has said yes.
   */
  private readonly held = new Map<string, Held[]>();
  /** Queues of documents closed before their changes were processed: still processed, then the close recorded. */
  private readonly closing = new Set<Held[]>();
  /** Per held document, when its queue is processed: a close waits for it, to stay after its edits. */
  private readonly draining = new Map<string, Promise<void>>();
  /** The gate's pending answers for held documents, so a flush can wait for them. */
  private readonly deciding = new Set<Promise<void>>();
  /**
   * Documents the engineer has seen in an editor since they were opened. Extensions open
   * documents in the background (the npm extension reads package.json to find scripts, language
   * servers read their configuration): that is not the engineer opening a file.
   */
  private readonly shown = new Set<string>();
  /**
   * Documents changed since they were opened or last saved. Only a document with no change of
   * its own since can be reloaded from disk: VS Code's dirty flag can still say clean for the
   * first change after a save, and a save landing right after a change makes disk equal it.
   */
  private readonly changedSinceSave = new Set<string>();
  /** When each document last changed (any change): which documents one workspace edit touched. */
  private readonly lastChange = new Map<string, { ts: number; seq: number }>();
  private clipboard?: { ts: number; text: Promise<string> };
  /** The document being typed in, while its next keystroke may take the short path (`typeOn`). */
  private typing: TypingRun | undefined;
  /** Counts changes, so that a document's last change is told from a later one in the same millisecond. */
  private changeSeq = 0;
  /** Each document's latest changes since its last save, as received: what a save reported late wrote is told by them. */
  private readonly recent = new Map<string, vscode.TextDocumentContentChangeEvent[]>();
  private readonly selections: KeyedThrottle<vscode.TextEditorSelectionChangeEvent>;
  private readonly viewports: KeyedThrottle<vscode.TextEditor>;

  constructor(
    private readonly sink: CaptureSink,
    private readonly earlierSaves: EarlierSaves,
  ) {
    this.selections = new KeyedThrottle(SELECTION_THROTTLE_MS, (key, e) => this.recordSelection(key, e));
    this.viewports = new KeyedThrottle(VIEWPORT_THROTTLE_MS, (_key, editor) => this.recordViewport(editor));
    const ws = vscode.workspace;
    const win = vscode.window;
    ws.onDidChangeTextDocument(this.onDidChange, this, this.disposables);
    ws.onDidOpenTextDocument(this.onDidOpen, this, this.disposables);
    ws.onDidCloseTextDocument(this.onDidClose, this, this.disposables);
    ws.onDidSaveTextDocument(this.onDidSave, this, this.disposables);
    win.onDidChangeActiveTextEditor(this.onDidChangeActiveEditor, this, this.disposables);
    win.onDidChangeVisibleTextEditors(this.onDidChangeVisibleEditors, this, this.disposables);
    win.onDidChangeTextEditorSelection((e) => this.selections.push(e.textEditor.document.uri.toString(), e), this, this.disposables);
    win.onDidChangeTextEditorVisibleRanges((e) => this.viewports.push(e.textEditor.document.uri.toString(), e.textEditor), this, this.disposables);
    win.onDidChangeWindowState(this.onDidChangeWindowState, this, this.disposables);
    for (const doc of ws.textDocuments) void this.sink.warmIgnore(doc.uri.fsPath);
    // Already on screen when recording starts: not opened now, but their closing is the engineer's.
    for (const editor of win.visibleTextEditors) this.shown.add(editor.document.uri.toString());
  }

  /** Delivers throttled cursor and viewport moves now (before a flush). */
  drain(): void {
    this.selections.drain();
    this.viewports.drain();
  }

  private target(doc: vscode.TextDocument): CaptureTarget | undefined {
    return doc.uri.scheme === 'file' ? this.sink.targetFor(doc.uri.fsPath) : undefined;
  }

  private onDidChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const doc = e.document;
    if (this.typing?.doc === doc) {
      if (this.typeOn(this.typing, e)) return;
      this.typing = undefined;
    }
    const key = doc.uri.toString();
    if (doc.uri.scheme === 'file') this.recentChanges(key).push(...e.contentChanges);
    const ts = Date.now();
    const previous = this.lastChange.get(key)?.ts;
    const seq = ++this.changeSeq;
    this.lastChange.set(key, { ts, seq });
    // A change at the cursor right after others is the engineer's, even when a save racing it has
    // already made disk equal the document (an editor's own save can land between its events).
    const fromDisk =
      !this.changedSinceSave.has(key) && !(previous !== undefined && ts - previous < RELOAD_QUIET_MS && atCursor(e)) && reloadedFromDisk(doc, e.reason);
    // An undo back to the saved text leaves it clean again (VS Code would reload it).
    if (!fromDisk) {
      if (e.reason !== undefined && !doc.isDirty) this.changedSinceSave.delete(key);
      else this.changedSinceSave.add(key);
    }
    // A keystroke in the active editor is answered from its shape at once; anything else waits
    // (off the typing path) for its evidence: the clipboard, and whether other documents changed with it.
    const pending = !fromDisk && (!isKeystroke(e) || vscode.window.activeTextEditor?.document !== doc) ? this.evidence(e, ts, seq) : undefined;
    // Every key present from the start: one object shape for V8 on the typing path.
    const observed: ObservedChange = {
      doc,
      changes: e.contentChanges,
      reason: e.reason,
      version: doc.version,
      fromDisk,
      ts,
      textAfter: undefined,
      classified: undefined,
      pending,
    };
    const queue = this.held.get(key);
    if (queue) {
      observed.textAfter = doc.getText();
      queue.push(observed);
      return;
    }
    const target = this.target(doc);
    if (target && !observed.pending) {
      // Not evidence-bound: a keystroke in the active editor, or the disk's text (never typing).
      const burst = this.processChange(observed, target);
      this.typing = burst && this.typingRun(doc, key, target, burst, observed.version);
      return;
    }
    const decided = target ? Promise.resolve() : doc.uri.scheme === 'file' ? this.sink.whenDecided(doc.uri.fsPath) : undefined;
    if (!decided) return;
    observed.textAfter = doc.getText();
    const held: Held[] = [observed];
    this.held.set(key, held);
    const released = decided.then(() => this.releaseHeld(key, held));
    this.draining.set(key, released);
    this.deciding.add(released);
    void released.finally(() => this.deciding.delete(released));
  }

  /**
   * A keystroke typed on in the document of `run`: recorded with `CaptureSession.typeOn` if
   * the full path would only have added it to the run's burst. False, with nothing done, otherwise.
   */
  private typeOn(run: TypingRun, e: vscode.TextDocumentChangeEvent): boolean {
    // The shape that classifies as typing and needs no evidence (see isKeystroke).
    if (e.reason !== undefined || e.contentChanges.length !== 1) return false;
    const c = e.contentChanges[0]!;
    const { text, rangeLength } = c;
    if (rangeLength > 1 || text.length > 2) return false;
    const version = run.doc.version;
    const length = run.length.length + text.length - rangeLength;
    if (version !== run.version + 1 || length > MAX_DOCUMENT_CHARS) return false;
    if (this.sink.targetFor(run.fsPath) !== run.target) return false;
    const ts = Date.now();
    if (!this.sink.session.typeOn(run.burst, { offset: c.rangeOffset, length: rangeLength, text }, version, ts)) return false;
    run.version = version;
    run.length.version = version;
    run.length.length = length;
    run.lastChange.ts = ts;
    run.lastChange.seq = ++this.changeSeq;
    run.recent.push(c);
    if (run.recent.length > 2 * RECENT_CHANGES) run.recent.splice(0, run.recent.length - RECENT_CHANGES);
    this.versions.set(run.key, version);
    this.lastEdit.set(run.key, ts);
    return true;
  }

  private typingRun(doc: vscode.TextDocument, key: string, target: CaptureTarget, burst: TypingBurst, version: number): TypingRun | undefined {
    const lastChange = this.lastChange.get(key);
    const length = this.lengths.get(key);
    if (!lastChange || length?.version !== version) return undefined;
    return { doc, key, fsPath: doc.uri.fsPath, target, burst, version, lastChange, length, recent: this.recentChanges(key) };
  }

  private recentChanges(key: string): vscode.TextDocumentContentChangeEvent[] {
    let recent = this.recent.get(key);
    if (!recent) this.recent.set(key, (recent = []));
    else if (recent.length > 2 * RECENT_CHANGES) recent.splice(0, recent.length - RECENT_CHANGES);
    return recent;
  }

  /** How a change that is not a keystroke was made: waits for the clipboard and for the rest of a workspace edit. */
  private async evidence(e: vscode.TextDocumentChangeEvent, ts: number, seq: number): Promise<Classified> {
    const doc = e.document;
    const editor = vscode.window.activeTextEditor;
    const activeEditor = editor?.document === doc;
    const shape = shapeOf(e);
    const cursor = activeEditor && atCursor(e);
    const candidate = activeEditor ? pasteCandidate(shape) : undefined;
    const [clipboard] = await Promise.all([
      candidate === undefined
        ? undefined
        : this.clipboardText().then(
            (text) => sameAsClipboard(candidate, text),
            () => undefined,
          ),
      new Promise((resolve) => setTimeout(resolve, WORKSPACE_EDIT_MS)),
    ]);
    const key = doc.uri.toString();
    // A workspace edit changes each document once; a later change here (the engineer typing on)
    // means the other documents' changes came after, not with this one.
    let otherDocuments = false;
    if (this.lastChange.get(key)?.seq === seq)
      for (const [other, at] of this.lastChange) if (other !== key && Math.abs(at.ts - ts) <= WORKSPACE_EDIT_MS) otherDocuments = true;
    return classifyWithEvidence({ ...shape, clipboard, activeEditor, otherDocuments, atCursor: cursor });
  }

  /** The clipboard's text, read at most once per burst of changes; only compared, never stored. */
  private clipboardText(): Promise<string> {
    const now = Date.now();
    if (!this.clipboard || now - this.clipboard.ts > CLIPBOARD_FRESH_MS) this.clipboard = { ts: now, text: Promise.resolve(vscode.env.clipboard.readText()) };
    return this.clipboard.text;
  }

  /** Resolves once every held change has been processed or dropped (before a flush). */
  async settle(): Promise<void> {
    while (this.deciding.size > 0) await Promise.all(this.deciding);
    await this.earlierSaves.settle();
  }

  /**
   * Processes the changes held for a document, in order, once the gate has decided and each
   * one's evidence is in; or drops them. Changes that arrive meanwhile join the queue.
   */
  private async releaseHeld(key: string, queue: Held[]): Promise<void> {
    while (queue.length > 0) {
      const observed = queue[0]!;
      if (!('saved' in observed) && observed.pending) {
        observed.classified = await observed.pending;
        observed.pending = undefined;
      }
      if (this.held.get(key) !== queue && !this.closing.has(queue)) return; // recording stopped meanwhile
      queue.shift();
      if ('saved' in observed) {
        this.recordSave(observed.doc, observed.saved);
        continue;
      }
      const target = this.target(observed.doc);
      if (!target) {
        this.before.delete(key);
        break;
      }
      this.processChange(observed, target);
    }
    if (this.held.get(key) === queue) this.held.delete(key);
    this.closing.delete(queue);
  }

  /** Records a change; returns its file's burst if the next keystroke can type on in it. */
  private processChange(observed: ObservedChange, target: CaptureTarget): TypingBurst | undefined {
    const { doc, ts: now } = observed;
    const key = doc.uri.toString();
    const { session } = this.sink;
    session.activity(now);
    if (this.markIfOversized(observed, target, key)) return undefined;
    const metadataOnly = target.policy.capture === 'metadata';
    let standalone = false;
    if (!session.bufferKnown(key)) {
      const before = this.before.get(key);
      this.before.delete(key);
      if (before && before.version === observed.version - 1) {
        this.snapshotBuffer(doc, target, 'first-edit', before);
        session.markBuffer(key, before.version);
        this.versions.set(key, before.version);
      } else {
        // No text from before this change: snapshot after it; replay skips this one edit.
        standalone = true;
        this.snapshotBuffer(doc, target, 'first-edit', { text: observed.textAfter ?? doc.getText(), version: observed.version });
        session.markBuffer(key, observed.version);
      }
    }
    // Buffers with a redaction state are redacted by the session, in order with coalescing.
    const state = metadataOnly || standalone ? undefined : this.redactions.get(key);
    const fromVersion = this.versions.get(key) ?? observed.version - 1;
    this.versions.set(key, observed.version);
    this.lastEdit.set(key, now);
    let origin: Origin;
    let confidence: OriginConfidence | undefined;
    if (observed.fromDisk) [origin, confidence] = ['external', 'high'];
    else if (observed.classified) ({ origin, confidence } = observed.classified);
    else origin = classifyEdit({ reason: observed.reason, changes: observed.changes.map((c) => ({ length: c.rangeLength, text: c.text })) });
    // Every input is built as one literal with the same keys in the same order, absent values
    // undefined (JSON leaves them out): spreads and keys that come and go give V8 a new object
    // shape to make on every keystroke.
    const writer = observed.fromDisk ? (this.sink.writers?.writerAt(observed.ts) ?? { kind: 'process' as const }) : undefined;
    if (origin === 'typing') confidence = undefined;
    const { changes } = observed;
    const repoId = target.repoId;
    const file = target.relPath;
    const version = observed.version;
    if (state) {
      const redaction = { state, doc: observed.textAfter === undefined ? new DocumentView(doc) : stringDocument(observed.textAfter) };
      const raw = changes.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text, textLength: c.text.length }));
      return session.edit({ repoId, file, fromVersion, version, origin, confidence, writer, ts: now, standalone, changes: raw, redaction });
    }
    if (metadataOnly) {
      const lengths = changes.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: undefined, textLength: c.text.length }));
      session.edit({ repoId, file, fromVersion, version, origin, confidence, writer, ts: now, standalone, changes: lengths, redaction: undefined });
    } else {
      // No redaction state to follow (the edit a snapshot was taken after, which replay skips): each text is simply redacted.
      const redacted = changes.map((c) => {
        const text = session.redactor.text(c.text);
        return { offset: c.rangeOffset, length: c.rangeLength, text, textLength: text.length };
      });
      session.edit({ repoId, file, fromVersion, version, origin, confidence, writer, ts: now, standalone, changes: redacted, redaction: undefined });
    }
    return undefined;
  }

  private snapshotBuffer(doc: vscode.TextDocument, target: CaptureTarget, reason: 'first-edit' | 'open', at?: { text: string; version: number }): void {
    const metadataOnly = target.policy.capture === 'metadata';
    const { redaction, redacted: text } = this.sink.session.redactor.document(at?.text ?? doc.getText());
    this.redactions.set(doc.uri.toString(), redaction);
    this.sink.session.record(
      target.repoId,
      'file.snapshot',
      {
        file: target.relPath,
        target: 'buffer',
        version: at?.version ?? doc.version,
        ...(metadataOnly ? { omitted: 'metadata' as const } : { text }),
        textLength: text.length,
        blob: gitBlobId(text),
        reason,
      },
      'system',
    );
  }

  /**
   * A document's length right after a change: from the length before it and the change itself
   * when the change follows the last one seen, else asked of the document (three calls into the
   * editor, which typing should not pay on every key).
   */
  private lengthAfter(observed: ObservedChange, key: string): number {
    const known = this.lengths.get(key);
    let length: number;
    if (known?.version === observed.version - 1) {
      length = known.length;
      for (const c of observed.changes) length += c.text.length - c.rangeLength;
    } else length = observed.textAfter?.length ?? observed.doc.offsetAt(observed.doc.lineAt(observed.doc.lineCount - 1).range.end);
    this.lengths.set(key, { version: observed.version, length });
    return length;
  }

  private markIfOversized(observed: ObservedChange, target: CaptureTarget, key: string): boolean {
    if (this.oversized.has(key)) return true;
    const length = this.lengthAfter(observed, key);
    if (length <= MAX_DOCUMENT_CHARS) return false;
    this.oversized.add(key);
    this.sink.session.record(
      target.repoId,
      'file.snapshot',
      {
        file: target.relPath,
        target: 'buffer',
        version: observed.version,
        textLength: length,
        blob: '0'.repeat(40),
        reason: 'first-edit',
        omitted: 'too-large',
      },
      'system',
    );
    return true;
  }

  private onDidOpen(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    this.remember(doc, true);
    void this.sink.warmIgnore(doc.uri.fsPath).then(() => this.remember(doc));
  }

  /** A document's first appearance in an editor is the engineer opening it. */
  private onDidChangeVisibleEditors(editors: readonly vscode.TextEditor[]): void {
    for (const { document: doc } of editors) {
      const key = doc.uri.toString();
      if (doc.uri.scheme !== 'file' || this.shown.has(key)) continue;
      this.shown.add(key);
      const opened = this.sink.warmIgnore(doc.uri.fsPath).then(() => {
        const target = this.target(doc);
        if (target && !doc.isClosed)
          this.sink.session.record(target.repoId, 'file.open', { file: target.relPath, languageId: doc.languageId, lineCount: doc.lineCount }, 'user');
      });
      this.deciding.add(opened);
      void opened.finally(() => this.deciding.delete(opened));
    }
  }

  /** Keeps the text of open documents that may be edited next (when recording starts or resumes). */
  rememberOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== 'file') continue;
      // Remembered now (in memory only) so that an edit made while git is still asked has its text from before.
      this.remember(doc, true);
      void this.sink.warmIgnore(doc.uri.fsPath).then(() => this.remember(doc));
    }
  }

  private remember(doc: vscode.TextDocument, evenUndecided = false): void {
    const key = doc.uri.toString();
    if (this.sink.session.bufferKnown(key) || this.before.get(key)?.version === doc.version) return;
    // Changes still held (waiting for evidence or the gate): the first of them needs the text from
    // before it, not the document's text now. A workspace edit opens a document and changes it at
    // once; remembering it again after the gate's answer would snapshot it after the edit.
    if (this.held.has(key)) return;
    if (!this.target(doc) && !(evenUndecided && this.sink.whenDecided(doc.uri.fsPath))) return;
    if (doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) > MAX_DOCUMENT_CHARS) return;
    this.before.set(key, { text: doc.getText(), version: doc.version });
  }

  private onDidClose(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    // Changes still waiting for their evidence (a workspace edit that saves and closes what it
    // changed) are recorded first, then the close. A document opened again meanwhile starts a queue of its own.
    const queue = this.held.get(key);
    const draining = queue && this.draining.get(key);
    if (draining) {
      this.held.delete(key);
      this.closing.add(queue);
      const closed = draining.then(() => this.recordClose(doc, key));
      this.deciding.add(closed);
      void closed.finally(() => this.deciding.delete(closed));
      return;
    }
    this.held.delete(key);
    this.draining.delete(key);
    this.recordClose(doc, key);
  }

  private recordClose(doc: vscode.TextDocument, key: string): void {
    if (this.typing?.key === key) this.typing = undefined;
    // Replay must drop a buffer it knows; a document only an extension looked at is no step.
    const noticed = this.shown.delete(key) || this.sink.session.bufferKnown(key);
    this.versions.delete(key);
    this.oversized.delete(key);
    this.lengths.delete(key);
    this.lastEdit.delete(key);
    this.redactions.delete(key);
    this.before.delete(key);
    this.lastChange.delete(key);
    this.changedSinceSave.delete(key);
    this.recent.delete(key);
    this.selections.cancel(key);
    this.viewports.cancel(key);
    this.sink.session.forgetBuffer(key);
    const target = noticed ? this.target(doc) : undefined;
    if (target) this.sink.session.record(target.repoId, 'file.close', { file: target.relPath }, 'user');
  }

  private onDidSave(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    // The next change may be a reload from disk (see onDidChange): it takes the full path.
    if (this.typing?.key === key) this.typing = undefined;
    this.changedSinceSave.delete(key);
    const saved = { version: doc.version, text: doc.getText() };
    // Recorded as of the text here, which may be newer than what the save wrote (see EarlierSaves).
    // With no change since the last save there is no earlier text it can have written: no read.
    const recent = this.recent.get(key);
    if (recent?.length) {
      if (saved.text.length <= MAX_DOCUMENT_CHARS && this.target(doc)) this.earlierSaves.check(doc.uri.fsPath, saved.text, recent.slice());
      recent.length = 0;
    }
    // Edits still waiting for their evidence come first: the save takes its place in their queue,
    // after them and before the changes made after it (replay checks the saved version).
    const queue = this.held.get(key);
    if (queue) {
      queue.push({ doc, saved });
      return;
    }
    this.recordSave(doc, saved);
  }

  private recordSave(doc: vscode.TextDocument, saved: { version: number; text: string }): void {
    const key = doc.uri.toString();
    const target = this.target(doc);
    if (!target) return;
    const { session } = this.sink;
    session.activity();
    if (this.oversized.has(key)) return;
    const { text, version } = saved;
    if (!session.bufferKnown(key)) {
      this.snapshotBuffer(doc, target, 'open', saved);
      session.markBuffer(key, version);
      this.versions.set(key, version);
    }
    // The hash of what replay must have rebuilt: the redacted text.
    const redacted = session.redactor.text(text);
    session.record(target.repoId, 'file.save', { file: target.relPath, version, blob: gitBlobId(redacted) }, 'user');
    session.setDisk(target.repoId, target.relPath, text);
  }

  private onDidChangeActiveEditor(editor: vscode.TextEditor | undefined): void {
    // A keystroke outside the active editor needs evidence: the full path.
    this.typing = undefined;
    if (!editor) return;
    this.remember(editor.document);
    const target = this.target(editor.document);
    if (target) this.sink.session.record(target.repoId, 'editor.focus', { file: target.relPath }, 'user');
  }

  /** `key`: the document's, which its cursor moves are throttled by. */
  private recordSelection(key: string, e: vscode.TextEditorSelectionChangeEvent): void {
    // The cursor moving along with typing is not navigation (told before asking the gate: most cursor moves are typing's).
    const edited = this.lastEdit.get(key);
    if (
      edited !== undefined &&
      Date.now() - edited < SELECTION_THROTTLE_MS * 2 &&
      e.selections.every((s) => s.isEmpty) &&
      e.kind !== vscode.TextEditorSelectionChangeKind.Mouse
    )
      return;
    const target = this.target(e.textEditor.document);
    if (!target) return;
    const selections = e.selections.slice(0, MAX_SELECTIONS).map((s) => ({
      anchor: [s.anchor.line, s.anchor.character] as [number, number],
      active: [s.active.line, s.active.character] as [number, number],
    }));
    this.sink.session.record(target.repoId, 'selection', { file: target.relPath, kind: (e.kind && SELECTION_KIND[e.kind]) || 'unknown', selections }, 'user');
  }

  private recordViewport(editor: vscode.TextEditor): void {
    const target = this.target(editor.document);
    if (!target) return;
    const ranges = editor.visibleRanges.map((r) => [r.start.line, r.end.line] as [number, number]);
    if (ranges.length > 0) this.sink.session.record(target.repoId, 'viewport', { file: target.relPath, ranges }, 'user');
  }

  private onDidChangeWindowState(state: vscode.WindowState): void {
    for (const repo of this.sink.recordingRepos()) this.sink.session.record(repo.repoId, 'window.focus', { focused: state.focused }, 'user');
  }

  dispose(): void {
    this.selections.dispose();
    this.viewports.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/**
 * Whether a change is VS Code reloading a clean document from disk: neither undo nor redo, and
 * the text is now what the file holds. The dirty flag alone misleads: the first change after a
 * save or an undo back to the saved text can arrive while the flag still says clean. Read only
 * for changes to documents that say they are clean, which typing makes rare.
 */
function reloadedFromDisk(doc: vscode.TextDocument, reason: vscode.TextDocumentChangeReason | undefined): boolean {
  if (doc.isDirty || reason !== undefined || doc.uri.scheme !== 'file') return false;
  try {
    return readFileSync(doc.uri.fsPath, 'utf8') === doc.getText();
  } catch {
    return false;
  }
}

/** A keystroke (or undo, redo): answered from its shape at once. Kept allocation-free: it runs on every key. */
function isKeystroke(e: vscode.TextDocumentChangeEvent): boolean {
  if (e.reason !== undefined) return true;
  const only = e.contentChanges.length === 1 ? e.contentChanges[0]! : undefined;
  return only !== undefined && only.rangeLength <= 1 && only.text.length <= 2;
}

function shapeOf(e: vscode.TextDocumentChangeEvent): { reason: number | undefined; changes: { length: number; text: string }[] } {
  return { reason: e.reason, changes: e.contentChanges.map((c) => ({ length: c.rangeLength, text: c.text })) };
}

/** The change is where a cursor of the active editor was (before it) or is (after it). */
function atCursor(e: vscode.TextDocumentChangeEvent): boolean {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document !== e.document) return false;
  return e.contentChanges.some((c) => editor.selections.some((s) => c.range.contains(s.active) || s.active.isEqual(endOf(c))));
}

/** Where the cursor stands right after a change: the end of the text it inserted. */
function endOf(c: vscode.TextDocumentContentChangeEvent): vscode.Position {
  const lines = c.text.split('\n');
  const last = lines[lines.length - 1]!;
  return lines.length === 1 ? c.range.start.translate(0, last.length) : new vscode.Position(c.range.start.line + lines.length - 1, last.length);
}

/**
 * The document as DocumentRedaction reads it: offsets, lines and slices, without copying it whole.
 * A class, not an object literal with a getter: one is made per keystroke, and V8 builds literals
 * with accessors the slow way.
 */
class DocumentView implements DocumentText {
  constructor(private readonly doc: vscode.TextDocument) {}

  /** Only a key block's look-around needs it: not computed per keystroke. */
  get length(): number {
    return this.doc.offsetAt(this.doc.lineAt(this.doc.lineCount - 1).range.end);
  }

  slice(start: number, stop: number): string {
    return this.doc.getText(new vscode.Range(this.doc.positionAt(start), this.doc.positionAt(stop)));
  }

  lineStart(offset: number): number {
    return this.doc.offsetAt(new vscode.Position(this.doc.positionAt(offset).line, 0));
  }

  lineEnd(offset: number): number {
    return this.doc.offsetAt(this.doc.lineAt(this.doc.positionAt(offset).line).range.end);
  }
}
