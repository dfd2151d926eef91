// The composition root: everything Codetrail does in a window is built here, wired together and
// disposed together. The pieces hold the behaviour: the window's gate (workspace/windowGate.ts),
// the consent flow, task control, the data commands and the store's health (src/ui/), the capture
// adapters (src/capture/). Commands reach the window through `CommandHost` (ui/commandHost.ts).
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { DiagnosticsCapture } from './capture/diagnosticsCapture';
import { DiskCapture } from './capture/diskCapture';
import { EditorCapture } from './capture/editorCapture';
import { GitCapture } from './capture/gitCapture';
import type { CaptureSink } from './capture/sink';
import { TaskCapture } from './capture/taskCapture';
import { TaskController } from './capture/taskController';
import { TerminalCapture } from './capture/terminalCapture';
import { DiskWriters } from './core/capture/diskWriters';
import { assistantsOf } from './core/capture/assistants';
import { EarlierSaves } from './core/capture/earlierSaves';
import { describeGitFailure, onGitFailure } from './core/git/gateway';
import { CaptureSession, type SessionInfo } from './core/capture/captureSession';
import { ConsentLedger } from './core/gate/consent';
import { errorMessage } from './core/base/errors';
import { identityHasher } from './core/git/identityHash';
import { newUlid } from './core/base/ids';
import { loadIdentity } from './core/capture/identity';
import { Recorder } from './core/capture/recorder';
import { Redactor } from './core/redact/storeRedactor';
import { REDACTION_RULES_VERSION } from './core/redact/detectors';
import { resolveStorePath, settingsFrom, SETTINGS, type SettingName, type Settings } from './core/base/settings';
import type { CommandHost } from './ui/commandHost';
import { ConsentFlow } from './ui/consentFlow';
import { DataCommands } from './ui/dataCommands';
import { RecordingsView, type RecordingsElement } from './ui/recordingsView';
import { ReviewPanels } from './ui/review/reviewPanel';
import { Reviews } from './ui/review/reviews';
import { StatusBar } from './ui/statusBar';
import { StoreHealth } from './ui/storeHealth';
import { TaskControl } from './ui/taskControl';
import { approvedTask, WalkthroughProgress } from './ui/walkthrough';
import type { ExportHost } from './ui/exportTasks';
import { RepositoryTracker, type TrackedRepo } from './workspace/repositoryTracker';
import { WindowGate } from './workspace/windowGate';

export class Codetrail implements CommandHost, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusBar = new StatusBar();
  readonly log = vscode.window.createOutputChannel('Codetrail', { log: true });
  private readonly gate: WindowGate;
  /** What capture adapters talk to: the window's gate and the session behind it. */
  private readonly sink: CaptureSink;
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
  readonly consent: ConsentFlow;
  readonly taskControl: TaskControl;
  readonly data: DataCommands;
  readonly storeHealth: StoreHealth;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    settings: Settings,
    readonly storePath: string,
    ledger: ConsentLedger,
    readonly session: CaptureSession,
    readonly repos: RepositoryTracker,
    redactionSalt: string,
  ) {
    const log = this.log;
    this.gate = new WindowGate(repos, ledger);
    const gate = this.gate;
    this.sink = {
      session,
      writers: new DiskWriters(),
      warn: (message) => log.warn(message),
      targetFor: (fsPath) => gate.targetFor(fsPath),
      repoTargetFor: (fsPath) => gate.repoTargetFor(fsPath),
      recordingRepos: () => gate.recordingRepos(),
      whenDecided: (fsPath) => gate.whenDecided(fsPath),
      warmIgnore: (fsPath) => gate.warmIgnore(fsPath),
    };
    this.tasks = new TaskController(this.sink, context.workspaceState);
    const earlierSaves = new EarlierSaves();
    this.editor = new EditorCapture(this.sink, earlierSaves);
    this.disk = new DiskCapture(this.sink, () => this.editor.settle(), earlierSaves);
    this.diagnostics = new DiagnosticsCapture(this.sink);
    this.git = new GitCapture(this.sink, this.disk, this.tasks, identityHasher(redactionSalt));
    this.reviews = new Reviews({
      storePath,
      salt: redactionSalt,
      session,
      log,
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
      log,
    });
    this.exportHost = { storePath, version: String(context.extension.packageJSON.version), flush: () => this.flush() };
    const personalRetentionDays = settings.retentionDays;
    const updateStatus = () => this.updateStatus();
    const rememberOpenDocuments = () => this.editor.rememberOpenDocuments();
    this.consent = new ConsentFlow({ storePath, repos, consent: ledger, session, personalRetentionDays, updateStatus });
    this.taskControl = new TaskControl({ repos, gate, tasks: this.tasks, session, log, rememberOpenDocuments, syncWatchers: () => this.syncWatchers() });
    this.data = new DataCommands({
      storePath,
      repos,
      session,
      tasks: this.tasks,
      reviews: this.reviews,
      recordings: this.recordings,
      log,
      personalRetentionDays,
    });
    this.storeHealth = new StoreHealth({ storePath, session, log, rememberOpenDocuments, updateStatus });
    this.disposables.push(
      log,
      this.statusBar,
      this.consent,
      this.taskControl,
      repos,
      gate,
      this.tasks,
      this.editor,
      this.disk,
      this.diagnostics,
      this.git,
      new TerminalCapture(this.sink),
      new TaskCapture(this.sink),
      this.reviews,
      this.reviewPanels,
      this.recordings,
      this.walkthrough,
      this.data,
      (this.recordingsTree = vscode.window.createTreeView('codetrail.recordings', { treeDataProvider: this.recordings, showCollapseAll: true })),
    );
    repos.onDidChange(this.onRepoChanged, this, this.disposables);
    this.tasks.onDidChange(() => this.updateStatus(), this, this.disposables);
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.syncWatchers(), this, this.disposables);
    // Git failures the code carried on from, with what was asked (core/git/gateway.ts).
    onGitFailure((f) => (f.expected ? log.debug(describeGitFailure(f)) : log.warn(describeGitFailure(f))));
    this.disposables.push({ dispose: () => onGitFailure(undefined) });
  }

  static async create(context: vscode.ExtensionContext): Promise<Codetrail> {
    const settings = settingsFrom((name: SettingName) => vscode.workspace.getConfiguration('codetrail').get(name, SETTINGS[name].default));
    const storePath = resolveStorePath(process.env, settings, join(context.globalStorageUri.fsPath, 'store'));
    const identity = await loadIdentity(context.globalState);
    const consent = new ConsentLedger(context.globalState);
    let app: Codetrail | undefined;
    const repos = new RepositoryTracker(consent, (message) => app?.log.warn(message));
    const recorder = new Recorder({
      storePath,
      sessionId: newUlid(),
      contributorId: identity.contributorId,
      onWarning: (message) => app?.log.warn(message),
    });
    const session = new CaptureSession(recorder, {
      flushIntervalMs: settings.flushIntervalMs,
      idleMs: settings.idleMinutes * 60_000,
      onFlushError: (err) => app?.storeHealth.onStoreError(err),
      onStoreFull: (full) => app?.storeHealth.onStoreFull(full),
      redactor: new Redactor(identity.salt),
      onRedactionError: (err) => app?.log.warn(`an event was dropped because redaction failed: ${errorMessage(err)}`),
      sessionInfo: (repoId) => app?.sessionInfo(repoId),
    });
    app = new Codetrail(context, settings, storePath, consent, session, repos, identity.salt);
    app.data.startRetention();
    return app;
  }

  private sessionInfo(repoId: string): SessionInfo | undefined {
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

  async flush(): Promise<void> {
    // Answers git owes after a .gitignore changed decide what the held and next changes may record.
    await this.gate.settle();
    await this.editor.settle();
    // Reads of changes on disk the watcher already reported (a terminal command's output).
    await this.disk.settle();
    this.editor.drain();
    this.diagnostics.drain();
    await Promise.all(this.gate.recordingRepos().map((r) => this.git.check(r.root)));
    await this.session.flush();
  }

  private async forgetTask(taskId: string): Promise<void> {
    if (this.tasks.current?.id === taskId) await this.tasks.forget();
  }

  private onRepoChanged(repo: TrackedRepo): void {
    this.syncWatchers();
    if (repo.state.kind === 'consented') this.editor.rememberOpenDocuments();
    const { state } = repo;
    const warnings = 'warnings' in state ? state.warnings : [];
    this.log.info(`${repo.root}: ${state.kind}${'errors' in state ? ` (${state.errors.join('; ')})` : ''}`);
    for (const w of warnings) this.log.warn(`${repo.root}: policy: ${w}`);
    if (state.kind !== 'consented' && this.session.hasStarted(repo.repoId)) void this.session.forgetRepo(repo.repoId);
    const admitted = this.tasks.current && this.gate.admitted(repo);
    if (admitted) void this.tasks.recordStartingState(admitted, 'session');
    this.consent.repoChanged(repo);
  }

  /** File and HEAD watchers follow the set of repositories recording now. */
  private syncWatchers(): void {
    const recording = this.gate.recordingRepos();
    this.disk.sync(recording);
    void this.git.sync(recording);
    this.updateStatus();
  }

  private updateStatus(): void {
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
      paused: this.gate.isPaused,
      diskFull: this.session.storeFull,
      states: this.repos.all().map((r) => r.state.kind),
      task: this.tasks.current?.title,
      recording: this.gate.recordingRepos().map((r) => basename(r.root)),
    });
  }

  async dispose(): Promise<void> {
    this.editor.drain();
    vscode.Disposable.from(...this.disposables).dispose();
    await this.session.dispose();
  }
}
