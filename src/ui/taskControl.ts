// Task control as the engineer drives it: starting a task (title and problem statement), ending
// it with an outcome, and pausing and resuming recording.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { TaskController } from '../capture/taskController';
import type { CaptureSession } from '../core/capture/captureSession';
import type { RepositoryTracker } from '../workspace/repositoryTracker';
import type { WindowGate } from '../workspace/windowGate';
import { StatementEditor } from './statementEditor';

export interface TaskControlHost {
  readonly repos: RepositoryTracker;
  readonly gate: WindowGate;
  readonly tasks: TaskController;
  readonly session: CaptureSession;
  readonly log: vscode.LogOutputChannel;
  /** Recording resumed: the open documents are taken in again (replay forgot them at the pause). */
  rememberOpenDocuments(): void;
  /** What records changed (pause): watchers and status follow. */
  syncWatchers(): void;
}

export class TaskControl implements vscode.Disposable {
  /** Where a problem statement longer than a line is written. */
  private readonly statement = new StatementEditor();

  constructor(private readonly host: TaskControlHost) {}

  dispose(): void {
    this.statement.dispose();
  }

  get isPaused(): boolean {
    return this.host.gate.isPaused;
  }

  pause(): void {
    if (this.isPaused) return;
    this.host.session.endSession('pause', 'resume');
    this.setPaused(true);
  }

  resume(): void {
    if (!this.isPaused) return;
    this.setPaused(false);
    this.host.rememberOpenDocuments();
    const { tasks, gate } = this.host;
    if (tasks.current) for (const repo of gate.recordingRepos()) void tasks.recordStartingState(repo, 'session');
  }

  private setPaused(paused: boolean): void {
    this.host.gate.setPaused(paused);
    void vscode.commands.executeCommand('setContext', 'codetrail.paused', paused);
    this.host.syncWatchers();
  }

  async startTask(args: { title?: string; description?: string; issueUrl?: string }): Promise<string | undefined> {
    const { repos, gate, tasks, log } = this.host;
    await repos.whenReady();
    if (gate.recordingRepos().length === 0) {
      log.info(
        `no task started: not recording (${
          repos
            .all()
            .map((r) => `${basename(r.root)}: ${r.state.kind}`)
            .join(', ') || 'no repository'
        }; trusted ${vscode.workspace.isTrusted}, paused ${this.isPaused})`,
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
      description = await this.statement.ask(title);
      if (description === undefined) return undefined; // Escape cancels the task, it does not start it
    }
    const task = await tasks.start({ title, description: description ?? '', ...(args.issueUrl ? { issueUrl: args.issueUrl } : {}), auto: false });
    return task?.id;
  }

  async endTask(args: { outcome?: 'solved' | 'partial' | 'abandoned'; note?: string }): Promise<string | undefined> {
    const { tasks } = this.host;
    if (!tasks.current) return undefined;
    const outcome =
      args.outcome ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'Solved', value: 'solved' as const },
            { label: 'Partly solved', value: 'partial' as const },
            { label: 'Abandoned', value: 'abandoned' as const },
          ],
          { title: `End task: ${tasks.current.title}`, placeHolder: 'How did it end?' },
        )
      )?.value;
    if (!outcome) return undefined;
    const ended = await tasks.end({ outcome, note: args.note ?? '' });
    return ended?.id;
  }
}
