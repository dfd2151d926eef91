// Counts for `codetrail stats`: what a store holds, by kind, task and session.
import type { ReadIssue } from './segmentReader';
import { readStore } from './storeReader';

export interface StoreStats {
  events: number;
  byKind: Record<string, number>;
  byTask: Record<string, number>;
  bySession: Record<string, number>;
  byRepo: Record<string, number>;
  firstTs: number | null;
  lastTs: number | null;
  issues: ReadIssue[];
}

/** Events recorded while no task was active are counted under this key. */
export const NO_TASK = '(none)';

export async function storeStats(store: string): Promise<StoreStats> {
  const stats: StoreStats = { events: 0, byKind: {}, byTask: {}, bySession: {}, byRepo: {}, firstTs: null, lastTs: null, issues: [] };
  for await (const { record } of readStore(store, (issue) => stats.issues.push(issue))) {
    stats.events += 1;
    bump(stats.byKind, record.kind);
    bump(stats.byTask, record.task ?? NO_TASK);
    bump(stats.bySession, record.session);
    bump(stats.byRepo, record.repo);
    stats.firstTs = stats.firstTs === null ? record.ts : Math.min(stats.firstTs, record.ts);
    stats.lastTs = stats.lastTs === null ? record.ts : Math.max(stats.lastTs, record.ts);
  }
  return stats;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
