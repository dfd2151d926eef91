// Retention: segments whose last write is older than the limit are deleted, whole.
import { stat, unlink } from 'node:fs/promises';
import { listSegments } from './storeReader';

export interface RetentionRule {
  /** Only this repository's segments; all when undefined. */
  repoId?: string;
  maxAgeDays: number;
}

export async function enforceRetention(store: string, rules: RetentionRule[], now = Date.now()): Promise<string[]> {
  const deleted: string[] = [];
  let segments;
  try {
    segments = await listSegments(store);
  } catch {
    return deleted; // no store yet
  }
  for (const segment of segments) {
    const limits = rules.filter((r) => r.repoId === undefined || r.repoId === segment.repoId).map((r) => r.maxAgeDays);
    if (limits.length === 0) continue;
    const cutoff = now - Math.min(...limits) * 86_400_000;
    const info = await stat(segment.path).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) {
      await unlink(segment.path);
      deleted.push(segment.path);
    }
  }
  return deleted;
}
