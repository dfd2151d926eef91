// One task's part of an export, the same in the exporter's thread and in a worker thread: its one
// replay (the verdict, the steps when the format reads the trajectory, authorship for the dataset
// card's share of typed lines, and the format's own observer), and what the manifest says of it.
import { AuthorshipTracker, sumCounts, type AuthorCounts } from '../replay/authorship';
import type { ReplayObserver } from '../replay/pass';
import { replayTask } from '../replay/pass';
import { verdictOf, type ReplayStatus } from '../replay/verify';
import type { EventRecord } from '../schema/events';
import type { StreamObserver } from '../store/taskStream';
import type { ExportedTask, ExportFormatSpec } from './format';
import { provenanceOf, StepCollector, trajectoryOf, type Provenance, type Trajectory } from './trajectory';

export interface ReplayedTask {
  task: ExportedTask;
  /** Who wrote the lines the task's commits added. */
  authored: AuthorCounts;
  /** The task's provenance, for the manifest and the trajectory. */
  origin: Provenance;
}

export async function replayForExport(
  taskId: string,
  events: EventRecord[],
  spec: ExportFormatSpec,
  format: string,
  formatObserver: ReplayObserver | undefined,
): Promise<ReplayedTask> {
  const steps = new StepCollector();
  const authorship = new AuthorshipTracker();
  const observers = [...(spec.trajectory !== false ? [steps] : []), authorship, ...(formatObserver ? [formatObserver] : [])];
  const replayer = await replayTask(events, observers);
  const verdict = verdictOf(taskId, events, replayer);
  const origin = provenanceOf(events);
  // Made when a format reads it: the steps' diffs and the final patch cost more than raw, Zed or ProgSnap2 rows.
  let trajectory: Trajectory | undefined;
  return {
    authored: sumCounts(authorship.commits.map((c) => c.counts)),
    origin,
    task: {
      taskId,
      events,
      verdict,
      get trajectory() {
        if (spec.trajectory === false) throw new Error(`the ${format} format said it does not read the trajectory`);
        return (trajectory ??= trajectoryOf(taskId, events, verdict, steps.finish(), authorship.commits, origin));
      },
    },
  };
}

/** What the manifest and the dataset card keep of an exported task (a plain object: it comes back from worker threads). */
export interface TaskOutcome {
  taskId: string;
  approved: boolean;
  status: ReplayStatus;
  authored: AuthorCounts;
  events: number;
  contributor: string;
  origin: Provenance;
}

export function outcomeOf(events: readonly EventRecord[], approved: boolean, { task, authored, origin }: ReplayedTask): TaskOutcome {
  return {
    taskId: task.taskId,
    approved,
    status: task.verdict.status,
    authored,
    events: events.length,
    contributor: events[0]?.contributor ?? '',
    origin,
  };
}

/**
 * Where each task's first record was read, as one sortable number (segment index in the plan, then
 * record number in the segment): the manifest lists tasks in that order, however they were read.
 */
export class FirstRecords implements StreamObserver {
  readonly at = new Map<string, number>();
  private segment = -1;
  private ordinal = 0;

  constructor(private readonly counts: (task: string) => boolean = () => true) {}

  onRecord(record: EventRecord, segmentIndex: number): void {
    if (segmentIndex !== this.segment) [this.segment, this.ordinal] = [segmentIndex, 0];
    const position = segmentIndex * 2 ** 32 + this.ordinal++;
    if (record.task !== null && !this.at.has(record.task) && this.counts(record.task)) this.at.set(record.task, position);
  }
}
