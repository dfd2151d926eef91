// Lines written to a stream in batches: one stream write per row costs more than the row itself.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Bytes held before a batch is written. */
const BATCH_BYTES = 256 * 1024;

export class LineBatch {
  private lines: string[] = [];
  private bytes = 0;

  /** Holds `line`; true when the batch is full and should be written. */
  add(line: string): boolean {
    this.lines.push(line);
    this.bytes += line.length;
    return this.bytes >= BATCH_BYTES;
  }

  /** Writes what is held to `stream` as one chunk, waiting for it to drain when its buffer is full. */
  async writeTo(stream: Writable | undefined): Promise<void> {
    if (!stream || this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.bytes = 0;
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
}
