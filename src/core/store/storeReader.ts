// Walks a store folder: every repository's segments, oldest session first.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CodetrailError } from '../base/errors';
import { reposDir, SEGMENT_PATTERN } from './layout';
import { recoverStore } from './transaction';
import { readSegmentRecords, type ReadIssue, type ReadRecord } from './segmentReader';

export interface SegmentFile {
  repoId: string;
  sessionId: string;
  seq: number;
  path: string;
}

export async function listSegments(store: string): Promise<SegmentFile[]> {
  const info = await stat(store).catch(() => undefined);
  if (!info?.isDirectory()) throw new CodetrailError('bad-input', `no Codetrail store at ${store}`);
  const root = reposDir(store);
  const repos = await readdir(root, { withFileTypes: true }).catch(() => []);
  const segments: SegmentFile[] = [];
  for (const repo of repos) {
    if (!repo.isDirectory()) continue;
    // Plain files only: a symbolic link named like a segment could lead anywhere on this machine.
    const entries = await readdir(join(root, repo.name), { withFileTypes: true });
    const present = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    for (const name of present) {
      const m = SEGMENT_PATTERN.exec(name);
      if (!m) continue;
      // A plain segment whose compressed copy is complete is a leftover of an interrupted rotation.
      if (!m[3] && present.has(name + '.gz')) continue;
      segments.push({ repoId: repo.name, sessionId: m[1]!, seq: Number(m[2]), path: join(root, repo.name, name) });
    }
  }
  // Plain string order, not the locale's: the same on every machine, and a year's thousands of
  // segments sort in microseconds rather than through collation.
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return segments.sort((a, b) => order(a.sessionId, b.sessionId) || a.seq - b.seq || order(a.repoId, b.repoId));
}

/** Every valid record of the store, segment by segment; problems go to `onIssue`. */
export async function* readStore(store: string, onIssue: (issue: ReadIssue) => void): AsyncGenerator<ReadRecord> {
  await recoverStore(store); // a rewrite interrupted after its commit point is finished first
  for (const segment of await listSegments(store)) yield* readSegmentRecords(segment.path, onIssue);
}
