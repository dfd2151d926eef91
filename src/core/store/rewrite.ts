// Removing records from a store for good: every segment that holds any is rewritten without them
// in one transaction (see transaction.ts), so a crash at any point leaves the old store or the
// new one, never half of either. Lines that cannot be parsed are kept:
// nothing already recorded is lost by a deletion of something else.
import { openForReading } from '../base/confine';
import { createGunzip } from 'node:zlib';
import { listSegments, type SegmentFile } from './storeReader';
import { recoverStore, replaceSegments, type SegmentReplacement } from './transaction';

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
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a line of a store is untrusted: any JSON value
  if (typeof value !== 'object' || value === null) return false;
  return (
    (sel.session === undefined || value.session === sel.session) &&
    (sel.task === undefined || value.task === sel.task) &&
    (sel.repo === undefined || value.repo === sel.repo) &&
    (sel.ids === undefined || (typeof value.id === 'string' && sel.ids.has(value.id)))
  );
}

/** A segment's lines as stored, valid or not (a rewrite keeps what it cannot parse). */
export async function readSegmentLines(path: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  const raw = (await openForReading(path)).createReadStream();
  const source = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  for await (const chunk of source) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? [] : text.replace(/\n$/, '').split('\n');
}

/** Removes every record matching the selector (all given fields must match), in one transaction. */
export async function removeRecords(store: string, selector: RecordSelector): Promise<RemovalReport> {
  const report: RemovalReport = { recordsRemoved: 0, segmentsRewritten: 0, segmentsDeleted: 0 };
  await recoverStore(store); // the selection reads the store as a committed rewrite left it
  const segments = (await listSegments(store)).filter((s: SegmentFile) => !selector.repo || s.repoId === selector.repo);
  const replacements: SegmentReplacement[] = [];
  for (const segment of segments) {
    const lines = await readSegmentLines(segment.path);
    const wholeSession = selector.session && segment.sessionId === selector.session && !selector.task && !selector.ids;
    const kept = wholeSession ? [] : lines.filter((l) => !matches(l, selector));
    if (kept.length === lines.length) continue;
    report.recordsRemoved += lines.length - kept.length;
    if (kept.length === 0) report.segmentsDeleted += 1;
    else report.segmentsRewritten += 1;
    replacements.push({ path: segment.path, lines: kept.length === 0 ? null : kept });
  }
  await replaceSegments(store, replacements);
  return report;
}
