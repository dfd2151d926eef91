// Writing a reviewed task back: the rewritten records replace the old ones where they lay in their
// segments, in one store transaction. Before anything is written the rewrite is replayed: if the
// task replayed exactly and the rewrite would not, nothing is written.
import { CodetrailError } from '../base/errors';
import { eventsByTask, verifyTask, type TaskVerdict } from '../replay/verify';
import type { EventRecord } from '../schema/events';
import { readSegmentLines } from '../store/rewrite';
import { listSegments } from '../store/storeReader';
import { replaceSegments, type SegmentReplacement } from '../store/transaction';
import { refreshTaskIndex } from './taskIndexFile';

export interface RewriteReport {
  before: TaskVerdict;
  after: TaskVerdict;
  recordsChanged: number;
  recordsRemoved: number;
  segmentsRewritten: number;
}

const RANK: Record<TaskVerdict['status'], number> = { exact: 0, 'no-commits': 1, unverified: 2, diverged: 3 };

export async function loadTask(store: string, taskId: string): Promise<EventRecord[]> {
  const { tasks } = await eventsByTask(store, () => undefined);
  const events = tasks.get(taskId);
  if (!events?.length) throw new CodetrailError('bad-input', `no task ${taskId} in ${store}`);
  return events;
}

/**
 * Replaces a task's records by `rewrite`'s result. Records keep their ids: a record whose id is
 * gone is deleted, one whose content changed is replaced in place.
 */
export async function rewriteTask(
  store: string,
  taskId: string,
  rewrite: (events: EventRecord[]) => Promise<EventRecord[]> | EventRecord[],
): Promise<RewriteReport> {
  const events = await loadTask(store, taskId);
  const next = await rewrite(events);
  const before = await verifyTask(taskId, events);
  const after = await verifyTask(taskId, next);
  if (RANK[after.status] > RANK[before.status]) {
    throw new CodetrailError(
      'would-break-replay',
      `the change would leave task ${taskId} ${after.status} (it was ${before.status}${after.divergence ? `; ${after.divergence.file}: ${after.divergence.reason}` : ''}); nothing was changed`,
    );
  }
  const old = new Map(events.map((e) => [e.id, JSON.stringify(e)]));
  const replaced = new Map<string, string | null>();
  for (const e of next) {
    if (!old.has(e.id)) throw new CodetrailError('bad-input', `a rewrite may not add record ${e.id}`);
    const line = JSON.stringify(e);
    if (line !== old.get(e.id)) replaced.set(e.id, line);
  }
  const kept = new Set(next.map((e) => e.id));
  for (const id of old.keys()) if (!kept.has(id)) replaced.set(id, null);
  const report: RewriteReport = { before, after, recordsChanged: 0, recordsRemoved: 0, segmentsRewritten: 0 };
  if (replaced.size === 0) return report;

  const replacements: SegmentReplacement[] = [];
  for (const segment of await listSegments(store)) {
    if (segment.repoId !== events[0]!.repo) continue;
    const lines = await readSegmentLines(segment.path);
    let touched = false;
    const out: string[] = [];
    for (const line of lines) {
      const id = idOf(line);
      if (id === undefined || !replaced.has(id)) {
        out.push(line);
        continue;
      }
      touched = true;
      const by = replaced.get(id) as string | null; // null: the record is gone
      if (by === null) report.recordsRemoved += 1;
      else {
        report.recordsChanged += 1;
        out.push(by);
      }
    }
    if (!touched) continue;
    replacements.push({ path: segment.path, lines: out.length ? out : null });
    report.segmentsRewritten += 1;
  }
  await replaceSegments(store, replacements);
  // The view opens on an index already brought up to date (best effort: it is rebuilt when read otherwise).
  await refreshTaskIndex(store).catch(() => undefined);
  return report;
}

/** The id of a stored line; undefined for lines that are not records (they are kept as they are). */
function idOf(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as { id?: unknown } | null;
    return typeof value?.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}
