// Rewriting several segments as one step: a redaction or a deletion that spans segments must
// never be seen half done, even if the process dies in the middle. Every new segment is written
// to a temporary file and synced first; then a journal naming them is written and synced (the
// commit point); then the renames run and the journal goes. Whoever opens the store next finishes
// the renames a journal names (roll forward) and removes temporary files no journal names (roll
// back), so a reader sees either the old store or the new one.
//
// The journal is untrusted input like the rest of a store (stores are handed between people): it
// may only name segment files at their place in the layout (`repos/<repo>/<segment>`), resolved
// through links to inside the store, and nothing it names is followed through a symbolic link.
import { lstat, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { lexicallyInside, openForReading, openForWriting, relativePathProblem, resolveInside } from '../base/confine';
import { CodetrailError } from '../base/errors';
import { FILE_MODE, reposDir, SEGMENT_PATTERN } from './layout';
import { liveWriter } from './writerMark';

const gzipAsync = promisify(gzip);

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
  /** Paths relative to the store (`repos/<repo>/<segment>`); older journals hold absolute ones. */
  entries: { path: string; temp: string | null }[];
}

/** A journal entry checked and resolved: absolute paths inside the store's real location. */
interface ResolvedEntry {
  path: string;
  temp: string | null;
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
      throw new CodetrailError(
        'bad-input',
        `${basename(path)} is still being recorded (process ${pid}, another window or session): end that session or close its window, then try again; nothing was changed`,
      );
    }
  }
  const entries: Journal['entries'] = [];
  const resolved: ResolvedEntry[] = [];
  try {
    for (const r of replacements) {
      const rel = lexicallyInside(store, r.path);
      if (rel === undefined) throw new CodetrailError('bad-input', `${r.path} is not inside the store ${store}; nothing was changed`);
      const entry = await resolveEntry(store, rel, r.lines === null ? null : rel + TEMP_SUFFIX);
      entries.push({ path: rel, temp: r.lines === null ? null : rel + TEMP_SUFFIX });
      resolved.push(entry);
      if (r.lines !== null) await writeSynced(entry.temp!, r.lines.map((l) => l + '\n').join(''), r.path.endsWith('.gz'));
    }
  } catch (err) {
    await Promise.all(resolved.map((e) => (e.temp ? rm(e.temp, { force: true }) : undefined)));
    throw err;
  }
  onStep?.('temp-written');
  const journal = join(store, JOURNAL);
  await writeSynced(journal + '.tmp', JSON.stringify({ v: 1, entries } satisfies Journal), false);
  await rename(journal + '.tmp', journal);
  await syncDir(store);
  onStep?.('journal-written');
  await applyJournal(store, resolved, onStep);
}

/**
 * A journal entry as a path the store may hold: a segment at its place in the layout, landing
 * inside the store once links are resolved, its temporary file beside it and not a link.
 */
async function resolveEntry(store: string, rel: string, temp: string | null): Promise<ResolvedEntry> {
  const parts = rel.split('/');
  const problem = relativePathProblem(rel);
  if (problem || parts.length !== 3 || parts[0] !== 'repos' || !SEGMENT_PATTERN.test(parts[2]!)) {
    throw new CodetrailError('bad-input', `the store's unfinished rewrite names ${JSON.stringify(rel)}, which is not a segment of the store; refusing it`);
  }
  if (temp !== null && temp !== rel + TEMP_SUFFIX)
    throw new CodetrailError('bad-input', `the store's unfinished rewrite names a temporary file that does not belong to ${rel}; refusing it`);
  const path = await resolveInside(store, rel, "the store's unfinished rewrite");
  for (const dir of [reposDir(store), dirname(path)]) {
    const info = await lstat(dir).catch(() => undefined);
    if (info && !info.isDirectory()) throw new CodetrailError('bad-input', `${dir} is not a plain folder (a symbolic link?); refusing to rewrite through it`);
  }
  const target = await lstat(path).catch(() => undefined);
  if (target?.isDirectory()) throw new CodetrailError('bad-input', `${path} is a folder, not a segment; refusing it`);
  const tempPath = temp === null ? null : path + TEMP_SUFFIX;
  const tempInfo = tempPath === null ? undefined : await lstat(tempPath).catch(() => undefined);
  if (tempInfo && !tempInfo.isFile()) throw new CodetrailError('bad-input', `${tempPath} is not a plain file (a symbolic link?); refusing it`);
  return { path, temp: tempPath };
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
  const text = await readText(journal).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    if (err.code === 'ENOTDIR') throw new CodetrailError('bad-input', `no Codetrail store at ${store} (not a folder)`);
    throw err;
  });
  if (text !== undefined) {
    let parsed: Journal;
    try {
      parsed = JSON.parse(text) as Journal;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the journal on disk is untrusted until checked here
      if (parsed.v !== 1 || !Array.isArray(parsed.entries)) throw new Error('unknown journal version');
    } catch (err) {
      throw new CodetrailError(
        'bad-input',
        `${journal} is damaged (${(err as Error).message}); the store was not changed further — move the file away after checking its segments`,
      );
    }
    // Every entry is checked before any is applied: a journal with one hostile entry changes nothing.
    const resolved: ResolvedEntry[] = [];
    for (const e of parsed.entries as unknown[]) {
      const entry = (typeof e === 'object' && e !== null ? e : {}) as { path?: unknown; temp?: unknown };
      const rel = typeof entry.path === 'string' ? lexicallyInside(store, entry.path) : undefined;
      const tempRel = entry.temp === null ? null : typeof entry.temp === 'string' ? lexicallyInside(store, entry.temp) : undefined;
      if (rel === undefined || tempRel === undefined)
        throw new CodetrailError('bad-input', `${journal} names files outside the store; refusing to apply it, nothing was changed`);
      resolved.push(await resolveEntry(store, rel, tempRel));
    }
    await applyJournal(store, resolved);
  }
}

async function applyJournal(store: string, entries: readonly ResolvedEntry[], onStep?: (step: TransactionStep) => void): Promise<void> {
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
      // lstat: a link's own age; removing a link removes the link, never what it points to.
      const info = await lstat(path).catch(() => undefined);
      if (info && info.mtimeMs <= before) await rm(path, { force: true });
    }
  }
}

async function readText(path: string): Promise<string> {
  const handle = await openForReading(path);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function writeSynced(path: string, text: string, compress: boolean): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  // Never through a link planted at the temporary's name.
  const handle = await openForWriting(path, FILE_MODE);
  try {
    await handle.writeFile(compress ? await gzipAsync(bytes) : bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await openForReading(dir).catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still ordered after the data.
  } finally {
    await handle.close();
  }
}
