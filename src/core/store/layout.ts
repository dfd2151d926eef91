// Where things live inside a store folder. Segments are grouped per repository so that
// "delete everything recorded for this repository" is one folder.
//
//   <store>/repos/<repoId>/<sessionId>-<seq>.jsonl      segment being written
//   <store>/repos/<repoId>/<sessionId>-<seq>.jsonl.gz   rotated and compressed
import { mkdir, chmod } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export const SEGMENT_PATTERN = /^([0-9A-HJKMNP-TV-Z]{26})-(\d{4,})\.jsonl(\.gz)?$/;

export function reposDir(store: string): string {
  return join(store, 'repos');
}

export function repoDir(store: string, repoId: string): string {
  return join(reposDir(store), repoId);
}

export function segmentFileName(sessionId: string, seq: number): string {
  return `${sessionId}-${String(seq).padStart(4, '0')}.jsonl`;
}

/** mkdir -p with 0700 on every folder we create; umask would otherwise widen it. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: DIR_MODE });
  if (created === undefined) return;
  let path = created;
  await chmod(path, DIR_MODE);
  for (const part of relative(created, dir).split(sep).filter(Boolean)) {
    path = join(path, part);
    await chmod(path, DIR_MODE);
  }
}
