// `codetrail verify` over a store of any size: one pass over the segments, each task replayed once
// as soon as its last segment has been read and then dropped, so memory follows the largest task
// rather than the store. The plan (which segments hold which tasks) comes from the task index.
import type { ReadIssue } from '../store/segmentReader';
import { streamTasks, type PlannedSegment } from '../store/taskStream';
import { verifyTask, type TaskVerdict, type VerifyOptions, type VerifyReport } from './verify';

export async function verifyPlannedStore(plan: readonly PlannedSegment[], options: VerifyOptions = {}): Promise<VerifyReport> {
  const issues: ReadIssue[] = [];
  let outside = 0;
  const wanted = options.tasks ? new Set(options.tasks) : undefined;
  const verdicts: TaskVerdict[] = [];
  const firstSeen = new Map<string, number>();
  // Every segment is read: its problems and records outside tasks are part of the report.
  const all = new Set(plan.map((_, i) => i));
  const observer = {
    onRecord(record: { task: string | null }) {
      if (record.task === null) outside += 1;
      else if (!firstSeen.has(record.task)) firstSeen.set(record.task, firstSeen.size);
    },
    onIssue: (issue: ReadIssue) => void issues.push(issue),
  };
  for await (const { task, events } of streamTasks(plan, wanted, observer, all)) verdicts.push(await verifyTask(task, events, options.repoPath));
  // In the order tasks first appear in the store, as a whole-store read lists them.
  verdicts.sort((a, b) => firstSeen.get(a.task)! - firstSeen.get(b.task)!);
  const summary = { tasks: verdicts.length, exact: 0, diverged: 0, unverified: 0, 'no-commits': 0, eventsOutsideTasks: outside };
  for (const v of verdicts) summary[v.status] += 1;
  return { tasks: verdicts, summary, issues };
}
