// Rewriting several segments as one step: a redaction or a deletion that spans segments must
// never be seen half done, even if the process dies in the middle. Every new segment is written
// to a temporary file and synced first; then a journal naming them is written and synced (the
// commit point); then the renames run and the journal goes. Whoever opens the store next finishes
// the renames a journal names (roll forward) and removes temporary files no journal names (roll
// back), so a reader sees either the old store or the new one.
import { createWriteStream } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { CodetrailError } from '../errors';
import { FILE_MODE, reposDir } from './layout';
import { liveWriter } from './writerMark';

export interface SegmentReplacement {
  path: string;
  /** The segment's new lines (without line breaks), or null to delete the segment. */
  lines: readonly string[] | null;
}

/** Points where a test can stop the process to prove each of them safe. */
export type TransactionStep = 'temp-written' | 'journal-written' | 'renamed-one' | 'renamed-all';

const JOURNAL = 'rewrite.journal.json';
const TEMP_SUFFIX = '.rewrite.tmp';

interface Journal {
  v: 1;
  entries: { path: string; temp: string | null }[];
}

/** Applies every replacement, all or nothing. */
/** Temporary files of a rewrite that died are left this long before another rewrite removes them. */
export const STALE_TEMP_MS = 10 * 60_000;

export async function replaceSegments(store: string, replacements: readonly SegmentReplacement[], onStep?: (step: TransactionStep) => void): Promise<void> {
  await recoverStore(store, { staleAfterMs: STALE_TEMP_MS });
  if (replacements.length === 0) return;
  for (const { path } of replacements) {
    const pid = await liveWriter(path);
    if (pid !== undefined) {
      throw new CodetrailError('bad-input', `${basename(path)} is still being recorded (process ${pid}, another window or session): end that session or close its window, then try again; nothing was changed`);
    }
  }
  const entries: Journal['entries'] = [];
  try {
    for (const r of replacements) {
      if (r.lines === null) {
        entries.push({ path: r.path, temp: null });
        continue;
      }
      const temp = r.path + TEMP_SUFFIX;
      entries.push({ path: r.path, temp });
      await writeSynced(temp, r.lines.map((l) => l + '\n').join(''), r.path.endsWith('.gz'));
    }
  } catch (err) {
    await Promise.all(entries.map((e) => (e.temp ? rm(e.temp, { force: true }) : undefined)));
    throw err;
  }
  onStep?.('temp-written');
  const journal = join(store, JOURNAL);
  await writeSynced(journal + '.tmp', JSON.stringify({ v: 1, entries } satisfies Journal), false);
  await rename(journal + '.tmp', journal);
  await syncDir(store);
  onStep?.('journal-written');
  await applyJournal(store, entries, onStep);
}

/**
 * Finishes a rewrite that was committed (what readers do before reading), and, before a rewrite of
 * its own, removes temporary files no journal names and no live rewrite can still be writing
 * (older than `staleAfterMs`): a reader must never delete another process's temporary files
 * between their writing and its journal.
 */
export async function recoverStore(store: string, { staleAfterMs }: { staleAfterMs?: number } = {}): Promise<void> {
  await finishCommittedRewrite(store);
  if (staleAfterMs !== undefined) await removeStaleTemps(store, staleAfterMs);
}

async function finishCommittedRewrite(store: string): Promise<void> {
  const journal = join(store, JOURNAL);
  const text = await readFile(journal, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text !== undefined) {
    let parsed: Journal;
    try {
      parsed = JSON.parse(text) as Journal;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the journal on disk is untrusted until checked here
      if (parsed.v !== 1 || !Array.isArray(parsed.entries)) throw new Error('unknown journal version');
    } catch (err) {
      throw new CodetrailError('bad-input', `${journal} is damaged (${(err as Error).message}); the store was not changed further — move the file away after checking its segments`);
    }
    const inside = parsed.entries.every((e) => typeof e.path === 'string' && e.path.startsWith(reposDir(store)) && (e.temp === null || e.temp === e.path + TEMP_SUFFIX));
    if (!inside) throw new CodetrailError('bad-input', `${journal} names files outside the store; refusing to apply it`);
    await applyJournal(store, parsed.entries);
  }
}

async function applyJournal(store: string, entries: Journal['entries'], onStep?: (step: TransactionStep) => void): Promise<void> {
  const dirs = new Set<string>();
  for (const { path, temp } of entries) {
    dirs.add(dirname(path));
    if (temp === null) await rm(path, { force: true });
    else {
      // Already renamed by an earlier, interrupted recovery: the segment is the new one.
      await rename(temp, path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
    onStep?.('renamed-one');
  }
  for (const dir of dirs) await syncDir(dir);
  onStep?.('renamed-all');
  await unlink(join(store, JOURNAL));
  await syncDir(store);
}

async function removeStaleTemps(store: string, staleAfterMs: number): Promise<void> {
  const root = reposDir(store);
  const before = Date.now() - staleAfterMs;
  for (const repo of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!repo.isDirectory()) continue;
    for (const name of await readdir(join(root, repo.name))) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      const path = join(root, repo.name, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs <= before) await rm(path, { force: true });
    }
  }
}

async function writeSynced(path: string, text: string, gzip: boolean): Promise<void> {
  const source = Readable.from([Buffer.from(text, 'utf8')]);
  const sink = createWriteStream(path, { mode: FILE_MODE });
  if (gzip) await pipeline(source, createGzip(), sink);
  else await pipeline(source, sink);
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still ordered after the data.
  } finally {
    await handle.close();
  }
}
