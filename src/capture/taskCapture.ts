// Test runs started from VS Code tasks in the Test group and from debug sessions. There is no
// stable API for other extensions' test explorers; terminal commands are covered elsewhere.
import vscode = require('vscode');
import type { CaptureSink, RepoTarget } from './sink';

export class TaskCapture implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly started = new Map<vscode.TaskExecution, number>();
  private readonly debugStarted = new Map<string, number>();

  constructor(private readonly sink: CaptureSink) {
    vscode.tasks.onDidStartTaskProcess((e) => this.started.set(e.execution, Date.now()), this, this.disposables);
    vscode.tasks.onDidEndTaskProcess(this.onTaskEnd, this, this.disposables);
    vscode.debug.onDidStartDebugSession((s) => this.debugStarted.set(s.id, Date.now()), this, this.disposables);
    vscode.debug.onDidTerminateDebugSession(this.onDebugEnd, this, this.disposables);
  }

  private repoFor(folder: vscode.WorkspaceFolder | undefined): RepoTarget | undefined {
    if (folder) return this.sink.repoTargetFor(folder.uri.fsPath);
    const repos = this.sink.recordingRepos();
    return repos.length === 1 ? repos[0] : undefined;
  }

  private onTaskEnd(e: vscode.TaskProcessEndEvent): void {
    const startTs = this.started.get(e.execution) ?? Date.now();
    this.started.delete(e.execution);
    const task = e.execution.task;
    if (task.group?.id !== vscode.TaskGroup.Test.id) return;
    const repo = this.repoFor(typeof task.scope === 'object' ? task.scope : undefined);
    if (!repo) return;
    this.sink.session.record(
      repo.repoId,
      'test.run',
      {
        source: 'task',
        command: `${task.source}: ${task.name}`,
        runner: null,
        exitCode: e.exitCode ?? null,
        passed: null,
        failed: null,
        skipped: null,
        failingTests: [],
        durationMs: Date.now() - startTs,
      },
      'user',
      startTs,
    );
  }

  private onDebugEnd(session: vscode.DebugSession): void {
    const startTs = this.debugStarted.get(session.id) ?? Date.now();
    this.debugStarted.delete(session.id);
    const config = session.configuration;
    const described = `${session.name} ${String(config.program ?? '')} ${JSON.stringify(config.args ?? [])}`;
    if (!/\btests?\b|jest|vitest|mocha|pytest|unittest|--test\b/i.test(described)) return;
    const repo = this.repoFor(session.workspaceFolder);
    if (!repo) return;
    this.sink.session.record(
      repo.repoId,
      'test.run',
      {
        source: 'debug',
        command: `debug: ${session.name}`,
        runner: null,
        exitCode: null,
        passed: null,
        failed: null,
        skipped: null,
        failingTests: [],
        durationMs: Date.now() - startTs,
      },
      'user',
      startTs,
    );
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
