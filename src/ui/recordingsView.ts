// The Codetrail view in the activity bar: repositories, their tasks (title, outcome, duration,
// replay status, approval) and each task's sessions. Elements are plain objects carrying the ids
// that the context-menu commands take as their arguments.
import * as vscode from 'vscode';
import type { RepoSummary, SessionSummary, TaskSummary } from '../core/review/taskIndex';
import { errorMessage } from '../core/base/errors';
import { formatDuration } from '../core/review/duration';
import { count } from '../core/base/plural';
import { replayWords } from '../core/review/statusWords';
import { taskTools } from './loadTasks';

export type RecordingsElement =
  | { type: 'repo'; repo: string; name: string; tasks: TaskSummary[] }
  | { type: 'task'; task: string; summary: TaskSummary }
  | { type: 'session'; task: string; session: string; summary: SessionSummary }
  | { type: 'message'; text: string };

export class RecordingsView implements vscode.TreeDataProvider<RecordingsElement>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<RecordingsElement | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private index: Promise<RepoSummary[]> | undefined;

  constructor(
    private readonly storePath: string,
    /** A readable name for a repository id (its folder, when it is open in this window). */
    private readonly repoName: (repoId: string) => string | undefined,
    private readonly beforeRead: () => Promise<void>,
  ) {}

  refresh(): void {
    this.index = undefined;
    this._onDidChangeTreeData.fire(undefined);
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
  }

  /** Every task the view lists (for pickers). */
  async tasks(): Promise<TaskSummary[]> {
    return (await this.load()).flatMap((r) => r.tasks);
  }

  async getChildren(element?: RecordingsElement): Promise<RecordingsElement[]> {
    if (!element) {
      let repos: RepoSummary[];
      try {
        repos = await this.load();
      } catch (err) {
        return [{ type: 'message', text: `Cannot read the recordings: ${errorMessage(err)}` }];
      }
      // An empty list shows the view's welcome content.
      return repos.map((r) => ({ type: 'repo', repo: r.repo, name: this.repoName(r.repo) ?? r.repo, tasks: r.tasks }));
    }
    if (element.type === 'repo') return element.tasks.map((summary) => ({ type: 'task', task: summary.task, summary }));
    if (element.type === 'task') return element.summary.sessions.map((summary) => ({ type: 'session', task: element.task, session: summary.session, summary }));
    return [];
  }

  getTreeItem(element: RecordingsElement): vscode.TreeItem {
    switch (element.type) {
      case 'message':
        return new vscode.TreeItem(element.text);
      case 'repo': {
        const item = new vscode.TreeItem(element.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `repo:${element.repo}`;
        item.iconPath = new vscode.ThemeIcon('repo');
        item.description = `${element.tasks.length} task${element.tasks.length === 1 ? '' : 's'}`;
        item.contextValue = 'repo';
        return item;
      }
      case 'task': {
        const t = element.summary;
        const item = new vscode.TreeItem(t.title, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `task:${t.task}`;
        const parts = [t.outcome ?? 'in progress', formatDuration(t.endedAt - t.startedAt), replayWords(t.status), t.approved ? 'approved' : 'not approved'];
        item.description = parts.join(' · ');
        item.tooltip = new vscode.MarkdownString(
          `**${escape(t.title)}**\n\n${parts.map(escape).join(' · ')}\n\n${count(t.events, 'event')} in ${count(t.sessions.length, 'session')}, started ${new Date(t.startedAt).toLocaleString()}`,
        );
        item.iconPath = t.approved
          ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
          : new vscode.ThemeIcon('circle-large-outline');
        item.accessibilityInformation = { label: `Task ${t.title}, ${parts.join(', ')}` };
        item.contextValue = t.approved ? 'task.approved' : 'task.unapproved';
        item.command = { command: 'codetrail.openReview', title: 'Review Task', arguments: [{ task: t.task }] };
        return item;
      }
      case 'session': {
        const s = element.summary;
        const item = new vscode.TreeItem(`Session ${new Date(s.startedAt).toLocaleString()}`, vscode.TreeItemCollapsibleState.None);
        item.id = `session:${element.task}:${s.session}`;
        item.description = `${count(s.events, 'event')} · ${formatDuration(s.endedAt - s.startedAt)}`;
        item.iconPath = new vscode.ThemeIcon('history');
        item.contextValue = 'session';
        return item;
      }
    }
  }

  private load(): Promise<RepoSummary[]> {
    this.index ??= this.beforeRead().then(() => taskTools().indexStore(this.storePath));
    return this.index.catch((err: { code?: string }) => {
      if (err.code === 'bad-input') return []; // no store yet: nothing recorded
      this.index = undefined;
      throw err;
    });
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
}
