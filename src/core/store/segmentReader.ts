// Reads segment files line by line, plain or gzipped, and never lets one bad line hide the good
// ones around it: each problem is reported with file and line and reading goes on.
import type { FileHandle } from 'node:fs/promises';
import { openForReading } from '../base/confine';
import { createGunzip } from 'node:zlib';
import { gunzippedUpToDamage } from './gzipDamage';
import type { Readable } from 'node:stream';
import { parseRecordLine } from '../schema/validate';
import type { EventRecord } from '../schema/events';

export type ReadIssueKind = 'torn-tail' | 'invalid-utf8' | 'invalid-json' | 'invalid-record' | 'line-too-long' | 'unreadable';

export interface ReadIssue {
  file: string;
  /** 1-based line number; 0 when the problem is the file itself. */
  line: number;
  kind: ReadIssueKind;
  message: string;
}

export interface RawLine {
  line: number;
  text: string;
}

/** Lines longer than this are reported and skipped without being held in memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Decompressed in pieces of the size the file is read in (zlib's default, 16 KiB, makes four times as many). */
const CHUNK_BYTES = 64 * 1024;

/**
 * A segment's bytes, decompressed when gzipped (up to any damage, see gzipDamage.ts), and how to
 * let go of the file; undefined (reported) when it cannot be opened.
 */
export async function openSegment(file: string, onIssue: (issue: ReadIssue) => void): Promise<{ bytes: AsyncIterable<Buffer>; close(): void } | undefined> {
  let handle: FileHandle;
  let compressed = file.endsWith('.gz');
  let path = file;
  try {
    // A segment is never read through a symbolic link: it could lead anywhere on this machine.
    handle = await openForReading(file).catch(async (err: NodeJS.ErrnoException) => {
      // Listed a moment ago, compressed since by the window that closed it: read the copy.
      if (err.code !== 'ENOENT' || compressed) throw err;
      const copy = await openForReading(`${file}.gz`).catch(() => Promise.reject(err));
      compressed = true;
      path = `${file}.gz`;
      return copy;
    });
  } catch (err) {
    onIssue({ file, line: 1, kind: 'unreadable', message: `cannot read further: ${(err as Error).message}` });
    return undefined;
  }
  // The file stream owns the handle from here and closes it when destroyed; a pipe does not
  // destroy its source when the gunzip after it fails, so `close` does.
  const source = handle.createReadStream();
  const stream: Readable = compressed ? source.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : source;
  return {
    bytes: compressed ? gunzippedUpToDamage(stream, path) : (stream as AsyncIterable<Buffer>),
    close() {
      stream.destroy();
      source.destroy();
    },
  };
}

/**
 * Yields every complete line of a segment. A last line without its newline is a write torn by
 * a crash: it is reported, not yielded.
 */
export async function* readSegmentLines(file: string, onIssue: (issue: ReadIssue) => void): AsyncGenerator<RawLine> {
  const opened = await openSegment(file, onIssue);
  if (!opened) return;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  let lineNo = 0;
  try {
    for await (const chunk of opened.bytes) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        lineNo += 1;
        const piece = chunk.subarray(start, nl);
        start = nl + 1;
        if (skipping || partBytes + piece.length > MAX_LINE_BYTES) {
          onIssue({ file, line: lineNo, kind: 'line-too-long', message: `line longer than ${MAX_LINE_BYTES} bytes skipped` });
          parts = [];
          partBytes = 0;
          skipping = false;
          continue;
        }
        const bytes = parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
        parts = [];
        partBytes = 0;
        const text = decode(bytes);
        if (text === undefined) onIssue({ file, line: lineNo, kind: 'invalid-utf8', message: 'line is not valid UTF-8' });
        else if (text.length > 0) yield { line: lineNo, text };
      }
      if (start < chunk.length && !skipping) {
        const rest = chunk.subarray(start);
        if (partBytes + rest.length > MAX_LINE_BYTES) {
          skipping = true;
          parts = [];
          partBytes = 0;
        } else {
          parts.push(Buffer.from(rest));
          partBytes += rest.length;
        }
      }
    }
  } catch (err) {
    onIssue({ file, line: lineNo + 1, kind: 'unreadable', message: `cannot read further: ${(err as Error).message}` });
    return;
  } finally {
    opened.close();
  }
  if (partBytes > 0 || skipping) {
    onIssue({ file, line: lineNo + 1, kind: 'torn-tail', message: 'last line is incomplete (a write cut short by a crash); skipped' });
  }
}

function decode(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export interface ReadRecord {
  record: EventRecord;
  file: string;
  line: number;
}

/** Yields every valid record of a segment; everything else becomes an issue. */
export async function* readSegmentRecords(file: string, onIssue: (issue: ReadIssue) => void): AsyncGenerator<ReadRecord> {
  for await (const { line, text } of readSegmentLines(file, onIssue)) {
    const parsed = parseRecordLine(text);
    if (parsed.ok) yield { record: parsed.record, file, line };
    else onIssue({ file, line, kind: parsed.error.startsWith('invalid JSON') ? 'invalid-json' : 'invalid-record', message: parsed.error });
  }
}
