// The window's gate: which repository an event belongs to and whether it may be recorded. Every
// answer comes from `admit` (core/gate/admission.ts) with the window's live facts: workspace
// trust, pause, the consent ledger and git's ignore answers.
import vscode = require('vscode');
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

/**
 * A file's admission as last decided, with every fact it was decided from but consent, which is
 * read live on each use (another window may revoke it). Asked on every keystroke.
 */
interface Decided {
  repos: number;
  /** The repository's ignore answers the decision was made against, when it is in one. */
  ignored?: { root: string; generation: number };
  paused: boolean;
  trusted: boolean;
  file: AdmittedFile | undefined;
  /** For an admitted file: the policy its consent must still cover. */
  policyHash?: string;
}

/** A window touches a few hundred paths; a sweep over more starts the memory over. */
const MAX_DECIDED = 4096;

export class WindowGate implements vscode.Disposable {
  private readonly ignores = new Map<string, IgnoreChecker>();
  private readonly lookups = new KeyedCache<Lookup | undefined>();
  private readonly decided = new Map<string, Decided>();
  /** git asked again after a .gitignore changed, not answered yet. */
  private readonly asking = new Set<Promise<void>>();
  private readonly disposables: vscode.Disposable[] = [];
  private paused = false;

  constructor(
    private readonly repos: RepositoryTracker,
    private readonly consent: ConsentLedger,
  ) {
    // What git ignores changes with any .gitignore: ask git again.
    const gitignores = vscode.workspace.createFileSystemWatcher('**/.gitignore');
    const askAgain = () =>
      this.ignores.forEach((checker) => {
        const asked = checker.refresh();
        this.asking.add(asked);
        void asked.finally(() => this.asking.delete(asked));
      });
    this.disposables.push(gitignores, gitignores.onDidChange(askAgain), gitignores.onDidCreate(askAgain), gitignores.onDidDelete(askAgain));
  }

  /** Resolves once git has answered what it was asked again (before a flush). */
  async settle(): Promise<void> {
    while (this.asking.size > 0) await Promise.all(this.asking);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Pausing closes the gate for everything; the caller ends the session and resyncs watchers. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /**
   * The gate for a file's events; undefined means: record nothing about it. The answer is kept
   * until one of the facts it came from changes; consent is checked again on every call.
   */
  targetFor(fsPath: string): AdmittedFile | undefined {
    const trusted = vscode.workspace.isTrusted;
    const known = this.decided.get(fsPath);
    if (known && this.stillDecided(known, trusted)) {
      return known.file && this.consent.covers(known.file.root, known.policyHash!) ? known.file : undefined;
    }
    const found = this.lookup(fsPath);
    if (!found) return this.remember(fsPath, { trusted, file: undefined });
    const checker = this.ignoreChecker(found.repo.root);
    const ignores = checker.generation;
    // An answer that hangs on something not known yet (git's ignore answer) or not kept (consent) is not remembered.
    let lasting = true;
    const file = admit({
      ...this.facts(found),
      consentCovers: (root, hash) => {
        const covered = this.consent.covers(root, hash);
        if (!covered) lasting = false;
        return covered;
      },
      relPath: found.relPath,
      ignored: () => {
        const answer = checker.peek(found.relPath);
        if (answer === undefined) lasting = false;
        return answer;
      },
    });
    if (!lasting) return file;
    const policyHash = found.repo.state.kind === 'consented' ? found.repo.state.hash : undefined;
    return this.remember(fsPath, { trusted, file, ignored: { root: found.repo.root, generation: ignores }, ...(policyHash ? { policyHash } : {}) });
  }

  private remember(fsPath: string, decided: Omit<Decided, 'repos' | 'paused'>): AdmittedFile | undefined {
    if (this.decided.size >= MAX_DECIDED) this.decided.clear();
    this.decided.set(fsPath, { ...decided, repos: this.repos.generation, paused: this.paused });
    return decided.file;
  }

  private stillDecided(known: Decided, trusted: boolean): boolean {
    if (known.repos !== this.repos.generation || known.paused !== this.paused || known.trusted !== trusted) return false;
    return !known.ignored || known.ignored.generation === this.ignoreChecker(known.ignored.root).generation;
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
