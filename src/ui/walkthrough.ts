// The Getting Started walkthrough (`contributes.walkthroughs`): its steps complete through
// `completionEvents` on context keys that this module sets when the engineer really reaches each
// milestone (consent given, a task started and ended, a review opened, a task approved, an
// export written, a policy created), not when a button is merely clicked. VS Code remembers
// completed steps itself; the keys only need to become true once per window.
import * as vscode from 'vscode';
import type { ActiveTask } from '../capture/taskController';
import { approvals } from '../core/export/exporter';
import { loadTask } from '../core/review/taskRewrite';
import type { TrackedRepo } from '../workspace/repositoryTracker';
import { milestoneContextKey, WALKTHROUGH_ID, type Milestone } from './walkthroughSteps';

/** The review panel's webview type (src/ui/review/reviewPanel.ts). */
const REVIEW_VIEW_TYPE = 'codetrail.review';
const SHOWN_KEY = 'codetrail.walkthroughShown.v1';

export interface WalkthroughSources {
  readonly repos: { readonly onDidChange: vscode.Event<TrackedRepo>; all(): TrackedRepo[] };
  readonly tasks: { readonly onDidChange: vscode.Event<ActiveTask | undefined>; readonly current: ActiveTask | undefined; readonly lastEnded: ActiveTask | undefined };
  readonly reviews: { readonly onDidChange: vscode.Event<string | undefined> };
  /** Whether the task's latest review decision is an approval. */
  isApproved(taskId: string): Promise<boolean>;
  readonly globalState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
}

export class WalkthroughProgress implements vscode.Disposable {
  private readonly reached = new Set<Milestone>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly approvalWatch: vscode.Disposable;

  constructor(private readonly sources: WalkthroughSources) {
    sources.repos.onDidChange(this.onRepo, this, this.disposables);
    for (const repo of sources.repos.all()) this.onRepo(repo);
    sources.tasks.onDidChange(this.onTask, this, this.disposables);
    this.onTask(sources.tasks.current);
    vscode.window.tabGroups.onDidChangeTabs((e) => this.onTabs([...e.opened, ...e.changed]), this, this.disposables);
    this.onTabs(vscode.window.tabGroups.all.flatMap((g) => g.tabs));
    this.approvalWatch = sources.reviews.onDidChange((taskId) => void this.onReviewChange(taskId));
    this.disposables.push(this.approvalWatch);
  }

  /** Marks a milestone reached: the walkthrough step waiting for it ticks. */
  reach(milestone: Milestone): void {
    if (this.reached.has(milestone)) return;
    this.reached.add(milestone);
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
        this.approvalWatch.dispose();
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
    if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return;
    void globalState.update(SHOWN_KEY, true);
    void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** Whether the latest review decision on a task in the store approves it (as export decides). */
export async function approvedTask(storePath: string, taskId: string): Promise<boolean> {
  return approvals(new Map([[taskId, await loadTask(storePath, taskId)]])).get(taskId) === true;
}
