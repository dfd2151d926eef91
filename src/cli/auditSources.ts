// What `codetrail audit` reads: every file of a store or export, whatever its name says. The
// content decides how: gzip (by its magic bytes), Parquet (by its magic, read with hyparquet, one
// "line" per row), a git pack (by its magic: every object git finds in it, as ProgSnap2's Git
// code states are stored), anything else as text line by line (JSONL, CSV, CodeStates sources,
// README).
import { createGunzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { parquetReadObjects } from 'hyparquet';
import { openForReading } from '../core/base/confine';
import { packObjects, treeNames } from '../core/git/packObjects';

export type FileFormat = 'text' | 'gzip' | 'parquet' | 'git-pack' | 'git-pack-index';

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

export async function sniff(path: string): Promise<FileFormat> {
  const handle = await openForReading(path);
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head.subarray(0, 2).equals(GZIP)) return 'gzip';
    if (bytesRead === 4 && head.equals(PAR1)) return 'parquet';
    if (bytesRead === 4 && head.equals(PACK)) return 'git-pack';
    // Read as text, its binary ids can look like a secret (an e-mail address, say): nothing to scan.
    if (bytesRead === 4 && PACK_INDEXES.some((magic) => head.equals(magic))) return 'git-pack-index';
    return 'text';
  } finally {
    await handle.close();
  }
}

/** Lines of a text (or gzipped text) file; a line longer than `maxLine` is cut into pieces of that size. */
async function* streamLines(stream: Readable, maxLine = 1 << 20): AsyncGenerator<TextLine> {
  let lineNo = 0;
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
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

export async function* fileLines(path: string, format: FileFormat): AsyncGenerator<TextLine> {
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
  yield* streamLines(format === 'gzip' ? pipeline(raw, createGunzip(), () => undefined) : raw);
}
