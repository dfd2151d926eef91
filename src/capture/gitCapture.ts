// Commits and other moves of HEAD, however they were made (Source Control view, terminal,
// another tool): triggered by the reflog changing (watched directly, and through the Git
// extension when it is there), read with git itself as the source of truth.
import vscode = require('vscode');
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { arrivedWork, diffBetween, engineerIdentity, mayBringOthersWork, type Arrival } from '../core/git/arrivedWork';
import { gitAt } from '../core/git/gateway';
import { blobIdsAt, differFromWorkingTree } from '../core/git/commitFiles';
import { readBlobs, readCommit } from '../core/git/commits';
import { gitBlobId } from '../core/base/hash';
import { classifyReflog, readNewReflogEntries, type ReflogEntry } from '../core/git/headLog';
import { errorMessage } from '../core/base/errors';
import type { DiskCapture } from './diskCapture';
import type { CaptureSink, RepoTarget } from './sink';
import type { TaskController } from './taskController';

/** Branches that are where work lands, not where a task is done: switching to them starts none. */
const MAINLINE = new Set(['main', 'master', 'trunk', 'develop', 'dev']);
/** A HEAD move touching more files than this is not reconciled file by file. */
const MAX_RECONCILE_FILES = 500;
/** A task's diff larger than this is not kept with its commits. */
const MAX_BASE_DIFF = 2 * 1024 * 1024;

interface Watched {
  offset: number;
  chain: Promise<void>;
  disposable: vscode.Disposable;
}

export class GitCapture implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly sink: CaptureSink,
    private readonly disk: DiskCapture,
    private readonly tasks: TaskController,
    private readonly hashIdentity: (value: string) => string,
  ) {
    void this.hookGitExtension();
  }

  /** Watches HEAD of the repositories recording now. */
  async sync(repos: RepoTarget[]): Promise<void> {
    const wanted = new Set(repos.map((r) => r.root));
    for (const [root, w] of this.watched) {
      if (wanted.has(root)) continue;
      w.disposable.dispose();
      this.watched.delete(root);
    }
    for (const repo of repos) {
      if (this.watched.has(repo.root)) continue;
      const gitDir = (await gitAt(repo.root).rawOr(['rev-parse', '--absolute-git-dir'], '')).trim();
      if (!gitDir || this.watched.has(repo.root)) continue;
      // Start from the reflog as it is now: history before recording is not ours to record.
      const nextOffset = (await stat(join(gitDir, 'logs', 'HEAD')).catch(() => ({ size: 0 }))).size;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(gitDir), '{HEAD,logs/HEAD}'));
      const check = () => this.check(repo.root);
      this.watched.set(repo.root, {
        offset: nextOffset,
        chain: Promise.resolve(),
        disposable: vscode.Disposable.from(watcher, watcher.onDidChange(check), watcher.onDidCreate(check)),
      });
    }
  }

  /** Reads what the reflog gained since last time and records it; calls are serialised per repository. */
  check(root: string): Promise<void> {
    const w = this.watched.get(root);
    if (!w) return Promise.resolve();
    w.chain = w.chain.then(() => this.readNew(root, w)).catch((err) => this.sink.warn(`git in ${root}: ${errorMessage(err)}`));
    return w.chain;
  }

  private async readNew(root: string, w: Watched): Promise<void> {
    const { entries, nextOffset, restarted } = await readNewReflogEntries(root, w.offset);
    w.offset = nextOffset;
    // A rewritten reflog (expire, gc) replays old history: not new events.
    if (restarted) return;
    for (const entry of entries) {
      const repo = this.sink.repoTargetFor(root);
      if (!repo) return;
      await this.recordEntry(repo, entry);
    }
  }

  private async recordEntry(repo: RepoTarget, entry: ReflogEntry): Promise<void> {
    const move = classifyReflog(entry);
    // Others' commits (pull, merge, rebase...) move the task's base past them before anything
    // that follows is diffed against it, a merge commit's own diff included.
    const arrived = mayBringOthersWork(move.kind) ? await this.arrival(repo, entry.old, entry.new) : undefined;
    if (move.kind === 'commit' || move.kind === 'amend' || (move.kind === 'merge' && entry.message.startsWith('commit'))) {
      return this.recordCommit(repo, entry.new, arrived);
    }
    await this.reconcileMove(repo, entry);
    this.sink.session.record(
      repo.repoId,
      'git.head',
      {
        kind: move.kind,
        from: /^0+$/.test(entry.old) ? null : entry.old,
        to: entry.new,
        ...(move.from ? { fromBranch: move.from } : {}),
        ...(move.to ? { toBranch: move.to } : {}),
        message: entry.message,
        ...(arrived ? { arrived } : {}),
      },
      'user',
    );
    if (move.kind === 'checkout' && move.to && !MAINLINE.has(move.to) && !/^[0-9a-f]{7,64}$/.test(move.to) && !this.tasks.current) {
      await this.tasks.start({ title: move.to, description: '', auto: true, branch: move.to });
    }
  }

  private async recordCommit(repo: RepoTarget, sha: string, arrived: Arrival | undefined): Promise<void> {
    const info = await readCommit(repo.root, sha, this.hashIdentity);
    const paths = info.files.map((f) => f.path);
    // What the commit took from disk must be in the record before the commit is.
    await this.disk.reconcile(repo.root, [...paths, ...info.files.flatMap((f) => (f.oldPath ? [f.oldPath] : []))]);
    const [blobs, contents, dirty] = await Promise.all([
      blobIdsAt(repo.root, sha, paths),
      readBlobs(repo.root, sha, paths),
      differFromWorkingTree(repo.root, sha, paths),
    ]);
    // Replay rebuilds redacted content: a file with secrets is checked against its redaction.
    const redactedBlob = (path: string): string | undefined => {
      const content = contents.get(path);
      if (typeof content !== 'string') return undefined;
      const redacted = this.sink.session.redactor.text(content);
      return redacted === content ? undefined : gitBlobId(redacted);
    };
    const withText = repo.policy.capture === 'full';
    const base = this.tasks.baseFor(repo.repoId);
    const baseDiff = withText && base ? await diffBetween(repo.root, base, sha) : undefined;
    this.sink.session.record(
      repo.repoId,
      'git.commit',
      {
        sha: info.sha,
        parents: info.parents,
        branch: info.branch,
        message: withText ? info.message : '',
        author: info.author,
        authorTime: info.authorTime,
        ...(baseDiff === undefined
          ? base && !withText
            ? { baseDiffOmitted: 'metadata' }
            : {}
          : baseDiff.length > MAX_BASE_DIFF
            ? { baseDiffOmitted: 'too-large' }
            : { baseDiff }),
        ...(arrived ? { arrived } : {}),
        files: info.files
          .filter((f) => this.sink.targetFor(`${repo.root}/${f.path}`))
          .map((f) => {
            const redacted = redactedBlob(f.path);
            return {
              path: f.path,
              ...(f.oldPath ? { oldPath: f.oldPath } : {}),
              status: f.status,
              added: f.added,
              deleted: f.deleted,
              blob: redacted ?? blobs.get(f.path) ?? null,
              ...(redacted ? { redacted: true } : {}),
              ...(dirty.has(f.path) ? { dirtyAfter: true } : {}),
            };
          }),
      },
      'user',
    );
  }

  /** Others' commits HEAD gained between `from` and `to`; moves the active task's base past them when they can be split off. */
  private async arrival(repo: RepoTarget, from: string, to: string): Promise<Arrival | undefined> {
    const base = this.tasks.baseFor(repo.repoId);
    if (!base || /^0+$/.test(from) || from === to) return undefined;
    const engineer = await engineerIdentity(repo.root, this.hashIdentity);
    if (!engineer) return undefined;
    const arrived = await arrivedWork(repo.root, { from, to, base }, engineer, this.hashIdentity).catch((err: unknown) => {
      this.sink.warn(`git in ${repo.root}: ${errorMessage(err)}`);
      return undefined;
    });
    if (arrived?.base) await this.tasks.moveBase(repo.repoId, arrived.base);
    return arrived;
  }

  /** Checkout, reset, pull...: bring replay's view of the files that changed up to date. */
  private async reconcileMove(repo: RepoTarget, entry: ReflogEntry): Promise<void> {
    if (/^0+$/.test(entry.old) || entry.old === entry.new) return;
    const out = await gitAt(repo.root).rawOr(['diff', '--name-only', '-z', '--no-renames', entry.old, entry.new], '');
    const paths = out.split('\0').filter(Boolean);
    if (paths.length <= MAX_RECONCILE_FILES) await this.disk.reconcile(repo.root, paths);
  }

  /** The Git extension notices commits made in the Source Control view at once; use it as a trigger too. */
  private async hookGitExtension(): Promise<void> {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
    if (!ext) return;
    try {
      const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
      const watch = (repo: GitRepository) => repo.state.onDidChange(() => void this.check(repo.rootUri.fsPath), this, this.disposables);
      api.repositories.forEach(watch);
      api.onDidOpenRepository(watch, this, this.disposables);
    } catch {
      // Disabled or failing Git extension: the reflog watcher still sees everything.
    }
  }

  dispose(): void {
    for (const w of this.watched.values()) w.disposable.dispose();
    this.watched.clear();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** The part of the Git extension's API used here. */
interface GitRepository {
  rootUri: vscode.Uri;
  state: { onDidChange: vscode.Event<void> };
}
interface GitApi {
  repositories: GitRepository[];
  onDidOpenRepository: vscode.Event<GitRepository>;
}
