// The window's gate: which repository an event belongs to and whether it may be recorded. Every
// answer comes from `admit` (core/gate/admission.ts) with the window's live facts: workspace
// trust, pause, the consent ledger and git's ignore answers.
import * as vscode from 'vscode';
import { admit, type AdmittedFile, type AdmittedTarget, type AdmissionRepo } from '../core/gate/admission';
import type { ConsentLedger } from '../core/gate/consent';
import { IgnoreChecker } from '../core/git/ignoreChecker';
import { KeyedCache } from '../core/base/keyedCache';
import type { RepositoryTracker, TrackedRepo } from './repositoryTracker';

interface Lookup {
  repo: TrackedRepo;
  relPath: string;
  excluded: boolean;
}

export class WindowGate implements vscode.Disposable {
  private readonly ignores = new Map<string, IgnoreChecker>();
  private readonly lookups = new KeyedCache<Lookup | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private paused = false;

  constructor(
    private readonly repos: RepositoryTracker,
    private readonly consent: ConsentLedger,
  ) {
    // What git ignores changes with any .gitignore: ask git again.
    const gitignores = vscode.workspace.createFileSystemWatcher('**/.gitignore');
    const askAgain = () => this.ignores.forEach((checker) => void checker.refresh());
    this.disposables.push(gitignores, gitignores.onDidChange(askAgain), gitignores.onDidCreate(askAgain), gitignores.onDidDelete(askAgain));
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Pausing closes the gate for everything; the caller ends the session and resyncs watchers. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** The gate for a file's events; undefined means: record nothing about it. */
  targetFor(fsPath: string): AdmittedFile | undefined {
    const found = this.lookup(fsPath);
    if (!found) return undefined;
    return admit({ ...this.facts(found), relPath: found.relPath, ignored: () => this.ignoreChecker(found.repo.root).peek(found.relPath) });
  }

  /** The gate for events about a repository rather than a file (terminal commands, git). */
  repoTargetFor(fsPath: string): AdmittedTarget | undefined {
    const found = this.lookup(fsPath);
    return found && this.admitted(found.repo);
  }

  /** Every repository recording now. */
  recordingRepos(): AdmittedTarget[] {
    return this.repos.all().flatMap((repo) => this.admitted(repo) ?? []);
  }

  /** A tracked repository, if it may be recorded now. */
  admitted(repo: TrackedRepo): AdmittedTarget | undefined {
    return admit({ ...this.live(), repo });
  }

  /**
   * For a file the gate would admit but for git's answer on whether it is ignored, which is not
   * in yet: a promise of that answer. Undefined when the gate has decided (either way).
   */
  whenDecided(fsPath: string): Promise<void> | undefined {
    const found = this.lookup(fsPath);
    // Asked as if git had said "not ignored": would anything else refuse it?
    if (!found || !admit({ ...this.facts(found), relPath: found.relPath, ignored: () => false })) return undefined;
    const checker = this.ignoreChecker(found.repo.root);
    if (checker.peek(found.relPath) !== undefined) return undefined;
    return checker.isIgnored(found.relPath).then(() => undefined);
  }

  /** Asks git, in the background, whether a path is ignored; the gate refuses it until known. */
  async warmIgnore(fsPath: string): Promise<void> {
    const found = this.lookup(fsPath);
    if (found) await this.ignoreChecker(found.repo.root).isIgnored(found.relPath);
  }

  /** Trust, pause and the consent ledger, read at the moment of asking. */
  private live(): { trusted: boolean; paused: boolean; consentCovers: (root: string, hash: string) => boolean } {
    return { trusted: vscode.workspace.isTrusted, paused: this.paused, consentCovers: (root, hash) => this.consent.covers(root, hash) };
  }

  /** The live facts about a looked-up path, its exclusion answered from the lookup's cache. */
  private facts(found: Lookup): ReturnType<WindowGate['live']> & { repo: AdmissionRepo } {
    return { ...this.live(), repo: { ...found.repo, isExcluded: () => found.excluded } };
  }

  /**
   * Which repository a path is in, its path there and whether the policy excludes it: asked on
   * every event, so remembered per path until the repositories or their policies change (the
   * tracker's generation). Consent, trust, pause and git's ignore answers are read live.
   */
  private lookup(fsPath: string): Lookup | undefined {
    return this.lookups.get(fsPath, this.repos.generation, () => {
      const found = this.repos.repoFor(fsPath);
      return found && { ...found, excluded: found.repo.isExcluded(found.relPath) };
    });
  }

  private ignoreChecker(root: string): IgnoreChecker {
    let checker = this.ignores.get(root);
    if (!checker) this.ignores.set(root, (checker = new IgnoreChecker(root)));
    return checker;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
