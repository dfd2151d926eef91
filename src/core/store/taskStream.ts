// A store's tasks one at a time, in one pass over its segments: each task's records are held
// only from the first segment that has any of them to the last, then handed over sorted by id
// (recording order) and dropped. Memory is bounded by the tasks open at once, not by the store.
// Which segments hold which tasks (the plan) comes from the task index, or from a quick look
// at each segment when there is none.
import type { EventRecord } from '../schema/events';
import { readSegmentLines, readSegmentRecords, type ReadIssue } from './segmentReader';
import type { SegmentFile } from './storeReader';

export interface PlannedSegment {
  segment: SegmentFile;
  /** Every task this segment may hold records of (a superset is harmless; a task left out is not). */
  tasks: ReadonlySet<string>;
}

export interface TaskRecords {
  task: string;
  events: EventRecord[];
}

export interface StreamObserver {
  /** Each valid record as it is read, in segment order (before it is grouped into its task). */
  onRecord?: (record: EventRecord, segmentIndex: number) => void;
  onIssue?: (issue: ReadIssue, segmentIndex: number) => void;
  /** After a segment has been read to its end. */
  onSegmentDone?: (segmentIndex: number) => void;
}

/** Every `"task": "<id>"` member in a line, wherever it stands (a superset of the record's own). */
const TASK_MEMBER = /"task"\s*:\s*("(?:[^"\\]|\\.)*")/g;

/**
 * The tasks a segment may hold: a superset of the tasks of its valid records, cheap enough to
 * plan a pass with. A line is searched for its `"task"` members rather than parsed: inside a JSON
 * string every quote is escaped, so the record's own member is always among those found, unless
 * its name is written with a \u escape, and a line with any such escape is parsed as JSON instead.
 */
export async function tasksInSegment(path: string): Promise<Set<string>> {
  const tasks = new Set<string>();
  for await (const { text } of readSegmentLines(path, () => undefined)) {
    if (text.includes('\\u')) {
      addParsedTask(text, tasks);
      continue;
    }
    for (const match of text.matchAll(TASK_MEMBER)) {
      const literal = match[1]!;
      if (!literal.includes('\\')) tasks.add(literal.slice(1, -1));
      else addParsedTask(`{"task":${literal}}`, tasks);
    }
  }
  return tasks;
}

function addParsedTask(text: string, tasks: Set<string>): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return;
  }
  const task = typeof value === 'object' && value !== null ? (value as { task?: unknown }).task : undefined;
  if (typeof task === 'string') tasks.add(task);
}

const byId = (a: EventRecord, b: EventRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Reads the planned segments that hold any of `wanted` (every planned task when undefined), and
 * yields each wanted task once its last segment has been read, those complete at one segment in
 * the order their first records were read. Segments listed in `alwaysRead` are
 * read even when they hold no wanted task (their observer calls still come).
 */
export async function* streamTasks(
  plan: readonly PlannedSegment[],
  wanted?: ReadonlySet<string>,
  observer: StreamObserver = {},
  alwaysRead: ReadonlySet<number> = new Set(),
): AsyncGenerator<TaskRecords> {
  const isWanted = (task: string) => wanted === undefined || wanted.has(task);
  const last = new Map<string, number>();
  plan.forEach((p, i) => {
    for (const task of p.tasks) if (isWanted(task)) last.set(task, i);
  });
  const open = new Map<string, EventRecord[]>();
  for (const [i, { segment, tasks }] of plan.entries()) {
    if (!alwaysRead.has(i) && ![...tasks].some(isWanted)) continue;
    for await (const { record } of readSegmentRecords(segment.path, (issue) => observer.onIssue?.(issue, i))) {
      observer.onRecord?.(record, i);
      const task = record.task;
      // A task the plan did not list here would be handed over before all of it is read: such a
      // record can only come from a segment that changed after it was planned, and is left to the next pass.
      if (task === null || !tasks.has(task) || !isWanted(task)) continue;
      let list = open.get(task);
      if (!list) open.set(task, (list = []));
      list.push(record);
    }
    observer.onSegmentDone?.(i);
    // In the order their first records were read (the map's order): a store's tasks come out as a
    // whole-store read meets them, but for a task still open when a later one is complete.
    for (const task of [...open.keys()]) {
      if (last.get(task) !== i) continue;
      const events = open.get(task)!;
      open.delete(task);
      yield { task, events: events.sort(byId) };
    }
  }
}
