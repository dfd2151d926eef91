// Changes on disk made outside the editor (a terminal, git checkout or stash, a formatter, an
// agent): seen through file watching and recorded as diffs against the content replay last
// had, or as a snapshot when it had none. Also the editor's own create, delete and rename.
import vscode = require('vscode');
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/base/errors';
import { diskChangeEvent, readTextFile, type DiskRead } from '../core/capture/diskChange';
import type { EarlierSaves } from '../core/capture/earlierSaves';
import type { CaptureSink, RepoTarget } from './sink';

/** How long a change on disk may wait for the terminal to report the command that made it. */
const WRITER_WAIT_MS = 1500;
/** How long a change on disk waits for a save the editor started to be done. */
const SAVE_WAIT_MS = 5000;

/**
 * A file of the work, as opposed to git's own: the watcher also reports the git extension's
 * `git:` resources (the file's path with `.git` appended: a phantom "src/x.js.git deleted" after a
 * commit) and the files inside `.git/`, which are git's bookkeeping, not the engineer's files.
 */
export function isWorkFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && !uri.path.split('/').includes('.git');
}

export class DiskCapture implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly watchers = new Map<string, vscode.Disposable>();
  /** Files the editor is saving: a change on disk to one of them waits for the save to be recorded. */
  private readonly saving = new Map<string, { until: Promise<void>; done: () => void }>();
  /** Waiting for the editor's next save of a file: a change on disk it may have made, not yet said so. */
  private readonly saveWaiters = new Map<string, () => void>();
  /** One read at a time per file, in event order. */
  private readonly chains = new Map<string, Promise<void>>();

  /** `editorSettled`: resolves once the editor's pending saves are recorded and checked against `earlierSaves`. */
  constructor(
    private readonly sink: CaptureSink,
    private readonly editorSettled?: () => Promise<void>,
    private readonly earlierSaves?: EarlierSaves,
  ) {
    const ws = vscode.workspace;
    ws.onDidCreateFiles((e) => this.onEditorFileOp('file.create', e.files), this, this.disposables);
    ws.onDidDeleteFiles((e) => this.onEditorFileOp('file.delete', e.files), this, this.disposables);
    ws.onDidRenameFiles(this.onDidRename, this, this.disposables);
    // The editor's saves: the watcher may report one before the editor says it is done.
    ws.onWillSaveTextDocument((e) => this.saveStarts(e.document.uri.fsPath), this, this.disposables);
    ws.onDidSaveTextDocument(
      (doc) => {
        this.saving.get(doc.uri.fsPath)?.done();
        this.saveWaiters.get(doc.uri.fsPath)?.();
      },
      this,
      this.disposables,
    );
  }

  private saveStarts(fsPath: string): void {
    if (this.saving.has(fsPath)) return;
    let done = () => {};
    const until = new Promise<void>((resolve) => (done = resolve));
    // A save that fails never says so: waited for no longer than this.
    const timer = setTimeout(done, SAVE_WAIT_MS);
    this.saving.set(fsPath, { until, done });
    void until.then(() => {
      clearTimeout(timer);
      if (this.saving.get(fsPath)?.until === until) this.saving.delete(fsPath);
    });
  }

  /** Watches the repositories recording now and stops watching the others. */
  sync(repos: RepoTarget[]): void {
    const wanted = new Set(repos.map((r) => r.root));
    for (const [root, watcher] of this.watchers) {
      if (wanted.has(root)) continue;
      watcher.dispose();
      this.watchers.delete(root);
    }
    for (const root of wanted) {
      if (this.watchers.has(root)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'));
      const on = (kind: 'changed' | 'created' | 'deleted') => (uri: vscode.Uri) => void (isWorkFile(uri) && this.enqueue(uri.fsPath, kind));
      this.watchers.set(
        root,
        vscode.Disposable.from(watcher, watcher.onDidChange(on('changed')), watcher.onDidCreate(on('created')), watcher.onDidDelete(on('deleted'))),
      );
    }
  }

  /**
   * Brings replay's view of these files up to date now, before an event that depends on them
   * (a commit): a watcher event may still be on its way.
   */
  async reconcile(root: string, relPaths: string[]): Promise<void> {
    await Promise.all(relPaths.map((rel) => this.enqueue(join(root, rel), 'changed', true)));
  }

  /** Resolves once every change on disk the watcher has reported is recorded (before a flush). */
  async settle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  /** `exact`: replay's disk must be what is there now (a commit follows), even an editor's save reported late. */
  private enqueue(fsPath: string, kind: 'changed' | 'created' | 'deleted', exact = false): Promise<void> {
    const seen = Date.now();
    const next = (this.chains.get(fsPath) ?? Promise.resolve())
      .then(() => this.handle(fsPath, kind, seen, exact))
      .catch((err) => this.sink.warn(`reading ${fsPath}: ${errorMessage(err)}`));
    this.chains.set(fsPath, next);
    void next.finally(() => {
      if (this.chains.get(fsPath) === next) this.chains.delete(fsPath);
    });
    return next;
  }

  private async handle(fsPath: string, kind: 'changed' | 'created' | 'deleted', seen: number, exact: boolean): Promise<void> {
    await this.sink.warmIgnore(fsPath);
    const target = this.sink.targetFor(fsPath);
    if (!target) return;
    const { session } = this.sink;
    // When the file was written says which command wrote it (the watcher may report it much later),
    // waiting a moment for the terminal to report a command, only for a real change. Asked before
    // the change is read for good, so that what it is diffed against is current after the wait.
    const written = kind === 'deleted' ? seen : ((await stat(fsPath).catch(() => undefined))?.mtimeMs ?? seen);
    // A reconcile is no report of a change: when it is asked says nothing of what was running then.
    let writer = this.sink.writers?.writerAt(written, exact ? undefined : seen) ?? { kind: 'process' as const };
    if (writer.kind === 'process' && this.sink.writers && kind !== 'deleted') {
      const first = await readTextFile(fsPath, { stat, readFile });
      if (first.state !== 'text' || first.text !== session.knownDisk(target.repoId, target.relPath))
        writer = await this.sink.writers.writerOf(written, WRITER_WAIT_MS);
    }
    // The editor's saves still being written or recorded (after edits waiting for their evidence)
    // come first: what the editor wrote is not another process's change.
    const editorDone = async () => {
      await this.saving.get(fsPath)?.until;
      await this.editorSettled?.();
    };
    await editorDone();
    const readNow = (): Promise<DiskRead> => (kind === 'deleted' ? Promise.resolve({ state: 'missing' }) : readTextFile(fsPath, { stat, readFile }));
    let known = session.knownDisk(target.repoId, target.relPath);
    let read = await readNow();
    // A save that started while the file was being read: what was read may be its bytes, written
    // before the save is recorded (its edits still waiting), or predate it. Once it is recorded, read again.
    for (let again = 0; again < 3; again++) {
      await editorDone();
      if (session.knownDisk(target.repoId, target.relPath) === known) break;
      known = session.knownDisk(target.repoId, target.relPath);
      read = await readNow();
    }
    let event = diskChangeEvent(target.relPath, known, read, target.policy.capture, session.redactor, kind === 'created');
    // Bytes equal to a document's unsaved text are the editor's save of it, however late the host
    // hears of the save: a process writing exactly what the engineer has not saved yet is far less
    // likely. The save's own record says what disk holds.
    // Or what an editor's save wrote that it was heard of only after later changes: an earlier text of
    // the document (left alone unless a commit needs disk exact; the editor's next save writes the text recorded).
    const editorBytes = () =>
      read.state === 'text' && (this.unsavedDocument(fsPath)?.getText() === read.text || (!exact && this.earlierSaves?.wrote(fsPath, read.text) === true));
    // Other bytes, while the document has unsaved changes as far as this host knows: most likely
    // still the editor's own save, whose start the extension host has not heard of (a loaded host
    // answers will-save late, and VS Code then saves without it). Its save is waited for, a moment,
    // before calling it another process's. A clean document is not waited for: a save of it would
    // have been heard of already.
    if (event && !editorBytes() && this.unsavedDocument(fsPath)) {
      await this.nextSave(fsPath);
      await editorDone();
      known = session.knownDisk(target.repoId, target.relPath);
      read = await readNow();
      event = diskChangeEvent(target.relPath, known, read, target.policy.capture, session.redactor, kind === 'created');
    }
    if (!event || editorBytes()) return;
    session.activity();
    if (event.kind === 'file.snapshot') session.record(target.repoId, 'file.snapshot', { ...event.data, writer }, 'external');
    else session.record(target.repoId, 'file.external', { ...event.data, writer }, 'external');
    session.setDisk(target.repoId, target.relPath, read.state === 'text' ? read.text : undefined);
    this.earlierSaves?.forget(fsPath);
  }

  private unsavedDocument(fsPath: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === fsPath);
  }

  /** Resolves on the editor's next save of the file, or after SAVE_WAIT_MS when none comes (reads of one file are one at a time: one waiter). */
  private nextSave(fsPath: string): Promise<void> {
    const waiters = this.saveWaiters;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, SAVE_WAIT_MS);
      function finish(): void {
        clearTimeout(timer);
        if (waiters.get(fsPath) === finish) waiters.delete(fsPath);
        resolve();
      }
      waiters.set(fsPath, finish);
    });
  }

  private onEditorFileOp(kind: 'file.create' | 'file.delete', files: readonly vscode.Uri[]): void {
    for (const uri of files) {
      if (!isWorkFile(uri)) continue;
      const target = this.sink.targetFor(uri.fsPath);
      if (!target) continue;
      this.sink.session.record(target.repoId, kind, { file: target.relPath }, 'user');
      if (kind === 'file.delete') {
        this.sink.session.setDisk(target.repoId, target.relPath, undefined);
        this.earlierSaves?.forget(uri.fsPath);
      }
    }
  }

  private onDidRename(e: vscode.FileRenameEvent): void {
    for (const { oldUri, newUri } of e.files) {
      if (!isWorkFile(oldUri) || !isWorkFile(newUri)) continue;
      const from = this.sink.targetFor(oldUri.fsPath);
      const to = this.sink.targetFor(newUri.fsPath);
      if (!from || !to || from.repoId !== to.repoId) continue;
      const { session } = this.sink;
      session.record(to.repoId, 'file.rename', { file: to.relPath, oldFile: from.relPath }, 'user');
      const known = session.knownDisk(from.repoId, from.relPath);
      session.setDisk(from.repoId, from.relPath, undefined);
      session.setDisk(to.repoId, to.relPath, known);
      this.earlierSaves?.forget(oldUri.fsPath);
      this.earlierSaves?.forget(newUri.fsPath);
    }
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
