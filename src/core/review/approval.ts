// Approval is a record, not a flag: a task.review event appended in a segment of its own (its own
// session id, since one writer owns each segment), so deciding never rewrites what was recorded.
// The latest decision counts. A decision is about the recording, not part of it: whatever
// summarises the work (sessions, duration, event counts) reads `recordedWork`, which leaves
// decisions out, so reviewing a task never adds a session, time or an event to it.
import { CodetrailError } from '../base/errors';
import { newUlid } from '../base/ids';
import { Recorder } from '../capture/recorder';
import { textFree } from '../redact/storeRedactor';
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
  recorder.record(first.repo, 'task.review', textFree('task.review', { approved }), 'user');
  await recorder.dispose();
}

/** A reviewer's decision about the task, not something the engineer did while working on it. */
export function isReviewDecision(e: EventRecord): boolean {
  return e.kind === 'task.review';
}

/** The task's records without review decisions: what sessions, duration and counts are made of. */
export function recordedWork<E extends EventRecord>(events: readonly E[]): E[] {
  return events.filter((e) => !isReviewDecision(e));
}
