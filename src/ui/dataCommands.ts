// Deleting recordings: the window's current session, a task, everything of a repository (each
// asks first unless told), and retention: segments older than the policy or the personal setting
// allow, deleted at start-up and then daily.
import * as vscode from 'vscode';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TaskController } from '../capture/taskController';
import type { CaptureSession } from '../core/capture/captureSession';
import { errorMessage } from '../core/base/errors';
import { repoDir } from '../core/store/layout';
import { enforceRetention, type RetentionRule } from '../core/store/retention';
import { removeRecords } from '../core/store/rewrite';
import type { RepositoryTracker } from '../workspace/repositoryTracker';
import type { RecordingsView } from './recordingsView';
import type { Reviews } from './review/reviews';

export interface DataCommandsHost {
  readonly storePath: string;
  readonly repos: RepositoryTracker;
  readonly session: CaptureSession;
  readonly tasks: TaskController;
  readonly reviews: Reviews;
  readonly recordings: RecordingsView;
  readonly log: vscode.LogOutputChannel;
  /** The engineer's own retention setting in days (0: none); the policy's may be shorter or longer. */
  readonly personalRetentionDays: number;
}

const DAY_MS = 86_400_000;

export class DataCommands implements vscode.Disposable {
  private daily: NodeJS.Timeout | undefined;

  constructor(private readonly host: DataCommandsHost) {}

  async deleteSession(args: { confirm?: boolean }): Promise<number> {
    const { session, storePath, log, recordings } = this.host;
    if (!(await confirm(args.confirm, 'Delete everything recorded in this window’s current session?', 'Delete session'))) return 0;
    const sessionId = session.sessionId;
    session.endSession('window', 'window');
    await session.closeSegments();
    const report = await removeRecords(storePath, { session: sessionId });
    log.info(`deleted session ${sessionId}: ${report.recordsRemoved} records`);
    recordings.refresh();
    return report.recordsRemoved;
  }

  async deleteTask(args: { task?: string; confirm?: boolean }): Promise<number> {
    const { tasks, reviews } = this.host;
    const taskId = args.task ?? tasks.current?.id ?? tasks.lastEnded?.id;
    if (!taskId) {
      void vscode.window.showInformationMessage('Codetrail: there is no task to delete.');
      return 0;
    }
    if (!(await confirm(args.confirm, `Delete everything recorded for the task ${tasks.titleOf(taskId) ?? taskId}?`, 'Delete task'))) return 0;
    const removed = await reviews.deleteTask(taskId, tasks.titleOf(taskId) ?? taskId, true);
    return removed ?? 0;
  }

  async deleteRepositoryData(args: { repo?: string; confirm?: boolean }): Promise<string[]> {
    const { repos, session, storePath, log, recordings } = this.host;
    await repos.whenReady();
    const targets = repos.all().filter((r) => !args.repo || r.root === args.repo);
    const names = targets.map((r) => basename(r.root)).join(', ');
    if (targets.length === 0 || !(await confirm(args.confirm, `Delete everything Codetrail recorded for ${names}?`, 'Delete recordings'))) return [];
    for (const repo of targets) {
      await session.forgetRepo(repo.repoId);
      await rm(repoDir(storePath, repo.repoId), { recursive: true, force: true });
      log.info(`deleted all recordings of ${repo.root}`);
    }
    recordings.refresh();
    return targets.map((r) => r.root);
  }

  /** Retention once the repositories are known, then daily. */
  startRetention(): void {
    const retention = () => this.enforceRetention().catch((err) => this.host.log.warn(`retention: ${errorMessage(err)}`));
    void this.host.repos.refresh().then(retention);
    this.daily = setInterval(retention, DAY_MS);
    this.daily.unref();
  }

  /** Deletes segments older than the policy's retention (or the shorter personal setting). */
  async enforceRetention(): Promise<void> {
    const { repos, storePath, log, personalRetentionDays: personal } = this.host;
    const rules: RetentionRule[] = repos
      .all()
      .flatMap((r) => (r.state.kind === 'consented' ? [{ repoId: r.repoId, maxAgeDays: r.state.policy.retentionDays }] : []));
    if (personal > 0) rules.push({ maxAgeDays: personal });
    const deleted = await enforceRetention(storePath, rules);
    if (deleted.length) log.info(`retention: deleted ${deleted.length} old segment(s)`);
  }

  dispose(): void {
    clearInterval(this.daily);
  }
}

async function confirm(given: boolean | undefined, question: string, action: string): Promise<boolean> {
  if (given !== undefined) return given;
  return (await vscode.window.showWarningMessage(question, { modal: true, detail: 'The recorded bytes are removed from disk for good.' }, action)) === action;
}
