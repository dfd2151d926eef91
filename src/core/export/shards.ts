// JSONL shards named the way Hugging Face datasets expects (`train-00000-of-00003.jsonl`): the
// total is known only at the end, so shards are written under temporary names and renamed.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { LineBatch } from '../base/lineBatch';

export class JsonlShards {
  private stream: WriteStream | undefined;
  private rowsInShard = 0;
  private readonly temp: string[] = [];
  private readonly batch = new LineBatch();
  rows = 0;

  constructor(
    private readonly dir: string,
    private readonly split: string,
    private readonly rowsPerShard: number,
  ) {}

  /**
   * Adds a row. A promise only when the row's shard had to be opened or a batch written: await it
   * before the next row (most rows return nothing, and an await per row was a tenth of raw's export).
   */
  write(row: unknown): Promise<void> | undefined {
    return this.writeLine(JSON.stringify(row));
  }

  /** `write` of a row already serialised (one line of JSON, no newline). */
  writeLine(json: string): Promise<void> | undefined {
    if (!this.stream || this.rowsInShard >= this.rowsPerShard) return this.open().then(() => this.writeLine(json));
    this.rowsInShard += 1;
    this.rows += 1;
    return this.batch.add(json + '\n') ? this.batch.writeTo(this.stream) : undefined;
  }

  /** Makes sure there is at least one (possibly empty) shard, so the dataset card names a file. */
  async ensureOne(): Promise<void> {
    if (this.temp.length === 0) await this.open();
  }

  /** Closes the last shard and gives every shard its final name; returns the paths. */
  async close(): Promise<string[]> {
    await this.end();
    const total = this.temp.length;
    const names: string[] = [];
    for (const [i, tmp] of this.temp.entries()) {
      const name = shardPath(this.dir, this.split, i, total);
      await rename(tmp, name);
      names.push(name);
    }
    return names;
  }

  private async open(): Promise<void> {
    await this.end();
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `.${this.split}-${pad(this.temp.length)}.jsonl.partial`);
    this.temp.push(path);
    this.stream = createWriteStream(path);
    this.rowsInShard = 0;
  }

  private async end(): Promise<void> {
    await this.batch.writeTo(this.stream);
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** The `i`th of `total` shards of `split`, as Hugging Face datasets names them. */
export const shardPath = (dir: string, split: string, i: number, total: number) => join(dir, `${split}-${pad(i)}-of-${pad(total)}.jsonl`);

const pad = (n: number) => String(n).padStart(5, '0');
