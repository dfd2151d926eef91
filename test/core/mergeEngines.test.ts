// `merge --engine builtin` and `--engine duckdb` write the same dataset: the same files, byte for
// byte (rows, their order, shards, dataset card), and manifests that differ only in when they were
// written. Inputs are real exports of recorded tasks, one family of formats each (raw rows are
// de-duplicated by event id, the others by task id), plus hand-made rows whose keys and text try
// to confuse the staging DuckDB reads (tabs, newlines, quotes, keys that are not strings).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { copyFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CodetrailError } from '../../src/core/base/errors';
import { exportStore, type ExportFormat } from '../../src/core/export/exporter';
import { MANIFEST, writeManifest, type Manifest } from '../../src/core/export/manifest';
import { mergeExports, type MergeOptions } from '../../src/core/export/merge';
import { writeParquetShards } from '../../src/core/export/parquetShards';
import { CLI, codetrail } from '../helpers/cli';
import { captureSession, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const rowsOf = async (dir: string, config: string) => {
  const files = (await readdir(join(dir, 'data', config))).filter((f) => f.endsWith('.jsonl')).sort();
  const lines: string[] = [];
  for (const f of files) lines.push(...(await readFile(join(dir, 'data', config, f), 'utf8')).split('\n').filter(Boolean));
  return lines;
};

describe('merge: the builtin and DuckDB engines write the same dataset', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  /** Merges with both engines; asserts the two outputs are the same dataset; returns the DuckDB one's folder. */
  async function bothEngines(inputs: string[], extra: Partial<MergeOptions> = {}): Promise<{ out: string; rowsIn: number; rows: number }> {
    const outs: Record<string, string> = {};
    const summaries = [];
    for (const engine of ['builtin', 'duckdb'] as const) {
      outs[engine] = join(tmp(), `merged-${engine}-${Object.keys(extra).join('-')}`);
      const summary = await mergeExports({ out: outs[engine], inputs, version: 'test', engine, ...extra });
      assert.equal(summary.engine, engine);
      summaries.push(summary);
    }
    const [builtin, duck] = summaries;
    assert.deepEqual({ ...duck!, out: '', engine: '' }, { ...builtin!, out: '', engine: '' });
    const files = await filesUnder(outs.builtin!);
    assert.deepEqual(await filesUnder(outs.duckdb!), files);
    assert.equal(
      files.some((f) => f.endsWith('.parquet')),
      extra.parquet !== undefined,
      'Parquet shards when asked',
    );
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(join(outs.builtin!, file)), readFile(join(outs.duckdb!, file))]);
      if (file !== MANIFEST) {
        assert.ok(a.equals(b), `${file} differs between the engines`);
        continue;
      }
      // Manifests: the same but for their creation time (and so their seal).
      const strip = (m: Manifest) => ({ ...m, created_at: '', seal: undefined });
      assert.deepEqual(strip(JSON.parse(b.toString()) as Manifest), strip(JSON.parse(a.toString()) as Manifest));
    }
    return { out: outs.duckdb!, rowsIn: builtin!.rowsIn, rows: builtin!.rows };
  }

  async function recordedStore(name: string, tasks: number): Promise<string> {
    const store = join(tmp(), `store-${name}`);
    const session = captureSession(store);
    for (let i = 0; i < tasks; i++) await recordRangeTask(session, { approve: i % 2 === 0 });
    await session.dispose();
    return store;
  }

  const exportOf = async (store: string, format: ExportFormat, name: string) => {
    const out = join(tmp(), `export-${format}-${name}`);
    await exportStore({ store, out, format, version: 'test', includeUnapproved: true });
    return out;
  };

  it('raw, by event id: the earliest copy of each event, in the same shards, partitions and order', async () => {
    const a = await exportOf(await recordedStore('a', 2), 'raw', 'a');
    const b = await exportOf(await recordedStore('b', 1), 'raw', 'b');
    // The same export sent twice (a copy, as from another engineer's disk): every event a duplicate.
    const again = join(tmp(), 'export-raw-a-again');
    await cp(a, again, { recursive: true });
    const inputs = [a, b, again];
    const [rowsA, rowsB] = await Promise.all([rowsOf(a, 'raw'), rowsOf(b, 'raw')]);
    // One partition (today's default for small inputs), then many small partitions and shards,
    // each input staged for DuckDB in many files, with Parquet shards of the same rows.
    for (const extra of [{}, { partitionBytes: 4096, rowsPerShard: 7, stageChunkBytes: 4096, parquet: writeParquetShards }]) {
      const { out, rowsIn, rows } = await bothEngines(inputs, extra);
      assert.equal(rowsIn, 2 * rowsA.length + rowsB.length);
      const merged = await rowsOf(out, 'raw');
      assert.equal(rows, merged.length);
      // Independently of either engine: every distinct event of a and b, once.
      assert.deepEqual([...merged].sort(), [...new Set([...rowsA, ...rowsB])].sort());
    }
  });

  for (const format of ['trajectories', 'trl', 'swebench', 'zed'] as const)
    it(`${format}, by task id: the first input holding a task gives its rows`, async () => {
      const one = await recordedStore('one', 2);
      const early = await exportOf(one, format, 'early');
      const other = await exportOf(await recordedStore('other', 1), format, 'other');
      const late = join(tmp(), `export-${format}-late`);
      await cp(early, late, { recursive: true });
      const { out, rows } = await bothEngines([early, other, late], { rowsPerShard: 1 });
      const merged = await rowsOf(out, format);
      assert.equal(merged.length, rows);
      const [rowsEarly, rowsOther] = await Promise.all([rowsOf(early, format), rowsOf(other, format)]);
      assert.ok(rowsEarly.length > 0, 'the format made rows of the recorded tasks');
      assert.deepEqual([...merged].sort(), [...rowsEarly, ...rowsOther].sort());
    });

  it("hand-made rows: keys that are not strings, tabs, newlines and quotes in keys and text, each engine's staging unbroken", async () => {
    /** A sealed export of the trajectories format holding `rows` (manifest as a careful sender writes it). */
    const handMade = async (name: string, rows: (object | string)[]) => {
      const dir = join(tmp(), name);
      await mkdir(join(dir, 'data', 'trajectories'), { recursive: true });
      await writeFile(
        join(dir, 'data', 'trajectories', 'train-00000-of-00001.jsonl'),
        rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)) + '\n').join(''),
      );
      await writeManifest(
        dir,
        {
          format: 'trajectories',
          created_at: '2026-01-01T00:00:00.000Z',
          counts: { tasks: 0, rows: rows.length, events: rows.length },
          configs: [{ name: 'trajectories', split: 'train', files: ['data/trajectories/train-00000-of-00001.jsonl'] }],
          tasks: [],
        },
        'test',
      );
      return dir;
    };
    const text = 'a\tb\nc "quoted" \'single\' \\ \u2028 é 😀 \u0001';
    const first = await handMade('first', [
      { instance_id: 'k\t1', text, n: 1 },
      { instance_id: 'k\t1', text, n: 2 },
      { task_id: 5, n: 3 },
      { n: 4, text: "no key'); DROP TABLE kept; --" },
      { instance_id: '\ud800', n: 5 },
      // Not as JSON.stringify writes it: both engines write the row as parsed (the last `n`).
      '{ "instance_id" : "spaced",\t"n": 11, "n": 12 }',
    ]);
    const second = await handMade('second', [
      { instance_id: 'k\t1', n: 6 },
      { instance_id: 5, n: 7 },
      { task_id: null, instance_id: 'undefined', n: 8 },
      { instance_id: '\udbff', n: 9 },
      { instance_id: '1\t2', n: 10 },
    ]);
    const { out } = await bothEngines([first, second], { partitionBytes: 64 });
    // JavaScript's String() of each key, as the builtin engine always used: `5` and "5" are one
    // key, and so are a missing key and "undefined"; the first input holding a key gives its rows.
    const kept = (await rowsOf(out, 'trajectories')).map((l) => (JSON.parse(l) as { n: number }).n).sort((x, y) => x - y);
    assert.deepEqual(kept, [1, 2, 3, 4, 5, 9, 10, 12]);
    assert.ok((await rowsOf(out, 'trajectories')).includes('{"instance_id":"spaced","n":12}'));

    // No row at all: one empty shard from either engine, so the card names a file.
    const empty = await bothEngines([await handMade('empty', [])], { rowsPerShard: 3 });
    assert.equal(empty.rows, 0);
    assert.deepEqual(await readdir(join(empty.out, 'data', 'trajectories')), ['train-00000-of-00001.jsonl']);

    // A key String() cannot turn into text (its parsed toString is no function): refused, naming the input.
    const hostile = await handMade('hostile', [{ task_id: { toString: [] }, n: 1 }]);
    await assert.rejects(
      mergeExports({ out: join(tmp(), 'hostile-out'), inputs: [hostile], version: 'test' }),
      (err: unknown) => err instanceof CodetrailError && err.code === 'bad-input' && err.message.includes(hostile),
    );
  });

  it('a hostile output folder name stays a name: the DuckDB engine writes its shards there and nowhere else', async () => {
    const input = await exportOf(await recordedStore('a', 1), 'raw', 'a');
    const out = join(tmp(), `it's "out"; COPY kept TO 'x.csv'; --$path \\ ?`);
    await mergeExports({ out, inputs: [input], version: 'test', engine: 'duckdb', rowsPerShard: 10 });
    const written = await filesUnder(out);
    assert.ok(written.filter((f) => f.startsWith('data/raw/')).length > 1, 'sharded');
    assert.deepEqual(await rowsOf(out, 'raw'), await rowsOf(input, 'raw'));
    assert.deepEqual(await readdir(tmp()).then((names) => names.filter((n) => !n.startsWith('store-') && !n.startsWith('export-'))), [relative(tmp(), out)]);
  });
});

describe('codetrail merge --engine', function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  /** The built command line run from a folder with no node_modules above it: DuckDB cannot be loaded. */
  const withoutDuckDb = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const cli = join(tmp(), 'bare', 'cli.js');
    await mkdir(join(tmp(), 'bare'), { recursive: true });
    await copyFile(CLI, cli);
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, CODETRAIL_STORE: '', NODE_PATH: '', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  };

  it('duckdb when DuckDB is not installed: a usage error saying how to install it, nothing written; auto falls back silently', async () => {
    const store = join(tmp(), 'store');
    const session = captureSession(store);
    await recordRangeTask(session);
    await session.dispose();
    const input = join(tmp(), 'export');
    await exportStore({ store, out: input, format: 'raw', version: 'test' });

    const out = join(tmp(), 'merged');
    const refused = await withoutDuckDb(['merge', out, input, '--engine', 'duckdb']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--engine duckdb: DuckDB is not installed/);
    assert.match(refused.stderr, /npm install @duckdb\/node-api/);
    assert.match(refused.stderr, /--engine builtin/);
    assert.deepEqual(await readdir(out).catch(() => []), []);

    // `auto` told to take DuckDB from 0 MB: it tries, cannot load it, and merges all the same.
    const fallback = await withoutDuckDb(['merge', out, input, '--engine', 'auto', '--json'], { CODETRAIL_DUCKDB_FROM_MB: '0' });
    assert.equal(fallback.code, 0, fallback.stderr);
    assert.equal((JSON.parse(fallback.stdout) as { engine: string }).engine, 'builtin');
    assert.doesNotMatch(fallback.stderr, /duckdb/i, 'silently');

    // Where it is installed, the same commands run on DuckDB and say so; `auto` below its threshold does not.
    const env = { ...process.env, CODETRAIL_STORE: '' };
    for (const [engine, from, expected] of [
      ['duckdb', '', 'duckdb'],
      ['auto', '0', 'duckdb'],
      ['auto', '', 'builtin'],
    ] as const) {
      const dir = join(tmp(), `merged-${engine}-${from}`);
      const installed = await codetrail(['merge', dir, input, '--engine', engine, '--json'], { env: { ...env, CODETRAIL_DUCKDB_FROM_MB: from } });
      assert.equal(installed.code, 0, installed.stderr);
      assert.equal((JSON.parse(installed.stdout) as { engine: string }).engine, expected, `${engine} from ${from || 'default'}`);
      assert.deepEqual(await rowsOf(dir, 'raw'), await rowsOf(out, 'raw'));
    }
    const bad = await codetrail(['merge', join(tmp(), 'bad'), input], { env: { ...env, CODETRAIL_DUCKDB_FROM_MB: 'lots' } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /CODETRAIL_DUCKDB_FROM_MB=lots/);
  });

  it('an unknown engine is refused while parsing (exit 2)', async () => {
    const { code, stderr } = await codetrail(['merge', join(tmp(), 'out'), tmp(), '--engine', 'spark']);
    assert.equal(code, 2);
    assert.match(stderr, /builtin, duckdb, auto/);
  });
});
