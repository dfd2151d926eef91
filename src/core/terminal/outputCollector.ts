// Terminal output of one command, held within bounds: the head and the tail, which is where
// runners print what failed and the summary.
import { excerpt, stripTerminalSequences } from './ansi';

const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 256 * 1024;

export class OutputCollector {
  private head = '';
  private tail = '';
  private total = 0;

  push(chunk: string): void {
    this.total += chunk.length;
    if (this.head.length < HEAD_BYTES) {
      const room = HEAD_BYTES - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk.length === 0) return;
    this.tail += chunk;
    if (this.tail.length > TAIL_BYTES * 2) this.tail = this.tail.slice(-TAIL_BYTES);
  }

  /** Everything kept, sequences stripped; a marker stands where the middle was dropped. */
  text(): string {
    const tail = this.tail.length > TAIL_BYTES ? this.tail.slice(-TAIL_BYTES) : this.tail;
    const dropped = this.total - this.head.length - tail.length;
    return stripTerminalSequences(dropped > 0 ? `${this.head}\n… [${dropped} characters omitted] …\n${tail}` : this.head + tail);
  }

  excerpt(maxBytes: number): { text: string; truncated: boolean; totalBytes: number } {
    const kept = excerpt(this.text(), maxBytes);
    return { ...kept, truncated: kept.truncated || this.total > this.head.length + this.tail.length, totalBytes: Math.max(kept.totalBytes, this.total) };
  }
}
