// `codetrail merge --engine duckdb`: the de-duplication and the writing of rows, done by DuckDB
// (embedded, an optional dependency of the command line). Every check happens before, in merge.ts,
// on the rows as read; what DuckDB reads is merge's private copy of those rows (the "stage"), never
// the inputs themselves, so nothing can change between the check and the merge, and no path an
// input names reaches DuckDB. Paths and values are bound as parameters, never spliced into SQL.
//
// A stage line is `partition \t key \t row`: the partition (merge.ts's hash of the key, so rows come
// out in the builtin engine's order), the key as a JSON string (JSON.stringify is one-to-one, so
// equal texts are equal keys; no tab survives it) and the row as JSON.stringify wrote it, which is
// what the builtin engine writes too. Stage files are named `<input>-<chunk>.txt`, in input order.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LineBatch } from '../base/lineBatch';
import { shardPath } from './shards';

type DuckDb = typeof import('@duckdb/node-api');

/** The module, or why it cannot be loaded (not installed, no binary for this platform); loaded once. */
let loaded: DuckDb | Error | undefined;
export function loadDuckDb(): DuckDb | Error {
  try {
    // A plain require, kept external by esbuild.mjs: the package and its native binary are optional.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded ??= require('@duckdb/node-api') as DuckDb;
  } catch (err) {
    loaded = err instanceof Error ? err : new Error(String(err));
  }
  return loaded;
}

export const DUCKDB_MISSING =
  'DuckDB is not installed: it is an optional dependency of codetrail (the package @duckdb/node-api, with a prebuilt binary for Linux, macOS and Windows on x64 and arm64). Install codetrail without --omit=optional, or run `npm install @duckdb/node-api` where codetrail is installed; or merge with --engine builtin';

/** The rows each key keeps: its first row (raw, by event id), or every row of the first input holding it (by task). */
export function dedupSql(mergeKey: 'event' | 'task'): string {
  const keep = mergeKey === 'event' ? 'row_number() OVER (PARTITION BY k ORDER BY input, chunk, n) = 1' : 'input = min(input) OVER (PARTITION BY k)';
  return `
CREATE TEMP TABLE kept AS
SELECT row_number() OVER (ORDER BY p, input, chunk, n) AS i, line
FROM (
  SELECT input, chunk, n, CAST(split_part(l, chr(9), 1) AS INTEGER) AS p, split_part(l, chr(9), 2) AS k, split_part(l, chr(9), 3) AS line
  FROM (
    SELECT
      CAST(regexp_extract(filename, '(\\d+)-(\\d+)\\.txt$', 1) AS INTEGER) AS input,
      CAST(regexp_extract(filename, '(\\d+)-(\\d+)\\.txt$', 2) AS INTEGER) AS chunk,
      unnest(generate_series(1, len(lines))) AS n,
      unnest(lines) AS l
    FROM (SELECT filename, string_split(content, chr(10)) AS lines FROM read_text($files))
  )
  WHERE l <> ''
  QUALIFY ${keep}
)
ORDER BY i`;
}

/** Stage file name for an input's chunk: the numbers DuckDB orders by. */
const stageName = (input: number, chunk: number) => `${String(input).padStart(6, '0')}-${String(chunk).padStart(6, '0')}.txt`;

/**
 * Writes the stage: the lines of each input in order, in chunks (DuckDB reads a chunk as one
 * string, so its memory stays bounded whatever the size of an input).
 */
export class StageWriter {
  private stream: WriteStream | undefined;
  private input = -1;
  private chunk = 0;
  private bytes = 0;
  private readonly batch = new LineBatch();
  private readonly files: string[] = [];

  /** `chunkBytes`: about how much of an input one stage file holds. */
  constructor(
    private readonly dir: string,
    private readonly chunkBytes = 32 * 1024 * 1024,
  ) {}

  /** `line` ends with a newline; inputs come in order. A promise only when the caller must wait (a file to open, a batch to write). */
  write(input: number, line: string): Promise<void> | undefined {
    if (input !== this.input || this.bytes >= this.chunkBytes) return this.open(input).then(() => this.write(input, line));
    this.bytes += line.length;
    return this.batch.add(line) ? this.batch.writeTo(this.stream) : undefined;
  }

  /** The stage files, in order. */
  async close(): Promise<string[]> {
    await this.end();
    return this.files;
  }

  private async open(input: number): Promise<void> {
    await this.end();
    if (this.files.length === 0) await mkdir(this.dir, { recursive: true });
    this.chunk = input === this.input ? this.chunk + 1 : 0;
    this.input = input;
    this.bytes = 0;
    const path = join(this.dir, stageName(input, this.chunk));
    this.files.push(path);
    this.stream = createWriteStream(path);
  }

  private async end(): Promise<void> {
    await this.batch.writeTo(this.stream);
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/**
 * DuckDB's part of a merge, in two steps: `dedup` keeps each key's rows in a temporary table (it
 * runs on DuckDB's threads, so merge starts it before the checks that replay each raw task and
 * runs them meanwhile), and `write`, called only once every check has passed, writes the kept rows
 * as `dir/<split>-NNNNN-of-NNNNN.jsonl` shards of `rowsPerShard` rows, named as JsonlShards names them.
 */
export class DuckDbDedup {
  private running: Promise<void> | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly duckdb: DuckDb,
  ) {}

  /** `temp`: a private folder for DuckDB's spill files. */
  static async open(duckdb: DuckDb, temp: string): Promise<DuckDbDedup> {
    // Settings are passed as values, not SQL. One core is left to merge's own thread, which
    // replays tasks while DuckDB works.
    const threads = String(Math.max(1, availableParallelism() - 1));
    const instance = await duckdb.DuckDBInstance.create(':memory:', { temp_directory: temp, preserve_insertion_order: 'true', threads });
    return new DuckDbDedup(instance, await instance.connect(), duckdb);
  }

  /** Starts de-duplicating the stage files (merge's own, named by StageWriter); settles when done. */
  dedup(stageFiles: readonly string[], mergeKey: 'event' | 'task'): Promise<void> {
    for (const f of stageFiles) if (!/^\d+-\d+\.txt$/.test(basename(f))) throw new Error(`not a stage file: ${f}`);
    const { listValue, LIST, VARCHAR } = this.duckdb;
    // No stage file (no row in any input): an empty table of the same shape.
    this.running =
      stageFiles.length === 0
        ? this.conn.run('CREATE TEMP TABLE kept (i BIGINT, line VARCHAR)').then(() => undefined)
        : this.conn.run(dedupSql(mergeKey), { files: listValue([...stageFiles]) }, { files: LIST(VARCHAR) }).then(() => undefined);
    return this.running;
  }

  /** Writes the kept rows; returns the shard paths and the rows. */
  async write(dir: string, split: string, rowsPerShard: number): Promise<{ files: string[]; rows: number }> {
    await this.running;
    const rows = Number((await this.conn.runAndReadAll('SELECT count(*) FROM kept')).getRows()[0]![0]);
    const total = Math.max(1, Math.ceil(rows / rowsPerShard));
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    for (let s = 0; s < total; s++) {
      const path = shardPath(dir, split, s, total);
      if (rows === 0) await writeFile(path, '');
      // Rows go out as they are: one column, no quoting (a JSON.stringify line has no control character).
      else
        await this.conn.run(
          `COPY (SELECT line FROM kept WHERE i > $lo AND i <= $hi ORDER BY i) TO $path (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01')`,
          {
            lo: s * rowsPerShard,
            hi: (s + 1) * rowsPerShard,
            path,
          },
        );
      files.push(path);
    }
    return { files, rows };
  }

  /** Stops what runs (a check failed) and lets DuckDB go. */
  async close(): Promise<void> {
    if (this.running) {
      this.conn.interrupt();
      await this.running.catch(() => undefined);
    }
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
