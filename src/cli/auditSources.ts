// What `codetrail audit` reads: every file of a store or export, whatever its name says. The
// content decides how: gzip (by its magic bytes), Parquet (by its magic, read with hyparquet, one
// "line" per row), a git pack (by its magic: every object git finds in it, as ProgSnap2's Git
// code states are stored), a zlib stream (git's loose objects, one object each), anything else as
// text line by line (JSONL, CSV, CodeStates sources, README).
import { constants, createGunzip, createInflate, inflateSync } from 'node:zlib';
import { gunzippedUpToDamage } from '../core/store/gzipDamage';
import { pipeline } from 'node:stream';
import { parquetReadObjects } from 'hyparquet';
import { openForReading } from '../core/base/confine';
import { packObjects, treeNames } from '../core/git/packObjects';

export type FileFormat = 'text' | 'gzip' | 'parquet' | 'git-pack' | 'git-pack-index' | 'zlib';

export interface TextLine {
  line: number;
  text: string;
  /** In a git pack: the object the line is in (`line` counts within it). */
  object?: string;
}

const GZIP = Buffer.from([0x1f, 0x8b]);
const PAR1 = Buffer.from('PAR1');
const PACK = Buffer.from('PACK');
/** A pack's index (`.idx`, version 2) and reverse index (`.rev`): object ids and offsets, no content. */
const PACK_INDEXES = [Buffer.from([0xff, 0x74, 0x4f, 0x63]), Buffer.from('RIDX')];
/** How much of a file that starts like a zlib stream is inflated to tell it from text that happens to. */
const ZLIB_PROBE = 4096;
/** What the probe may inflate to (a few KiB can inflate to megabytes): more is a zlib stream all the same. */
const ZLIB_PROBE_OUTPUT = 16 << 20;
/** A git tree is a list of names: one larger than this is refused rather than held in memory. */
const MAX_TREE_BYTES = 64 << 20;

/**
 * Whether `head` starts a zlib stream (RFC 1950): deflate with a window of at most 32 KiB, no
 * preset dictionary, and the check bits right. Text can start so too ("x^", "(r"): the caller inflates to be sure.
 */
function zlibHeader(head: Buffer): boolean {
  const [cmf = 0, flg = 0] = head;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (flg & 0x20) === 0 && ((cmf << 8) | flg) % 31 === 0;
}

export async function sniff(path: string): Promise<FileFormat> {
  const handle = await openForReading(path);
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead >= 2 && zlibHeader(magic)) {
      const probe = Buffer.alloc(ZLIB_PROBE);
      const { bytesRead: probed } = await handle.read(probe, 0, ZLIB_PROBE, 0);
      try {
        // What is there inflates (the rest may follow): a zlib stream, not text.
        inflateSync(probe.subarray(0, probed), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: ZLIB_PROBE_OUTPUT });
        return 'zlib';
      } catch (err) {
        return err instanceof RangeError ? 'zlib' : 'text';
      }
    }
    if (bytesRead >= 2 && magic.subarray(0, 2).equals(GZIP)) return 'gzip';
    if (bytesRead >= 4 && magic.equals(PAR1)) return 'parquet';
    if (bytesRead >= 4 && magic.equals(PACK)) return 'git-pack';
    // Read as text, its binary ids can look like a secret (an e-mail address, say): nothing to scan.
    if (bytesRead >= 4 && PACK_INDEXES.some((m) => magic.equals(m))) return 'git-pack-index';
    return 'text';
  } finally {
    await handle.close();
  }
}

/** Lines of a text (or gzipped text) file; a line longer than `maxLine` is cut into pieces of that size. */
async function* streamLines(stream: AsyncIterable<Buffer>, maxLine = 1 << 20): AsyncGenerator<TextLine> {
  let lineNo = 0;
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) !== -1) {
      lineNo += 1;
      yield { line: lineNo, text: rest.slice(0, nl) };
      rest = rest.slice(nl + 1);
    }
    while (rest.length > maxLine) {
      yield { line: lineNo + 1, text: rest.slice(0, maxLine) };
      rest = rest.slice(maxLine);
    }
  }
  rest += decoder.decode();
  if (rest.length) yield { line: lineNo + 1, text: rest };
}

/** Every row of a Parquet file as one line of JSON text (`line` is the 1-based row number). */
async function* parquetRows(path: string): AsyncGenerator<TextLine> {
  const handle = await openForReading(path);
  let bytes: Buffer;
  try {
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  const file = {
    byteLength: bytes.length,
    slice: (start: number, end?: number) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.length)) as ArrayBuffer,
  };
  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  for (const [i, row] of rows.entries()) yield { line: i + 1, text: JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) };
}

/** The text of every object in a git pack: blobs and commit or tag messages line by line, a tree's file names one a line. */
async function* packLines(path: string): AsyncGenerator<TextLine> {
  for await (const { oid, type, content } of packObjects(path)) {
    const lines = type === 'tree' ? treeNames(content) : content.toString('utf8').split('\n');
    for (const [i, text] of lines.entries()) yield { line: i + 1, text, object: oid };
  }
}

/** A git object's header: its type and size, then a NUL. */
const OBJECT_HEADER = /^(blob|tree|commit|tag) \d+\0/;

/**
 * What a zlib stream inflates to, line by line; a git loose object's content without its header,
 * a tree's file names one a line (its binary ids, read as text, could pass for anything).
 */
async function* zlibLines(path: string): AsyncGenerator<TextLine> {
  const raw = (await openForReading(path)).createReadStream();
  const chunks = pipeline(raw, createInflate(), () => undefined)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let done = false;
  // The header is a few bytes; the first chunk nearly always holds it whole.
  while (!done && head.length < 64 && !head.includes(0)) {
    const next = await chunks.next();
    if (next.done) done = true;
    else head = Buffer.concat([head, next.value]);
  }
  const object = OBJECT_HEADER.exec(head.subarray(0, 64).toString('latin1'));
  const first = object ? head.subarray(object[0].length) : head;
  async function* all(): AsyncGenerator<Buffer> {
    yield first;
    for (let next = done ? undefined : await chunks.next(); next && !next.done; next = await chunks.next()) yield next.value;
  }
  if (object?.[1] === 'tree') {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const part of all()) {
      size += part.length;
      if (size > MAX_TREE_BYTES) throw new Error(`a git tree object of more than ${MAX_TREE_BYTES >> 20} MiB: not read`);
      parts.push(part);
    }
    for (const [i, text] of treeNames(Buffer.concat(parts)).entries()) yield { line: i + 1, text };
    return;
  }
  yield* streamLines(all());
}

export async function* fileLines(path: string, format: FileFormat): AsyncGenerator<TextLine> {
  if (format === 'zlib') {
    yield* zlibLines(path);
    return;
  }
  if (format === 'parquet') {
    yield* parquetRows(path);
    return;
  }
  if (format === 'git-pack') {
    yield* packLines(path);
    return;
  }
  if (format === 'git-pack-index') return;
  const raw = (await openForReading(path)).createReadStream();
  // pipeline: an error on either side ends the reading with that error (a bare pipe would leave it unhandled).
  // What a damaged gzip file holds before its damage is read too (gzipDamage.ts), then the damage reported.
  yield* streamLines(
    format === 'gzip'
      ? gunzippedUpToDamage(
          pipeline(raw, createGunzip(), () => undefined),
          path,
        )
      : raw,
  );
}
