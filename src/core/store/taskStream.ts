// A store's tasks one at a time, in one pass over its segments: each task's records are held
// only from the first segment that has any of them to the last, then handed over sorted by id
// (recording order) and dropped. Memory is bounded by the tasks open at once, not by the store.
// Which segments hold which tasks (the plan) comes from the task index, or from a quick look
// at each segment when there is none.
import type { EventRecord } from '../schema/events';
import { MAX_LINE_BYTES, openSegment, readSegmentRecords, type ReadIssue } from './segmentReader';
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
const TASK_KEY = Buffer.from('"task"');
const U_ESCAPE = Buffer.from('\\u');

/**
 * The tasks a segment may hold: a superset of the tasks of its valid records, cheap enough to
 * plan a pass with. The bytes are searched for `"task"` members rather than parsed: inside a JSON
 * string every quote is escaped, so the record's own member is always among those found, unless
 * its name is written with a \u escape; lines read together that hold any such escape are looked
 * at one by one, and a line with one is parsed as JSON instead. Lines the reader would skip (torn,
 * too long, not UTF-8) may add a task: a superset is harmless.
 */
export async function tasksInSegment(path: string): Promise<Set<string>> {
  const tasks = new Set<string>();
  const opened = await openSegment(path, () => undefined);
  if (!opened) return tasks;
  // Whole lines only are searched: what follows a chunk's last newline waits for the next chunk.
  // A line longer than the reader takes is let go of (the reader skips it).
  let parts: Buffer[] = [];
  let partBytes = 0;
  try {
    for await (const chunk of opened.bytes) {
      const nl = chunk.lastIndexOf(10);
      if (nl === -1) {
        partBytes += chunk.length;
        if (partBytes > MAX_LINE_BYTES) [parts, partBytes] = [[], 0];
        else parts.push(Buffer.from(chunk));
        continue;
      }
      tasksInLines(parts.length ? Buffer.concat([...parts, chunk.subarray(0, nl + 1)]) : chunk.subarray(0, nl + 1), tasks);
      parts = [Buffer.from(chunk.subarray(nl + 1))];
      partBytes = chunk.length - nl - 1;
    }
    tasksInLines(Buffer.concat(parts), tasks);
  } catch {
    // Unreadable from here on: the reader reports it; the tasks found so far stand.
  } finally {
    opened.close();
  }
  return tasks;
}

const isBlank = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0d;

/** The tasks named by `"task"` members in `lines` (whole lines). */
function tasksInLines(lines: Buffer, tasks: Set<string>): void {
  if (lines.includes(U_ESCAPE)) {
    for (let start = 0; start < lines.length;) {
      const nl = lines.indexOf(10, start);
      const end = nl === -1 ? lines.length : nl;
      tasksInLine(lines.toString('utf8', start, end), tasks);
      start = end + 1;
    }
    return;
  }
  for (let at = lines.indexOf(TASK_KEY); at !== -1; at = lines.indexOf(TASK_KEY, at + 1)) {
    let p = at + TASK_KEY.length;
    while (isBlank(lines[p])) p++;
    if (lines[p] !== 0x3a) continue; // ':'
    p++;
    while (isBlank(lines[p])) p++;
    if (lines[p] !== 0x22) continue; // '"'
    const open = p;
    let escaped = false;
    // The string ends at the first quote no backslash escapes, on the same line.
    for (p += 1; p < lines.length && lines[p] !== 0x22 && lines[p] !== 0x0a; p++) {
      if (lines[p] === 0x5c) {
        escaped = true;
        if (lines[p + 1] === 0x0a) break;
        p++;
      }
    }
    if (lines[p] !== 0x22) continue;
    const literal = lines.toString('utf8', open, p + 1);
    if (!escaped) tasks.add(literal.slice(1, -1));
    else addParsedTask(`{"task":${literal}}`, tasks);
    at = p;
  }
}

/** One line's tasks, as a line with a \u escape needs: parsed when it holds one, else searched. */
function tasksInLine(text: string, tasks: Set<string>): void {
  if (text.includes('\\u')) return addParsedTask(text, tasks);
  for (const match of text.matchAll(TASK_MEMBER)) {
    const literal = match[1]!;
    if (!literal.includes('\\')) tasks.add(literal.slice(1, -1));
    else addParsedTask(`{"task":${literal}}`, tasks);
  }
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
