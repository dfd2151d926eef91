// The Getting Started walkthrough (`contributes.walkthroughs`): its steps complete through
// `completionEvents` on context keys that this module sets when the engineer really reaches each
// milestone (consent given, a task started and ended, a review opened, a task approved, an
// export written, a policy created), not when a button is merely clicked. VS Code remembers
// completed steps itself; reached milestones are also kept in the extension's global state, so
// their watchers stop for good once each was reached.
import * as vscode from 'vscode';
import type { ActiveTask } from '../capture/taskController';
import type { TrackedRepo } from '../workspace/repositoryTracker';
import { MILESTONES, milestoneContextKey, WALKTHROUGH_ID, type Milestone } from './walkthroughSteps';
import { taskTools } from './loadTasks';

/** The review panel's webview type (src/ui/review/reviewPanel.ts). */
const REVIEW_VIEW_TYPE = 'codetrail.review';
const SHOWN_KEY = 'codetrail.walkthroughShown.v1';
/** Milestones reached in any window of this installation: their watchers need not run again. */
const REACHED_KEY = 'codetrail.walkthroughReached.v1';

export interface WalkthroughSources {
  readonly repos: { readonly onDidChange: vscode.Event<TrackedRepo>; all(): TrackedRepo[] };
  readonly tasks: {
    readonly onDidChange: vscode.Event<ActiveTask | undefined>;
    readonly current: ActiveTask | undefined;
    readonly lastEnded: ActiveTask | undefined;
  };
  readonly reviews: { readonly onDidChange: vscode.Event<string | undefined> };
  /** Whether the task's latest review decision is an approval. */
  isApproved(taskId: string): Promise<boolean>;
  readonly globalState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
}

export class WalkthroughProgress implements vscode.Disposable {
  private readonly reached: Set<Milestone>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly approvalWatch: vscode.Disposable | undefined;

  constructor(private readonly sources: WalkthroughSources) {
    const before = sources.globalState.get<unknown>(REACHED_KEY);
    this.reached = new Set(Array.isArray(before) ? before.filter((m): m is Milestone => (MILESTONES as readonly unknown[]).includes(m)) : []);
    // VS Code remembers completed steps itself; the keys are set again only for this window's `when` clauses.
    for (const m of this.reached) void vscode.commands.executeCommand('setContext', milestoneContextKey(m), true);
    sources.repos.onDidChange(this.onRepo, this, this.disposables);
    for (const repo of sources.repos.all()) this.onRepo(repo);
    sources.tasks.onDidChange(this.onTask, this, this.disposables);
    this.onTask(sources.tasks.current);
    vscode.window.tabGroups.onDidChangeTabs((e) => this.onTabs([...e.opened, ...e.changed]), this, this.disposables);
    this.onTabs(vscode.window.tabGroups.all.flatMap((g) => g.tabs));
    // Deciding whether a change was an approval reads the task from the store: only until one was.
    if (!this.reached.has('taskApproved')) {
      this.approvalWatch = sources.reviews.onDidChange((taskId) => void this.onReviewChange(taskId));
      this.disposables.push(this.approvalWatch);
    }
  }

  /** Marks a milestone reached: the walkthrough step waiting for it ticks. */
  reach(milestone: Milestone): void {
    if (this.reached.has(milestone)) return;
    this.reached.add(milestone);
    void this.sources.globalState.update(REACHED_KEY, [...this.reached]);
    this.sources.log.info(`walkthrough: ${milestone}`);
    void vscode.commands.executeCommand('setContext', milestoneContextKey(milestone), true);
  }

  has(milestone: Milestone): boolean {
    return this.reached.has(milestone);
  }

  private onRepo(repo: TrackedRepo): void {
    if (repo.state.kind === 'consented') this.reach('consented');
    if (repo.state.kind === 'needs-consent' || repo.state.kind === 'consented') this.showOnFirstRun();
  }

  private onTask(task: ActiveTask | undefined): void {
    if (task) this.reach('taskStarted');
    else if (this.sources.tasks.lastEnded) this.reach('taskEnded');
  }

  private onTabs(tabs: readonly vscode.Tab[]): void {
    if (tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(REVIEW_VIEW_TYPE))) this.reach('reviewOpened');
  }

  private async onReviewChange(taskId: string | undefined): Promise<void> {
    if (!taskId || this.has('taskApproved')) return;
    try {
      if (await this.sources.isApproved(taskId)) {
        this.reach('taskApproved');
        this.approvalWatch?.dispose();
      }
    } catch {
      // The task was deleted, or the store is unreadable: nothing was approved.
    }
  }

  /**
   * Once per installation, the first time a window holds an opted-in repository, opens the
   * walkthrough, as VS Code does for an extension installed from the Marketplace, and under the
   * same setting (`workbench.welcomePage.walkthroughs.openOnInstall`).
   */
  private showOnFirstRun(): void {
    const { globalState } = this.sources;
    if (globalState.get<boolean>(SHOWN_KEY)) return;
    // VS Code's own switch for walkthroughs, and ours: in a remote window VS Code keeps its
    // application settings from extensions, so only ours can turn it off there.
    const vscodeSays = vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true);
    if (!vscodeSays || !vscode.workspace.getConfiguration('codetrail').get<boolean>('openWalkthrough', true)) return;
    void globalState.update(SHOWN_KEY, true);
    // Behind the file the engineer is in, never in front of it: keys typed a moment later must
    // not land in a page that appeared under the cursor.
    const inactive = vscode.window.visibleTextEditors.length > 0;
    this.sources.log.info(`walkthrough: opened on first run${inactive ? ', behind the open editor' : ''}`);
    void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, { toSide: false, inactive });
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** Whether the latest review decision on a task in the store approves it (as export decides). */
export async function approvedTask(storePath: string, taskId: string): Promise<boolean> {
  const { approvalOf, loadTask } = taskTools();
  return approvalOf(await loadTask(storePath, taskId));
}
