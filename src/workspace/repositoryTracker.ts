// Which opted-in repositories this window holds, and in what state each is. Repositories are
// found per workspace folder (multi-root workspaces are gated per folder) and re-read when the
// policy file or HEAD changes.
import { readFile, realpath, stat } from 'node:fs/promises';
import vscode = require('vscode');
import { join, relative, resolve, sep } from 'node:path';
import type { ConsentLedger } from '../core/gate/consent';
import { excludeMatcher, type ExcludeMatcher } from '../core/gate/exclusions';
import { findRepository, readCommittedFile, repoIdFor } from '../core/git/repository';
import { POLICY_FILE } from '../core/gate/policy';
import { evaluateRepoState, type RepoState } from '../core/gate/repoState';

export interface TrackedRepo {
  root: string;
  /** The root as the workspace spells it, when that goes through a symlink. */
  aliases: string[];
  repoId: string;
  state: RepoState;
  isExcluded: ExcludeMatcher;
}

const RETRY_MS = 500;

export class RepositoryTracker implements vscode.Disposable {
  private readonly repos = new Map<string, TrackedRepo>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly _onDidChange = new vscode.EventEmitter<TrackedRepo>();
  readonly onDidChange = this._onDidChange.event;
  private refreshing: Promise<void> = Promise.resolve();
  private changes = 0;

  constructor(
    private readonly consent: ConsentLedger,
    /** Told when git could not say which repository a folder is in (the folder is then not recorded). */
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {
    vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh(), this, this.disposables);
  }

  /** Bumped on every change to the repositories, their roots or states: what path lookups were cached against. */
  get generation(): number {
    return this.changes;
  }

  all(): TrackedRepo[] {
    return [...this.repos.values()];
  }

  /** The repository a path belongs to, by longest root prefix (relPath '' for the root itself). */
  repoFor(fsPath: string): { repo: TrackedRepo; relPath: string } | undefined {
    let best: { repo: TrackedRepo; base: string } | undefined;
    for (const repo of this.repos.values()) {
      for (const base of [repo.root, ...repo.aliases]) {
        if ((fsPath === base || fsPath.startsWith(base + sep)) && (!best || base.length > best.base.length)) best = { repo, base };
      }
    }
    if (!best) return undefined;
    return { repo: best.repo, relPath: relative(best.base, fsPath).split(sep).join('/') };
  }

  /** Resolves once the latest scan has finished. */
  whenReady(): Promise<void> {
    return this.refreshing;
  }

  /** Finds the repositories of all workspace folders and (re)evaluates each. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.scan());
    return this.refreshing;
  }

  async reevaluate(root: string): Promise<TrackedRepo | undefined> {
    const repo = this.repos.get(root);
    if (!repo) return undefined;
    const [committed, onDisk] = await Promise.all([readCommittedFile(root, POLICY_FILE), readFile(join(root, POLICY_FILE), 'utf8').catch(() => undefined)]);
    const state = evaluateRepoState(root, { committed, onDisk }, this.consent);
    const exclude = state.kind === 'consented' || state.kind === 'needs-consent' ? state.policy.exclude : [];
    const next: TrackedRepo = { ...repo, state, isExcluded: excludeMatcher(exclude) };
    this.repos.set(root, next);
    this.changes += 1;
    this._onDidChange.fire(next);
    return next;
  }

  private async scan(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const local = folders.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const found = await Promise.all(local.map(async (folder) => ({ folder, info: await this.find(folder) })));
    const roots = new Set<string>();
    for (const { folder, info } of found) {
      if (!info) continue;
      const alias = resolve(folder, relative(await realpath(folder).catch(() => folder), info.root));
      const known = this.repos.get(info.root);
      if (!known) {
        this.repos.set(info.root, { root: info.root, aliases: [], repoId: repoIdFor(info), state: { kind: 'no-policy' }, isExcluded: excludeMatcher() });
        this.changes += 1;
        this.watch(info.root);
      }
      const repo = this.repos.get(info.root)!;
      if (alias !== info.root && !repo.aliases.includes(alias)) {
        repo.aliases.push(alias);
        this.changes += 1;
      }
      if (roots.has(info.root)) continue;
      roots.add(info.root);
      await this.reevaluate(info.root);
    }
    for (const root of [...this.repos.keys()]) {
      if (roots.has(root)) continue;
      this.repos.delete(root);
      this.changes += 1;
      this.watchers.get(root)?.dispose();
      this.watchers.delete(root);
    }
  }

  /** git can fail for a moment on a loaded machine (seen with two windows starting together): ask once more. */
  private async find(folder: string): Promise<Awaited<ReturnType<typeof findRepository>>> {
    let failed = false;
    const first = await findRepository(folder, () => (failed = true));
    if (first) return first;
    // Not a repository, unless git failed or the folder plainly is one (`.git` is there).
    const looksLikeOne = await stat(join(folder, '.git')).then(
      () => true,
      () => false,
    );
    if (!failed && !looksLikeOne) return undefined;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    const second = await findRepository(folder, (message) => this.onProblem(`${message}; this folder is not recorded`));
    if (!second && looksLikeOne) this.onProblem(`${folder} has a .git folder, but git does not see a repository there; it is not recorded`);
    else if (second) this.onProblem(`${folder}: git found the repository only when asked again`);
    return second;
  }

  private watch(root: string): void {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), `{${POLICY_FILE},.git/HEAD,.git/logs/HEAD}`));
    const again = () => void this.reevaluate(root);
    this.watchers.set(root, vscode.Disposable.from(watcher, watcher.onDidChange(again), watcher.onDidCreate(again), watcher.onDidDelete(again)));
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    this._onDidChange.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
