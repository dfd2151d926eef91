// What `codetrail audit` reads: every file of a store or export, whatever its name says. The
// content decides how: gzip (by its magic bytes), Parquet (by its magic, read with hyparquet, one
// "line" per row), anything else as text line by line (JSONL, CSV, CodeStates sources, README).
import { createGunzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { parquetReadObjects } from 'hyparquet';
import { openForReading } from '../core/base/confine';

export type FileFormat = 'text' | 'gzip' | 'parquet';

export interface TextLine {
  line: number;
  text: string;
}

const GZIP = Buffer.from([0x1f, 0x8b]);
const PAR1 = Buffer.from('PAR1');

export async function sniff(path: string): Promise<FileFormat> {
  const handle = await openForReading(path);
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head.subarray(0, 2).equals(GZIP)) return 'gzip';
    if (bytesRead === 4 && head.equals(PAR1)) return 'parquet';
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

export async function* fileLines(path: string, format: FileFormat): AsyncGenerator<TextLine> {
  if (format === 'parquet') {
    yield* parquetRows(path);
    return;
  }
  const raw = (await openForReading(path)).createReadStream();
  // pipeline: an error on either side ends the reading with that error (a bare pipe would leave it unhandled).
  yield* streamLines(format === 'gzip' ? pipeline(raw, createGunzip(), () => undefined) : raw);
}
