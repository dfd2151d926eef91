// Removing records from a store for good: each segment that holds any is rewritten without them
// into a temporary file, synced, and renamed over the original, so a crash at any point leaves
// either the old segment or the new one, never half of one. Lines that cannot be parsed are kept:
// nothing already recorded is lost by a deletion of something else.
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, createGunzip } from 'node:zlib';
import { FILE_MODE } from './layout';
import { listSegments, type SegmentFile } from './storeReader';

export interface RecordSelector {
  session?: string;
  task?: string;
  repo?: string;
  /** Record ids to remove. */
  ids?: ReadonlySet<string>;
}

export interface RemovalReport {
  recordsRemoved: number;
  segmentsRewritten: number;
  segmentsDeleted: number;
}

function matches(line: string, sel: RecordSelector): boolean {
  let value: { id?: unknown; session?: unknown; task?: unknown; repo?: unknown };
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null) return false;
  return (
    (sel.session === undefined || value.session === sel.session) &&
    (sel.task === undefined || value.task === sel.task) &&
    (sel.repo === undefined || value.repo === sel.repo) &&
    (sel.ids === undefined || (typeof value.id === 'string' && sel.ids.has(value.id)))
  );
}

async function readLines(path: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  const source = path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  for await (const chunk of source) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? [] : text.replace(/\n$/, '').split('\n');
}

/** Removes every record matching the selector (all given fields must match). */
export async function removeRecords(store: string, selector: RecordSelector): Promise<RemovalReport> {
  const report: RemovalReport = { recordsRemoved: 0, segmentsRewritten: 0, segmentsDeleted: 0 };
  const segments = (await listSegments(store)).filter((s: SegmentFile) => !selector.repo || s.repoId === selector.repo);
  for (const segment of segments) {
    if (selector.session && segment.sessionId === selector.session && !selector.task && !selector.ids) {
      // A whole session's segment: delete the file rather than rewrite it empty.
      report.recordsRemoved += (await readLines(segment.path)).length;
      await unlink(segment.path);
      report.segmentsDeleted += 1;
      continue;
    }
    const lines = await readLines(segment.path);
    const kept = lines.filter((l) => !matches(l, selector));
    if (kept.length === lines.length) continue;
    report.recordsRemoved += lines.length - kept.length;
    if (kept.length === 0) {
      await unlink(segment.path);
      report.segmentsDeleted += 1;
      continue;
    }
    await replaceFile(segment.path, kept.map((l) => l + '\n').join(''));
    report.segmentsRewritten += 1;
  }
  return report;
}

async function replaceFile(path: string, text: string): Promise<void> {
  const tmp = `${path}.rewrite.tmp`;
  try {
    const source = Readable.from([Buffer.from(text, 'utf8')]);
    const sink = createWriteStream(tmp, { mode: FILE_MODE });
    if (path.endsWith('.gz')) await pipeline(source, createGzip(), sink);
    else await pipeline(source, sink);
    const handle = await open(tmp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
