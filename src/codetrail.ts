// The one owner of everything Codetrail does in a window: it holds the capture session, the
// repository tracker, the capture adapters and the UI, and disposes them together. It is also
// the gate capture adapters ask before recording anything.
import * as vscode from 'vscode';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DiagnosticsCapture } from './capture/diagnosticsCapture';
import { DiskCapture } from './capture/diskCapture';
import { EditorCapture } from './capture/editorCapture';
import { GitCapture } from './capture/gitCapture';
import type { CaptureSink, CaptureTarget, RepoTarget } from './capture/sink';
import { TaskCapture } from './capture/taskCapture';
import { TaskController } from './capture/taskController';
import { TerminalCapture } from './capture/terminalCapture';
import { DiskWriters } from './core/capture/diskWriters';
import { assistantsOf } from './core/capture/assistants';
import { describeGitFailure, onGitFailure } from './core/git/gateway';
import { CaptureSession, type SessionInfo } from './core/capture/captureSession';
import { ConsentLedger } from './core/gate/consent';
import { errorMessage } from './core/base/errors';
import { gate } from './core/gate/gate';
import { identityHasher } from './core/git/identityHash';
import { IgnoreChecker } from './core/git/ignoreChecker';
import { KeyedCache } from './core/base/keyedCache';
import { newUlid } from './core/base/ids';
import { loadIdentity } from './core/capture/identity';
import { Recorder } from './core/capture/recorder';
import { canonicalRedact } from './core/redact/canonical';
import { REDACTION_RULES_VERSION } from './core/redact/detectors';
import { resolveStorePath, settingsFrom, SETTINGS, type SettingName, type Settings } from './core/base/settings';
import { repoDir } from './core/store/layout';
import { enforceRetention, type RetentionRule } from './core/store/retention';
import { removeRecords } from './core/store/rewrite';
import { ConsentView } from './ui/consentPrompt';
import type { ConsentContext } from './core/gate/consentText';
import { RecordingsView, type RecordingsElement } from './ui/recordingsView';
import { ReviewPanels } from './ui/review/reviewPanel';
import { Reviews } from './ui/review/reviews';
import { StatusBar } from './ui/statusBar';
import { approvedTask, WalkthroughProgress } from './ui/walkthrough';
import type { ExportHost } from './ui/exportTasks';
import { RepositoryTracker, type TrackedRepo } from './workspace/repositoryTracker';

export class Codetrail implements CaptureSink, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusBar = new StatusBar();
  private readonly consentView = new ConsentView();
  readonly log = vscode.window.createOutputChannel('Codetrail', { log: true });
  readonly writers = new DiskWriters();
  /** Policy hashes already offered in this window, so the prompt is not repeated on every refresh. */
  private readonly offered = new Set<string>();
  private readonly ignores = new Map<string, IgnoreChecker>();
  private readonly lookups = new KeyedCache<{ repo: TrackedRepo; relPath: string; excluded: boolean } | undefined>();
  private readonly editor: EditorCapture;
  private readonly disk: DiskCapture;
  private readonly diagnostics: DiagnosticsCapture;
  private readonly git: GitCapture;
  readonly tasks: TaskController;
  readonly reviews: Reviews;
  readonly reviewPanels: ReviewPanels;
  readonly recordings: RecordingsView;
  readonly walkthrough: WalkthroughProgress;
  private readonly recordingsTree: vscode.TreeView<RecordingsElement>;
  readonly exportHost: ExportHost;
  private paused = false;
  private storeWarningShown = false;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: Settings,
    readonly storePath: string,
    private readonly consent: ConsentLedger,
    readonly session: CaptureSession,
    readonly repos: RepositoryTracker,
    readonly redactionSalt: string,
  ) {
    this.tasks = new TaskController(this, context.workspaceState);
    this.editor = new EditorCapture(this);
    this.disk = new DiskCapture(this, () => this.editor.settle());
    this.diagnostics = new DiagnosticsCapture(this);
    this.git = new GitCapture(this, this.disk, this.tasks, identityHasher(redactionSalt));
    this.reviews = new Reviews({
      storePath,
      salt: redactionSalt,
      session,
      log: this.log,
      forgetTask: (id) => this.forgetTask(id),
      activeTask: () => this.tasks.current?.id,
      repoRoot: (id) => this.repos.all().find((r) => r.repoId === id)?.root,
    });
    this.reviewPanels = new ReviewPanels(context.extensionUri, this.reviews);
    this.recordings = new RecordingsView(
      storePath,
      (repoId) =>
        this.repos
          .all()
          .find((r) => r.repoId === repoId)
          ?.root.split(/[\\/]/)
          .pop(),
      () => this.session.flush(),
    );
    this.reviews.onDidChange(() => this.recordings.refresh(), this, this.disposables);
    this.tasks.onDidChange(() => this.recordings.refresh(), this, this.disposables);
    this.walkthrough = new WalkthroughProgress({
      repos,
      tasks: this.tasks,
      reviews: this.reviews,
      isApproved: (task) => approvedTask(storePath, task),
      globalState: context.globalState,
      log: this.log,
    });
    this.exportHost = { storePath, version: String(context.extension.packageJSON.version), flush: () => this.flush() };
    this.disposables.push(
      this.log,
      this.statusBar,
      this.consentView,
      repos,
      this.tasks,
      this.editor,
      this.disk,
      this.diagnostics,
      this.git,
      new TerminalCapture(this),
      new TaskCapture(this),
      this.reviews,
      this.reviewPanels,
      this.recordings,
      this.walkthrough,
      (this.recordingsTree = vscode.window.createTreeView('codetrail.recordings', { treeDataProvider: this.recordings, showCollapseAll: true })),
    );
    repos.onDidChange(this.onRepoChanged, this, this.disposables);
    this.tasks.onDidChange(() => this.updateStatus(), this, this.disposables);
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.syncWatchers(), this, this.disposables);
    // What git ignores changes with any .gitignore: ask git again.
    const gitignores = vscode.workspace.createFileSystemWatcher('**/.gitignore');
    const askAgain = () => this.ignores.forEach((checker) => void checker.refresh());
    this.disposables.push(gitignores, gitignores.onDidChange(askAgain), gitignores.onDidCreate(askAgain), gitignores.onDidDelete(askAgain));
    // Git failures the code carried on from, with what was asked (core/git/gateway.ts).
    onGitFailure((f) => (f.expected ? this.log.debug(describeGitFailure(f)) : this.log.warn(describeGitFailure(f))));
    this.disposables.push({ dispose: () => onGitFailure(undefined) });
  }

  static async create(context: vscode.ExtensionContext): Promise<Codetrail> {
    const settings = settingsFrom((name: SettingName) => vscode.workspace.getConfiguration('codetrail').get(name, SETTINGS[name].default));
    const storePath = resolveStorePath(process.env, settings, join(context.globalStorageUri.fsPath, 'store'));
    const identity = await loadIdentity(context.globalState);
    const consent = new ConsentLedger(context.globalState);
    let app: Codetrail | undefined;
    const repos = new RepositoryTracker(consent, (message) => app?.warn(message));
    const recorder = new Recorder({
      storePath,
      sessionId: newUlid(),
      contributorId: identity.contributorId,
      onWarning: (message) => app?.warn(message),
    });
    const session = new CaptureSession(recorder, {
      flushIntervalMs: settings.flushIntervalMs,
      idleMs: settings.idleMinutes * 60_000,
      onFlushError: (err) => app?.onStoreError(err),
      onStoreFull: (full) => app?.onStoreFull(full),
      redactText: (text) => canonicalRedact(text, identity.salt).text,
      onRedactionError: (err) => app?.warn(`an event was dropped because redaction failed: ${errorMessage(err)}`),
      sessionInfo: (repoId) => app?.sessionInfo(repoId),
    });
    app = new Codetrail(context, settings, storePath, consent, session, repos, identity.salt);
    const retention = () => app.enforceRetention().catch((err) => app.warn(`retention: ${errorMessage(err)}`));
    void repos.refresh().then(retention);
    const daily = setInterval(retention, 86_400_000);
    daily.unref();
    app.disposables.push({ dispose: () => clearInterval(daily) });
    return app;
  }

  // ---- the gate ----

  targetFor(fsPath: string): CaptureTarget | undefined {
    // The gate's verdict, in its order; trust and pause are asked first, they cost nothing.
    if (!vscode.workspace.isTrusted || this.paused) return undefined;
    const found = this.lookup(fsPath);
    if (!found) return undefined;
    const repo = this.recordingRepo(found.repo);
    if (!repo || found.excluded) return undefined;
    // Git-ignored files are refused until git has said they are not ignored.
    if (this.ignoreChecker(repo.root).peek(found.relPath) !== false) return undefined;
    return { ...repo, relPath: found.relPath };
  }

  /**
   * Which repository a path is in, its path there and whether the policy excludes it: asked on
   * every event, so remembered per path until the repositories or their policies change (the
   * tracker's generation). Consent, trust, pause and git's ignore answers are read live.
   */
  private lookup(fsPath: string): { repo: TrackedRepo; relPath: string; excluded: boolean } | undefined {
    return this.lookups.get(fsPath, this.repos.generation, () => {
      const found = this.repos.repoFor(fsPath);
      return found && { ...found, excluded: found.repo.isExcluded(found.relPath) };
    });
  }

  whenDecided(fsPath: string): Promise<void> | undefined {
    const found = this.lookup(fsPath);
    if (!found) return undefined;
    const repo = this.recordingRepo(found.repo);
    if (!repo || !gate({ trusted: vscode.workspace.isTrusted, paused: this.paused, repo: found.repo, relPath: found.relPath }).record) return undefined;
    const checker = this.ignoreChecker(repo.root);
    if (checker.peek(found.relPath) !== undefined) return undefined;
    return checker.isIgnored(found.relPath).then(() => undefined);
  }

  repoTargetFor(fsPath: string): RepoTarget | undefined {
    const found = this.lookup(fsPath);
    if (!found || this.paused || !vscode.workspace.isTrusted) return undefined;
    return this.recordingRepo(found.repo);
  }

  recordingRepos(): RepoTarget[] {
    if (this.paused || !vscode.workspace.isTrusted) return [];
    return this.repos.all().flatMap((r) => this.recordingRepo(r) ?? []);
  }

  async warmIgnore(fsPath: string): Promise<void> {
    const found = this.lookup(fsPath);
    if (found) await this.ignoreChecker(found.repo.root).isIgnored(found.relPath);
  }

  /** A consented repository as a target; consent is read again so a revocation stops it at once. */
  private recordingRepo(repo: TrackedRepo): RepoTarget | undefined {
    const { state } = repo;
    if (state.kind !== 'consented' || !this.consent.covers(repo.root, state.hash)) return undefined;
    return { repoId: repo.repoId, root: repo.root, policy: state.policy };
  }

  private ignoreChecker(root: string): IgnoreChecker {
    let checker = this.ignores.get(root);
    if (!checker) this.ignores.set(root, (checker = new IgnoreChecker(root)));
    return checker;
  }

  sessionInfo(repoId: string): SessionInfo | undefined {
    const repo = this.repos.all().find((r) => r.repoId === repoId);
    if (!repo || repo.state.kind !== 'consented') return undefined;
    return {
      policyHash: repo.state.hash,
      consentAt: repo.state.consentAt,
      captureLevel: repo.state.policy.capture,
      redactionRules: REDACTION_RULES_VERSION,
      extensionVersion: String(this.context.extension.packageJSON.version),
      vscodeVersion: vscode.version,
      ...(repo.state.policy.name ? { repoName: repo.state.policy.name } : {}),
      // Ids and versions of assistants, from their manifests: read once a session starts, not per event.
      assistants: assistantsOf(vscode.extensions.all.filter((e) => e.id !== this.context.extension.id)),
      inlineSuggest: vscode.workspace.getConfiguration('editor').get<boolean>('inlineSuggest.enabled', true),
    };
  }

  warn(message: string): void {
    this.log.warn(message);
  }

  // ---- commands ----

  /**
   * Asks for consent for every repository waiting for it (the consent view; `accept` answers
   * without it). With none waiting, shows what the engineer agreed to, to read again.
   */
  async giveConsent(args: { accept?: boolean; repo?: string; background?: boolean }): Promise<string[]> {
    await this.repos.whenReady();
    const waiting = this.repos.all().filter((r) => r.state.kind === 'needs-consent' && (!args.repo || r.root === args.repo));
    if (waiting.length === 0) {
      if (args.accept === undefined) this.showConsentAgain(args.repo);
      return [];
    }
    const accepted: string[] = [];
    for (const repo of waiting) {
      if (repo.state.kind !== 'needs-consent') continue;
      const yes = args.accept ?? (await this.consentView.show(repo.root, this.consentContext(repo), 'ask', args.background));
      // The answer may come late: only the policy that was shown can be agreed to.
      const now = this.repos.all().find((r) => r.root === repo.root)?.state;
      if (!yes || now?.kind !== 'needs-consent' || now.hash !== repo.state.hash) continue;
      await this.consent.give(repo.root, repo.state.hash, Date.now());
      await this.repos.reevaluate(repo.root);
      accepted.push(repo.root);
    }
    return accepted;
  }

  /** The consent view of a repository already agreed to, to read again. */
  private showConsentAgain(root: string | undefined): void {
    const repo = this.repos.all().find((r) => r.state.kind === 'consented' && (!root || r.root === root));
    if (!repo) {
      void vscode.window.showInformationMessage('Codetrail: no repository in this window asks to be recorded (none has a committed .codetrail.json policy).');
      return;
    }
    void this.consentView.show(repo.root, this.consentContext(repo), 'read');
  }

  private consentContext(repo: TrackedRepo): ConsentContext {
    const { state } = repo;
    if (state.kind !== 'needs-consent' && state.kind !== 'consented') throw new Error(`no policy to show for ${repo.root}`);
    return {
      repoName: basename(repo.root),
      policy: state.policy,
      storePath: this.storePath,
      policyChanged: state.kind === 'needs-consent' && state.policyChanged,
      personalRetentionDays: this.settings.retentionDays,
      warnings: state.warnings,
    };
  }

  async revokeConsent(args: { deleteData?: boolean; repo?: string }): Promise<string[]> {
    await this.repos.whenReady();
    const targets = this.repos.all().filter((r) => this.consent.get(r.root) && (!args.repo || r.root === args.repo));
    for (const repo of targets) {
      await this.consent.revoke(repo.root);
      await this.session.forgetRepo(repo.repoId);
      await this.repos.reevaluate(repo.root);
      const remove =
        args.deleteData ??
        (await vscode.window.showWarningMessage(
          `Codetrail stopped recording ${basename(repo.root)}. Delete everything it recorded there?`,
          { modal: true, detail: `This removes ${repoDir(this.storePath, repo.repoId)} for good.` },
          'Delete recordings',
        )) === 'Delete recordings';
      if (remove) await rm(repoDir(this.storePath, repo.repoId), { recursive: true, force: true });
    }
    this.updateStatus();
    return targets.map((r) => r.root);
  }

  pause(): void {
    if (this.paused) return;
    this.session.endSession('pause', 'resume');
    this.setPaused(true);
  }

  resume(): void {
    if (!this.paused) return;
    this.setPaused(false);
    this.editor.rememberOpenDocuments();
    const task = this.tasks.current;
    if (task) for (const repo of this.recordingRepos()) void this.tasks.recordStartingState(repo, 'session');
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    void vscode.commands.executeCommand('setContext', 'codetrail.paused', paused);
    this.syncWatchers();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  async startTask(args: { title?: string; description?: string; issueUrl?: string }): Promise<string | undefined> {
    await this.repos.whenReady();
    if (this.recordingRepos().length === 0) {
      this.log.info(
        `no task started: not recording (${
          this.repos
            .all()
            .map((r) => `${basename(r.root)}: ${r.state.kind}`)
            .join(', ') || 'no repository'
        }; trusted ${vscode.workspace.isTrusted}, paused ${this.paused})`,
      );
      void vscode.window.showInformationMessage('Codetrail is not recording in this window: there is no task to start.');
      return undefined;
    }
    const title =
      args.title ??
      (await vscode.window.showInputBox({
        title: 'Start a coding task (1/2)',
        prompt: 'A short title for the task',
        placeHolder: 'e.g. Make range() include its end',
        ignoreFocusOut: true,
      }));
    if (!title) return undefined;
    let description = args.description;
    if (description === undefined && args.title === undefined) {
      description = await vscode.window.showInputBox({
        title: `Start a coding task (2/2): ${title}`,
        prompt: 'The problem statement (optional): Enter to start, Escape to cancel',
        placeHolder: 'e.g. range(1, 3) should give [1, 2, 3]',
        ignoreFocusOut: true,
      });
      if (description === undefined) return undefined; // Escape cancels the task, it does not start it
    }
    const task = await this.tasks.start({ title, description: description ?? '', ...(args.issueUrl ? { issueUrl: args.issueUrl } : {}), auto: false });
    return task?.id;
  }

  async endTask(args: { outcome?: 'solved' | 'partial' | 'abandoned'; note?: string }): Promise<string | undefined> {
    if (!this.tasks.current) return undefined;
    const outcome =
      args.outcome ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'Solved', value: 'solved' as const },
            { label: 'Partly solved', value: 'partial' as const },
            { label: 'Abandoned', value: 'abandoned' as const },
          ],
          { title: `End task: ${this.tasks.current.title}`, placeHolder: 'How did it end?' },
        )
      )?.value;
    if (!outcome) return undefined;
    const ended = await this.tasks.end({ outcome, note: args.note ?? '' });
    return ended?.id;
  }

  async deleteSession(args: { confirm?: boolean }): Promise<number> {
    if (!(await this.confirm(args.confirm, 'Delete everything recorded in this window’s current session?', 'Delete session'))) return 0;
    const sessionId = this.session.sessionId;
    this.session.endSession('window', 'window');
    await this.session.closeSegments();
    const report = await removeRecords(this.storePath, { session: sessionId });
    this.log.info(`deleted session ${sessionId}: ${report.recordsRemoved} records`);
    this.recordings.refresh();
    return report.recordsRemoved;
  }

  async deleteTask(args: { task?: string; confirm?: boolean }): Promise<number> {
    const taskId = args.task ?? this.tasks.current?.id ?? this.tasks.lastEnded?.id;
    if (!taskId) {
      void vscode.window.showInformationMessage('Codetrail: there is no task to delete.');
      return 0;
    }
    if (!(await this.confirm(args.confirm, `Delete everything recorded for the task ${this.tasks.titleOf(taskId) ?? taskId}?`, 'Delete task'))) return 0;
    const removed = await this.reviews.deleteTask(taskId, this.tasks.titleOf(taskId) ?? taskId, true);
    return removed ?? 0;
  }

  private async forgetTask(taskId: string): Promise<void> {
    if (this.tasks.current?.id === taskId) await this.tasks.forget();
  }

  async deleteRepositoryData(args: { repo?: string; confirm?: boolean }): Promise<string[]> {
    await this.repos.whenReady();
    const targets = this.repos.all().filter((r) => !args.repo || r.root === args.repo);
    const names = targets.map((r) => basename(r.root)).join(', ');
    if (targets.length === 0 || !(await this.confirm(args.confirm, `Delete everything Codetrail recorded for ${names}?`, 'Delete recordings'))) return [];
    for (const repo of targets) {
      await this.session.forgetRepo(repo.repoId);
      await rm(repoDir(this.storePath, repo.repoId), { recursive: true, force: true });
      this.log.info(`deleted all recordings of ${repo.root}`);
    }
    this.recordings.refresh();
    return targets.map((r) => r.root);
  }

  private async confirm(given: boolean | undefined, question: string, action: string): Promise<boolean> {
    if (given !== undefined) return given;
    return (await vscode.window.showWarningMessage(question, { modal: true, detail: 'The recorded bytes are removed from disk for good.' }, action)) === action;
  }

  /** Deletes segments older than the policy's retention (or the shorter personal setting). */
  async enforceRetention(): Promise<void> {
    const personal = this.settings.retentionDays;
    const rules: RetentionRule[] = this.repos
      .all()
      .flatMap((r) => (r.state.kind === 'consented' ? [{ repoId: r.repoId, maxAgeDays: r.state.policy.retentionDays }] : []));
    if (personal > 0) rules.push({ maxAgeDays: personal });
    const deleted = await enforceRetention(this.storePath, rules);
    if (deleted.length) this.log.info(`retention: deleted ${deleted.length} old segment(s)`);
  }

  async flush(): Promise<void> {
    await this.editor.settle();
    // Reads of changes on disk the watcher already reported (a terminal command's output).
    await this.disk.settle();
    this.editor.drain();
    this.diagnostics.drain();
    await Promise.all(this.recordingRepos().map((r) => this.git.check(r.root)));
    await this.session.flush();
  }

  // ---- internals ----

  private onRepoChanged(repo: TrackedRepo): void {
    this.syncWatchers();
    if (repo.state.kind === 'consented') this.editor.rememberOpenDocuments();
    const { state } = repo;
    const warnings = 'warnings' in state ? state.warnings : [];
    this.log.info(`${repo.root}: ${state.kind}${'errors' in state ? ` (${state.errors.join('; ')})` : ''}`);
    for (const w of warnings) this.log.warn(`${repo.root}: policy: ${w}`);
    if (state.kind !== 'consented' && this.session.hasStarted(repo.repoId)) void this.session.forgetRepo(repo.repoId);
    if (state.kind === 'consented' && this.tasks.current)
      void this.tasks.recordStartingState({ repoId: repo.repoId, root: repo.root, policy: state.policy }, 'session');
    if (state.kind === 'invalid' && !this.offered.has(state.hash)) {
      this.offered.add(state.hash);
      void vscode.window.showWarningMessage(`Codetrail will not record ${basename(repo.root)}: its policy file is invalid. ${state.errors.join('; ')}`);
    }
    if (state.kind === 'consented') this.consentView.answered(repo.root);
    if (state.kind === 'needs-consent' && !this.offered.has(state.hash)) {
      this.offered.add(state.hash);
      // A notification, not the view itself: opening a page in the editor at start-up would take the
      // place of the file the engineer is typing in. Nothing is recorded until they choose.
      const ask = state.policyChanged
        ? 'The Codetrail policy of this repository changed.'
        : 'This repository asks to record how you work on it, with Codetrail.';
      void vscode.window.showInformationMessage(`${ask} (${basename(repo.root)})`, 'Read and Decide…', 'Not Now').then((pick) => {
        if (pick === 'Read and Decide…') void vscode.commands.executeCommand('codetrail.giveConsent', { repo: repo.root });
      });
    }
  }

  /** File and HEAD watchers follow the set of repositories recording now. */
  private syncWatchers(): void {
    const recording = this.recordingRepos();
    this.disk.sync(recording);
    void this.git.sync(recording);
    this.updateStatus();
  }

  private onStoreFull(full: boolean): void {
    this.updateStatus();
    if (full) {
      this.log.error(`store: the disk is full (${this.storePath}); recording is paused until there is room again`);
      void vscode.window.showWarningMessage(
        `Codetrail paused: the disk holding its recordings is full (${this.storePath}). Nothing already recorded is lost; recording resumes by itself when there is room.`,
      );
    } else {
      this.log.info('store: there is room again; recording resumed');
      this.editor.rememberOpenDocuments();
    }
  }

  private onStoreError(err: unknown): void {
    this.log.error(`store: ${errorMessage(err)}`);
    if (this.session.storeFull || this.storeWarningShown) return;
    this.storeWarningShown = true;
    void vscode.window.showWarningMessage(`Codetrail could not save recent events and will retry: ${errorMessage(err)}`).then(() => {
      this.storeWarningShown = false;
    });
  }

  updateStatus(): void {
    // A badge on the Codetrail icon stays until the engineer decides: a consent notification can
    // go unseen (Do Not Disturb sends it straight to the notification centre).
    const asking = this.repos.all().filter((r) => r.state.kind === 'needs-consent').length;
    this.recordingsTree.badge = asking
      ? {
          value: asking,
          tooltip:
            asking === 1
              ? vscode.l10n.t('A repository asks for your consent to record')
              : vscode.l10n.t('{0} repositories ask for your consent to record', asking),
        }
      : undefined;
    this.statusBar.update({
      trusted: vscode.workspace.isTrusted,
      paused: this.paused,
      diskFull: this.session.storeFull,
      states: this.repos.all().map((r) => r.state.kind),
      task: this.tasks.current?.title,
      recording: this.recordingRepos().map((r) => basename(r.root)),
    });
  }

  async dispose(): Promise<void> {
    this.editor.drain();
    vscode.Disposable.from(...this.disposables).dispose();
    await this.session.dispose();
  }
}
