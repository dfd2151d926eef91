// The one writer of a window session's segment files for one repository. Records are buffered in
// memory and appended in batches; nothing here runs on the keystroke path except `append`.
import { createWriteStream } from 'node:fs';
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { openForReading, openForWriting, sameOrInside } from '../base/confine';
import { CodetrailError, errorMessage } from '../base/errors';
import { ensurePrivateDir, FILE_MODE, SEGMENT_PATTERN, segmentFileName } from './layout';
import { markWriting, unmarkWriting } from './writerMark';

export interface SegmentWriterOptions {
  dir: string;
  /** The store `dir` belongs to: writing is refused when `dir` leads out of it through a link. */
  store?: string;
  sessionId: string;
  /** A segment is closed and compressed once it grows past this. */
  rotateBytes?: number;
  /** Told about failures that lose nothing (a compression that failed leaves the plain file). */
  onWarning?: (message: string) => void;
}

const DEFAULT_ROTATE_BYTES = 1024 * 1024;

export class SegmentWriter {
  private pending: string[] = [];
  private handle: FileHandle | undefined;
  private path: string | undefined;
  private size = 0;
  private seq = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly compressions = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: SegmentWriterOptions) {}

  /** Queues one serialised record (no newline). Cheap: no I/O. */
  append(line: string): void {
    if (this.closed) throw new Error('segment writer is closed');
    this.pending.push(line);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Writes everything appended so far. On failure the batch goes back to the front of the
   * queue and the file is cut back to its last whole record, so a retry neither loses nor
   * duplicates anything, and the error (code `store-full` for ENOSPC) is thrown.
   */
  flush(): Promise<void> {
    const next = this.queue.then(() => this.writePending());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Flushes, closes the current segment and compresses it (a finished session's segment is read
   * rarely and compresses about tenfold), waiting for every compression to finish.
   */
  close(): Promise<void> {
    // Once at a time: a session change and a dispose can both close a writer. A close that failed
    // (a full disk) may be tried again.
    this.closing ??= this.closeOnce().catch((err: unknown) => {
      this.closing = undefined;
      throw err;
    });
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await this.flush();
    this.closed = true;
    const last = this.size > 0 ? this.path : undefined;
    await this.closeHandle();
    // Forget the segment: a second close (dispose after deactivate) must not compress it again.
    this.path = undefined;
    this.size = 0;
    if (last) this.compressInBackground(last);
    await Promise.all(this.compressions);
  }

  /** Drops everything not yet written and closes: used when consent is withdrawn. */
  async discard(): Promise<void> {
    this.pending = [];
    this.closed = true;
    await this.queue;
    this.pending = [];
    await this.closeHandle();
    await Promise.all(this.compressions);
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const data = Buffer.from(batch.join('\n') + '\n', 'utf8');
    try {
      const handle = await this.currentHandle();
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
      this.size += data.length;
    } catch (err) {
      this.pending = batch.concat(this.pending);
      await this.cutBackToLastRecord();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new CodetrailError('store-full', `the disk holding the Codetrail store is full (${this.options.dir})`);
      throw new CodetrailError('store-unwritable', `cannot write to the Codetrail store: ${errorMessage(err)}`);
    }
    if (this.size >= (this.options.rotateBytes ?? DEFAULT_ROTATE_BYTES)) await this.rotate();
  }

  private async currentHandle(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await ensurePrivateDir(this.options.dir);
    if (this.options.store !== undefined && !(await sameOrInside(this.options.store, this.options.dir))) {
      throw new CodetrailError('store-unwritable', `${this.options.dir} leads outside the Codetrail store through a symbolic link; refusing to write there`);
    }
    if (this.seq === 0) this.seq = await nextFreeSeq(this.options.dir, this.options.sessionId);
    this.path = join(this.options.dir, segmentFileName(this.options.sessionId, this.seq));
    // Best effort: without the mark a rewrite elsewhere is not held off, but recording goes on.
    await markWriting(this.path).catch(() => undefined);
    // Never through a link planted at the segment's name.
    this.handle = await openForWriting(this.path, FILE_MODE, { append: true });
    await this.handle.chmod(FILE_MODE);
    this.size = (await this.handle.stat()).size;
    return this.handle;
  }

  private async cutBackToLastRecord(): Promise<void> {
    if (!this.path) return;
    try {
      if (this.handle) await this.handle.truncate(this.size);
    } catch {
      // The file may not exist yet, or the disk refuses even this; readers skip a torn tail anyway.
    }
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    const path = this.path;
    this.handle = undefined;
    if (!handle) return;
    try {
      await handle.sync();
    } finally {
      await handle.close();
      if (path) await unmarkWriting(path).catch(() => undefined);
    }
  }

  private async rotate(): Promise<void> {
    const full = this.path;
    await this.closeHandle();
    this.seq += 1;
    this.path = undefined;
    this.size = 0;
    if (full) this.compressInBackground(full);
  }

  private compressInBackground(path: string): void {
    const job = compressSegment(path).catch((err) => this.options.onWarning?.(`kept ${path} uncompressed: ${errorMessage(err)}`));
    this.compressions.add(job);
    void job.finally(() => this.compressions.delete(job));
  }
}

/**
 * The first sequence number after every segment this session already has in `dir`: a writer
 * opened again for a session (after its files were rewritten) never appends to an old segment.
 */
async function nextFreeSeq(dir: string, sessionId: string): Promise<number> {
  let next = 0;
  for (const name of await readdir(dir)) {
    const m = SEGMENT_PATTERN.exec(name);
    if (m && m[1] === sessionId) next = Math.max(next, Number(m[2]) + 1);
  }
  return next;
}

/**
 * Gzips a closed segment next to itself. The `.gz` appears only complete (written to a temporary
 * name, then renamed), and the plain file is removed only after that, so a crash at any point
 * leaves at least one whole copy; readers prefer the `.gz` when both exist.
 */
export async function compressSegment(path: string): Promise<void> {
  // A temporary name of this process's own: two compressions of one segment never share a file.
  const tmp = `${path}.gz.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  // 'wx' creates the file or fails: never writes through something planted at that name.
  await pipeline((await openForReading(path)).createReadStream(), createGzip(), createWriteStream(tmp, { mode: FILE_MODE, flags: 'wx' }));
  const handle = await open(tmp, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, `${path}.gz`);
  await unlink(path);
}
