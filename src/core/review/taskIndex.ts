// The store as the Codetrail view lists it: repositories, their tasks with what a reviewer wants
// at a glance (title, outcome, duration, replay status, approval), and each task's sessions.
// The summaries come from the task index kept beside the store (taskIndexFile.ts): only tasks
// whose segments changed since it was written are replayed.
import type { ReadIssue } from '../store/segmentReader';
import { approvalOf } from './approval';
import { refreshTaskIndex } from './taskIndexFile';
import type { RepoSummary, TaskSummary } from './taskSummary';

export { approvalOf };
export { summarizeTask, type RepoSummary, type SessionSummary, type TaskSummary } from './taskSummary';

/** Every repository and task of a store, newest task first. Replay status is verified per task. */
export async function indexStore(store: string, onIssue: (issue: ReadIssue) => void = () => undefined): Promise<RepoSummary[]> {
  const { tasks } = await refreshTaskIndex(store, onIssue);
  const repos = new Map<string, TaskSummary[]>();
  for (const summary of tasks.values()) {
    const list = repos.get(summary.repo) ?? [];
    list.push(summary);
    repos.set(summary.repo, list);
  }
  return [...repos].map(([repo, list]) => ({ repo, tasks: list.sort((a, b) => b.startedAt - a.startedAt || a.task.localeCompare(b.task)) }));
}
