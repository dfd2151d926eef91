// The task index kept beside the store (`<store>/tasks.index.json`): every task's summary, and for
// every segment the tasks it holds, its read problems and the file's identity when it was read
// (size, mtime, ctime, inode). A refresh re-reads only the segments whose identity changed (an
// append grows the open segment; a rewrite renames a new file over one) and replays only the tasks
// they hold, so opening the view costs a directory listing, a stat per segment and one file read.
//
// The index is untrusted input like the rest of a store: it is only believed where it checks out.
// A file that does not parse or match its schema, or whose tasks and segments disagree, is ignored
// and rebuilt; its paths are only looked up among the segments the store lists, never opened; and
// a segment is believed unchanged only if its ctime matches, which nobody can set: an index that
// came with a store from another machine matches nothing and is rebuilt.
import { rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { openForReading, openForWriting } from '../base/confine';
import { verifyTask } from '../replay/verify';
import { FILE_MODE } from '../store/layout';
import type { ReadIssue } from '../store/segmentReader';
import { listSegments, type SegmentFile } from '../store/storeReader';
import { streamTasks, tasksInSegment, type PlannedSegment } from '../store/taskStream';
import { recoverStore } from '../store/transaction';
import { summarizeTask, type TaskSummary } from './taskSummary';

export const INDEX_FILE = 'tasks.index.json';
const INDEX_VERSION = 1;
/** An index larger than this is not read (it would be a store of hundreds of thousands of tasks). */
const MAX_INDEX_BYTES = 256 * 1024 * 1024;

const Issue = Type.Object({
  file: Type.String(),
  line: Type.Integer({ minimum: 0 }),
  kind: Type.Union([
    Type.Literal('torn-tail'),
    Type.Literal('invalid-utf8'),
    Type.Literal('invalid-json'),
    Type.Literal('invalid-record'),
    Type.Literal('line-too-long'),
    Type.Literal('unreadable'),
  ]),
  message: Type.String(),
});
const Segment = Type.Object({
  size: Type.Number(),
  mtimeMs: Type.Number(),
  ctimeMs: Type.Number(),
  ino: Type.Number(),
  tasks: Type.Array(Type.String()),
  outside: Type.Integer({ minimum: 0 }),
  issues: Type.Array(Issue),
});
const Session = Type.Object({ session: Type.String(), startedAt: Type.Number(), endedAt: Type.Number(), events: Type.Integer({ minimum: 0 }) });
const Summary = Type.Object({
  task: Type.String(),
  repo: Type.String(),
  title: Type.String(),
  outcome: Type.Union([Type.Literal('solved'), Type.Literal('partial'), Type.Literal('abandoned'), Type.Null()]),
  startedAt: Type.Number(),
  endedAt: Type.Number(),
  events: Type.Integer({ minimum: 0 }),
  approved: Type.Boolean(),
  status: Type.Union([Type.Literal('exact'), Type.Literal('diverged'), Type.Literal('unverified'), Type.Literal('no-commits')]),
  sessions: Type.Array(Session),
});
const IndexFile = Type.Object({
  v: Type.Literal(INDEX_VERSION),
  /** Keyed by `<repoId>/<segment file name>`. */
  segments: Type.Record(Type.String(), Segment),
  tasks: Type.Record(Type.String(), Summary),
});
type SegmentEntry = Static<typeof Segment>;
type IndexData = Static<typeof IndexFile>;

let checker: ReturnType<typeof TypeCompiler.Compile<typeof IndexFile>> | undefined;

export interface TaskIndex {
  tasks: Map<string, TaskSummary>;
  /** Every segment of the store in reading order, with the tasks it holds. */
  plan: PlannedSegment[];
  /** Records outside any task. */
  outside: number;
  /** What the refresh did: how many segments it read and tasks it replayed (for tests and benchmarks). */
  refreshed: { segmentsRead: number; tasksReplayed: number; rebuilt: boolean };
}

/** The index as stored, or undefined when there is none or it does not check out (then it is rebuilt). */
export async function readTaskIndex(store: string): Promise<IndexData | undefined> {
  let text: string;
  try {
    const handle = await openForReading(join(store, INDEX_FILE));
    try {
      if ((await handle.stat()).size > MAX_INDEX_BYTES) return undefined;
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  checker ??= TypeCompiler.Compile(IndexFile);
  if (!checker.Check(value)) return undefined;
  // Every summary belongs to a segment that lists its task, and every listed task has a summary.
  const listed = new Set<string>();
  for (const entry of Object.values(value.segments)) for (const task of entry.tasks) listed.add(task);
  const summaries = Object.entries(value.tasks);
  if (summaries.length !== listed.size || summaries.some(([id, s]) => s.task !== id || !listed.has(id))) return undefined;
  return value;
}

/** `<repoId>/<segment file name>`: the segment's path under the repositories folder, with `/`. */
function keyOf(segment: SegmentFile): string {
  return `${segment.repoId}/${basename(segment.path)}`;
}

type Fingerprint = Pick<SegmentEntry, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

async function fingerprint(path: string): Promise<Fingerprint> {
  const info = await stat(path).catch(() => undefined);
  // A segment gone since it was listed (compressed by its window): never matches, read next time.
  return info ? { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino } : { size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1 };
}

const sameFile = (a: Fingerprint, b: Fingerprint) => a.size >= 0 && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/**
 * Brings the index up to date with the store and returns it: segments whose identity changed are
 * read again, and every task they hold (now or before) is replayed from all its segments. Writing
 * the index back is best effort: a store that cannot be written to is still listed.
 */
interface Planned {
  segments: SegmentFile[];
  keys: string[];
  prints: Fingerprint[];
  old: IndexData | undefined;
  oldSegments: Map<string, SegmentEntry>;
  /** Indices of segments read again (new or changed since the index saw them). */
  changed: Set<number>;
  /** Tasks that had or have records in a changed or removed segment. */
  affected: Set<string>;
  plan: PlannedSegment[];
}

async function planFromIndex(store: string): Promise<Planned> {
  await recoverStore(store); // as any reader: a rewrite interrupted after its commit point is finished first
  const segments = await listSegments(store);
  const keys = segments.map(keyOf);
  // Identity is taken before reading: a segment that grows during the refresh is read again next time.
  const prints = await Promise.all(segments.map((s) => fingerprint(s.path)));
  const old = await readTaskIndex(store);
  const oldSegments = new Map(Object.entries(old?.segments ?? {}));

  const affected = new Set<string>();
  const changed = new Set<number>();
  const plan: PlannedSegment[] = [];
  for (const [i, segment] of segments.entries()) {
    const before = oldSegments.get(keys[i]!);
    if (before && sameFile(before, prints[i]!)) {
      plan.push({ segment, tasks: new Set(before.tasks) });
      continue;
    }
    changed.add(i);
    for (const task of before?.tasks ?? []) affected.add(task);
    const tasks = await tasksInSegment(segment.path);
    for (const task of tasks) affected.add(task);
    plan.push({ segment, tasks });
  }
  const current = new Set(keys);
  for (const [key, entry] of oldSegments) if (!current.has(key)) for (const task of entry.tasks) affected.add(task);

  return { segments, keys, prints, old, oldSegments, changed, affected, plan };
}

/**
 * Which segments hold which tasks, from the index where it still matches the store and from a
 * quick look at the segments where it does not; nothing is replayed. For a pass over every task
 * (verify, export) that holds one task at a time: see streamTasks.
 */
export async function planStore(store: string): Promise<PlannedSegment[]> {
  return (await planFromIndex(store)).plan;
}

export async function refreshTaskIndex(store: string, onIssue: (issue: ReadIssue) => void = () => undefined): Promise<TaskIndex> {
  const { segments, keys, prints, old, oldSegments, changed, affected, plan } = await planFromIndex(store);
  const entries: Record<string, SegmentEntry> = {};
  for (const [i, key] of keys.entries()) if (!changed.has(i)) entries[key] = oldSegments.get(key)!;
  const fresh = new Map<number, { tasks: Set<string>; outside: number; issues: ReadIssue[] }>(
    [...changed].map((i) => [i, { tasks: new Set(), outside: 0, issues: [] }]),
  );
  const summaries = new Map<string, TaskSummary>();
  for (const [id, summary] of Object.entries(old?.tasks ?? {})) if (!affected.has(id)) summaries.set(id, summary);
  let segmentsRead = 0;
  let tasksReplayed = 0;
  const observer = {
    onRecord(record: { task: string | null }, i: number) {
      const f = fresh.get(i);
      if (!f) return;
      if (record.task === null) f.outside += 1;
      // Only tasks the plan listed: one appended since is picked up when this segment is next read.
      else if (plan[i]!.tasks.has(record.task)) f.tasks.add(record.task);
    },
    onIssue(issue: ReadIssue, i: number) {
      fresh.get(i)?.issues.push(issue);
    },
    onSegmentDone(i: number) {
      segmentsRead += 1;
      const f = fresh.get(i);
      if (f) entries[keys[i]!] = { ...prints[i]!, tasks: [...f.tasks], outside: f.outside, issues: f.issues };
    },
  };
  for await (const { task, events } of streamTasks(plan, affected, observer, changed)) {
    const verdict = await verifyTask(task, events);
    summaries.set(task, summarizeTask(task, events, verdict.status));
    tasksReplayed += 1;
  }
  // A task the plan expected but whose records all turned out invalid has no summary: unlisted.
  for (const entry of Object.values(entries)) entry.tasks = entry.tasks.filter((t) => summaries.has(t));

  if (changed.size > 0 || oldSegments.size !== segments.length || !old) {
    await writeTaskIndex(store, { v: INDEX_VERSION, segments: entries, tasks: Object.fromEntries(summaries) }).catch(() => undefined);
  }
  let outside = 0;
  for (const key of keys) {
    const entry = entries[key]!;
    outside += entry.outside;
    for (const issue of entry.issues) onIssue(issue);
  }
  const finalPlan = segments.map((segment, i) => ({ segment, tasks: new Set(entries[keys[i]!]!.tasks) }));
  return { tasks: summaries, plan: finalPlan, outside, refreshed: { segmentsRead, tasksReplayed, rebuilt: !old } };
}

async function writeTaskIndex(store: string, data: IndexData): Promise<void> {
  const path = join(store, INDEX_FILE);
  // A name of this process's own, renamed over the index: a reader sees the old index or the new.
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const handle = await openForWriting(tmp, FILE_MODE);
    try {
      await handle.writeFile(JSON.stringify(data));
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
