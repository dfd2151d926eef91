// Facts about a commit's files that replay checks against: the blob each path has in the
// commit, and which paths the working tree still differs on (partial staging).
import { gitAt } from './gateway';

/** path → blob id in `sha` (null when the path is absent there). */
export async function blobIdsAt(root: string, sha: string, paths: string[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>(paths.map((p) => [p, null]));
  if (paths.length === 0) return result;
  const out = await gitAt(root).raw(['ls-tree', '-r', '-z', '--full-tree', sha, '--', ...paths]);
  for (const entry of out.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]{40,64})\t(.*)$/s.exec(entry);
    if (m && result.has(m[2]!)) result.set(m[2]!, m[1]!);
  }
  return result;
}

/** Paths whose working-tree content differs from `sha`. */
export async function differFromWorkingTree(root: string, sha: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const out = await gitAt(root).raw(['diff', '--name-only', '-z', '--no-renames', sha, '--', ...paths]);
  return new Set(out.split('\0').filter(Boolean));
}
