// What the engineer can do to a recorded task from the view and the panel: open it, approve or
// withdraw, redact a word everywhere, delete steps, the task or a session. Every rewrite closes
// the window's open segments first (the writer then starts new ones and never appends to a file
// that was replaced), asks before it destroys anything, and tells the tree and panels to reload.
import * as vscode from 'vscode';
import type { CaptureSession } from '../../core/capture/captureSession';
import type { TaskReview } from '../../core/review/reviewModel';
import { CodetrailError, errorMessage } from '../../core/base/errors';
import { removeRecords } from '../../core/store/rewrite';
import { canonicalRedact } from '../../core/redact/canonical';
import { gitAt } from '../../core/git/gateway';
import { taskTools } from '../loadTasks';

export interface ReviewHost {
  readonly storePath: string;
  readonly salt: string;
  readonly session: CaptureSession;
  readonly log: vscode.LogOutputChannel;
  /** Forgets the task if it is the active one, before its records go. */
  forgetTask(taskId: string): Promise<void>;
  /** The task this window is recording now, if any. */
  activeTask(): string | undefined;
  /** Where a repository is checked out in this window, if it is open here. */
  repoRoot(repoId: string): string | undefined;
}

export class Reviews implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<string | undefined>();
  /** A task's records changed (undefined: anything may have). */
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly host: ReviewHost) {}

  dispose(): void {
    this._onDidChange.dispose();
  }

  async load(taskId: string): Promise<TaskReview> {
    await this.host.session.flush();
    const { loadTask, startingContent, TaskReview, verifyTask } = taskTools();
    const events = await loadTask(this.host.storePath, taskId);
    const root = events[0] && this.host.repoRoot(events[0].repo);
    // Before a file's first snapshot, replay shows it as HEAD had it, redacted as capture would have.
    const base = root ? startingContent(events, (sha, file) => this.readAtCommit(root, sha, file)) : undefined;
    return new TaskReview(taskId, events, await verifyTask(taskId, events), base);
  }

  private async readAtCommit(root: string, sha: string, file: string): Promise<string | null | undefined> {
    if (!/^[0-9a-f]{40,64}$/.test(sha)) return undefined;
    try {
      return canonicalRedact(await gitAt(root).show([`${sha}:${file}`]), this.host.salt).text;
    } catch (err) {
      // Not in that commit: the file did not exist when the task started.
      return /does not exist in|exists on disk, but not in/.test(errorMessage(err)) ? null : undefined;
    }
  }

  async approve(taskId: string, approved: boolean): Promise<void> {
    await this.host.session.flush();
    const { loadTask, recordReview } = taskTools();
    await recordReview(this.host.storePath, taskId, await loadTask(this.host.storePath, taskId), approved);
    this.host.log.info(`${approved ? 'approved' : 'withdrew approval of'} task ${taskId}`);
    this._onDidChange.fire(taskId);
  }

  /** Redacts a word in every record of the task. Returns how many records changed, or undefined if the engineer said no. */
  async redact(taskId: string, word: string, confirm?: boolean): Promise<number | undefined> {
    const { checkWord, redactWordInTask, remainingOccurrences, rewriteTask } = taskTools();
    const problem = checkWord(word);
    if (problem) throw new CodetrailError('bad-input', `cannot redact that: ${problem}`);
    // Edits still to come are made against the real text; rewritten history would not fit them.
    if (this.host.activeTask() === taskId) throw new CodetrailError('bad-input', 'this task is still being recorded: end it first, then redact');
    const shown = word.length > 60 ? `${word.slice(0, 57)}…` : word;
    if (
      !(await this.confirm(
        confirm,
        `Redact “${shown}” everywhere in this task?`,
        'Every record of the task that holds it is rewritten with a placeholder instead. This cannot be undone.',
        'Redact',
      ))
    )
      return undefined;
    await this.prepareRewrite();
    const report = await rewriteTask(this.host.storePath, taskId, (events) => {
      const { records } = redactWordInTask(events, word, this.host.salt);
      // The check that matters: nothing of the task still holds the word.
      if (remainingOccurrences(records, word) > 0) throw new CodetrailError('would-break-replay', 'the word would remain in some records; nothing was changed');
      return records;
    });
    this.host.log.info(
      `redacted a word in task ${taskId}: ${report.recordsChanged} records rewritten in ${report.segmentsRewritten} segments; replay ${report.after.status}`,
    );
    this._onDidChange.fire(taskId);
    return report.recordsChanged;
  }

  /** Deletes the records of the steps with these indices, leaving a gap record for each run. */
  async deleteSteps(taskId: string, indices: readonly number[], confirm?: boolean): Promise<number | undefined> {
    const review = await this.load(taskId);
    const steps = [...new Set(indices)].map((i) => review.steps[i]);
    if (steps.length === 0 || steps.some((s) => !s))
      throw new CodetrailError('bad-input', `task ${taskId} has no step ${indices.find((i) => !review.steps[i])}`);
    const what = steps.length === 1 ? `the step “${steps[0]!.title}”` : `${steps.length} steps`;
    if (
      !(await this.confirm(
        confirm,
        `Delete ${what} from this task?`,
        'Their records are removed for good; the task keeps a marked gap so it still replays.',
        'Delete',
      ))
    )
      return undefined;
    await this.prepareRewrite();
    const ids = new Set(steps.flatMap((s) => s!.ids));
    const { deleteRecords, rewriteTask } = taskTools();
    const report = await rewriteTask(this.host.storePath, taskId, async (events) => (await deleteRecords(events, ids)).records);
    this.host.log.info(`deleted ${ids.size} records of task ${taskId}; replay ${report.after.status}`);
    this._onDidChange.fire(taskId);
    return ids.size;
  }

  async deleteTask(taskId: string, title: string, confirm?: boolean): Promise<number | undefined> {
    if (
      !(await this.confirm(confirm, `Delete everything recorded for the task “${title}”?`, 'Its records are removed from the store for good.', 'Delete task'))
    )
      return undefined;
    await this.host.forgetTask(taskId);
    await this.prepareRewrite();
    const report = await removeRecords(this.host.storePath, { task: taskId });
    this.host.log.info(`deleted task ${taskId}: ${report.recordsRemoved} records`);
    this._onDidChange.fire(taskId);
    return report.recordsRemoved;
  }

  /** Deletes every step a session recorded for the task; like any deleted range, a gap marks it. */
  async deleteTaskSession(taskId: string, sessionId: string, confirm?: boolean): Promise<number | undefined> {
    if (
      !(await this.confirm(
        confirm,
        'Delete this session of the task?',
        'Its steps are removed for good; the task keeps a marked gap so it still replays.',
        'Delete session',
      ))
    )
      return undefined;
    await this.prepareRewrite();
    let removed = 0;
    const { deleteRecords, isStepRecord, rewriteTask } = taskTools();
    await rewriteTask(this.host.storePath, taskId, async (events) => {
      const ids = new Set(events.filter((e) => e.session === sessionId && isStepRecord(e)).map((e) => e.id));
      removed = ids.size;
      return (await deleteRecords(events, ids)).records;
    });
    this.host.log.info(`deleted session ${sessionId} of task ${taskId}: ${removed} records`);
    this._onDidChange.fire(taskId);
    return removed;
  }

  private async prepareRewrite(): Promise<void> {
    await this.host.session.flush();
    await this.host.session.closeSegments();
  }

  private async confirm(given: boolean | undefined, question: string, detail: string, action: string): Promise<boolean> {
    if (given !== undefined) return given;
    return (await vscode.window.showWarningMessage(question, { modal: true, detail }, action)) === action;
  }
}
