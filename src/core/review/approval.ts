// Approval is a record, not a flag: a task.review event appended in a segment of its own (its own
// session id), so deciding never rewrites what was recorded. The latest decision counts.
import { CodetrailError } from '../errors';
import { newUlid } from '../ids';
import { Recorder } from '../recorder';
import type { EventRecord } from '../schema/events';

/** The one approval rule: the latest review decides; a task never reviewed is not approved. */
export function approvalOf(events: readonly EventRecord[]): boolean {
  let approved = false;
  for (const e of events) if (e.kind === 'task.review') approved = e.data.approved;
  return approved;
}

export async function recordReview(store: string, taskId: string, events: readonly EventRecord[], approved: boolean): Promise<void> {
  const first = events[0];
  if (!first) throw new CodetrailError('bad-input', `no task ${taskId} in ${store}`);
  const recorder = new Recorder({ storePath: store, sessionId: newUlid(), contributorId: first.contributor });
  recorder.setTask(taskId);
  recorder.record(first.repo, 'task.review', { approved }, 'user');
  await recorder.dispose();
}
