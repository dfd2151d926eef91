// The coding task: started by the engineer (or by switching to a branch when none is active),
// ended with an outcome. The active task survives a window reload through workspace state.
import vscode = require('vscode');
import { captureStartingState } from '../core/git/startingState';
import type { EventData } from '../core/schema/events';
import type { CaptureSink, RepoTarget } from './sink';

export interface ActiveTask {
  id: string;
  title: string;
  startedAt: number;
  /** HEAD of each repository when the task started: what its commits are diffed against. */
  bases?: Record<string, string | null>;
}

const STATE_KEY = 'codetrail.activeTask.v1';
/** Untracked files kept in a starting state: each, and all together. */
const MAX_UNTRACKED_FILE_BYTES = 256 * 1024;
const MAX_UNTRACKED_TOTAL_BYTES = 2 * 1024 * 1024;

export class TaskController implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<ActiveTask | undefined>();
  readonly onDidChange = this._onDidChange.event;
  private active: ActiveTask | undefined;
  private ended: ActiveTask | undefined;
  /** Titles of tasks seen in this window, for confirmations. */
  private readonly titles = new Map<string, string>();

  constructor(
    private readonly sink: CaptureSink,
    private readonly state: vscode.Memento,
  ) {
    this.active = state.get<ActiveTask>(STATE_KEY);
    if (this.active) sink.session.resumeTask(this.active.id);
  }

  get current(): ActiveTask | undefined {
    return this.active;
  }

  get lastEnded(): ActiveTask | undefined {
    return this.ended;
  }

  /** The commit the active task started from in a repository. */
  baseFor(repoId: string): string | null | undefined {
    return this.active?.bases?.[repoId];
  }

  /** Others' commits arrived (pull, merge, rebase...): the task's commits are diffed against `sha` from now on. */
  async moveBase(repoId: string, sha: string): Promise<void> {
    if (!this.active) return;
    this.active = { ...this.active, bases: { ...this.active.bases, [repoId]: sha } };
    await this.state.update(STATE_KEY, this.active);
  }

  titleOf(taskId: string): string | undefined {
    return this.titles.get(taskId);
  }

  async start(data: Omit<EventData<'task.start'>, 'branch'> & { branch?: string | null }): Promise<ActiveTask | undefined> {
    const repos = this.sink.recordingRepos();
    if (repos.length === 0) return undefined;
    if (this.active) await this.end({ outcome: 'abandoned', note: 'a new task was started' });
    const id = this.sink.session.startTask(
      repos.map((r) => r.repoId),
      { title: data.title, description: data.description, ...(data.issueUrl ? { issueUrl: data.issueUrl } : {}), auto: data.auto, branch: data.branch ?? null },
    );
    this.active = { id, title: data.title, startedAt: Date.now() };
    this.titles.set(id, data.title);
    await this.state.update(STATE_KEY, this.active);
    this._onDidChange.fire(this.active);
    await Promise.all(repos.map((repo) => this.recordStartingState(repo, 'task')));
    return this.active;
  }

  async end(data: EventData<'task.end'>): Promise<ActiveTask | undefined> {
    const ended = this.active;
    if (!ended) return undefined;
    this.sink.session.endTask(
      this.sink.recordingRepos().map((r) => r.repoId),
      data,
    );
    this.active = undefined;
    this.ended = ended;
    await this.state.update(STATE_KEY, undefined);
    this._onDidChange.fire(undefined);
    return ended;
  }

  /** Forgets the active task without recording its end (it is being deleted). */
  async forget(): Promise<void> {
    this.active = undefined;
    this.sink.session.resumeTask(null);
    await this.state.update(STATE_KEY, undefined);
    this._onDidChange.fire(undefined);
  }

  /** Where replay starts: HEAD, the dirty diff and untracked files, at task start or a new session. */
  async recordStartingState(repo: RepoTarget, reason: 'task' | 'session' | 'head'): Promise<void> {
    if (!this.active) return;
    const state = await captureStartingState(repo.root, {
      maxUntrackedBytes: MAX_UNTRACKED_FILE_BYTES,
      maxTotalUntrackedBytes: MAX_UNTRACKED_TOTAL_BYTES,
      isExcluded: (relPath) => this.sink.targetFor(`${repo.root}/${relPath}`) === undefined,
    });
    const metadataOnly = repo.policy.capture === 'metadata';
    if (reason === 'task' && this.active) {
      this.active = { ...this.active, bases: { ...this.active.bases, [repo.repoId]: state.head } };
      await this.state.update(STATE_KEY, this.active);
    }
    this.sink.session.record(
      repo.repoId,
      'git.state',
      {
        reason,
        head: state.head,
        branch: state.branch,
        detached: state.detached,
        inProgress: state.inProgress,
        dirtyDiff: metadataOnly ? '' : state.dirtyDiff,
        diffOmitted: state.diffOmitted,
        untracked: state.untracked.map((u) => ({
          path: u.path,
          size: u.size,
          ...(u.symlink ? { symlink: true } : {}),
          ...(u.content !== undefined && !metadataOnly ? { content: u.content } : {}),
          ...(u.skipped ? { skipped: u.skipped } : metadataOnly ? { skipped: 'metadata' } : {}),
        })),
      },
      'system',
    );
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}
