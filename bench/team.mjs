// Team scale: merging and de-duplicating the raw exports of many contributors, in one run:
// - `codetrail merge --engine builtin` (streaming and home-made) against `--engine duckdb` (every
//   check the same, DuckDB de-duplicating), end to end with the built command line, on the first
//   --e2e contributors (all of them with --quick): merge's checks replay every task and take most
//   of its time, so 50 million events end to end would take hours on this machine;
// - on every contributor's rows: today's de-duplicating pass alone (merge.ts's `dedupBuiltin`, the
//   part DuckDB replaces, over the partition files merge's first pass writes) against DuckDB alone
//   running one SQL statement over the same rows' Parquet shards. The statement (TEAM_MERGE_SQL
//   below) is plain SQL that Spark SQL and Trino also run (see the README's "Team scale" notes
//   for their spelling of the file list). DuckDB is an optional dependency of the command line,
//   never part of the extension bundle.
//
// The inputs: a few seed contributors are recorded and exported by the real pipeline
// (bench/yearStore.mjs, the real exporter); every contributor is derived from one of them by
// rewriting identities, so that 50 million events take minutes to make, not hours. Each copy of
// a seed moves the time of every ULID in its rows (event, task and session ids) by a whole number
// of 2^35 ms, its own: a bijection that keeps the order of ids (replay sorts by them) and keeps
// them distinct across contributors; the contributor id is replaced; a contributor holds several
// copies of its seed. Exports that merge checks (the --e2e ones) are rewritten in JavaScript and
// get a manifest and dataset card rebuilt from the rewritten tasks, sealed by the project's own
// manifest code, so they pass its seal, checksum and provenance checks as any export does; every
// contributor's Parquet shard is rewritten in SQL from the seed's, and for the --e2e ones checked
// to hold the same rows as their JSONL. A share of the contributors are a copy of the previous one
// (tasks exported twice: the same event ids).
// Usage: npm run build && npm run compile-tests && node bench/team.mjs [--quick] [--contributors 100]
//   [--rows 505000 (events a contributor)] [--seeds 2] [--seed-rows 50500] [--dup 0.1] [--e2e 1]
//   [--sample-partitions 16] [--rounds 1] [--duckdb-memory 4GB] [--dir DIR (work there, and keep it)]
// Prints one JSON line per measurement with its baseline and a verdict; progress on stderr.
import { spawn } from 'node:child_process';
import { createHash, hash } from 'node:crypto';
import { cp, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiled as out, seededRandom, time } from './lib.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const COLUMNS = ['v', 'id', 'ts', 'session', 'task', 'repo', 'contributor', 'kind', 'origin', 'data'];
const maxRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * Every event once: the copy in the earliest input wins, as in today's merge. `inputs` is a table
 * (path, rank) of the Parquet files; `rows` is the files read with their path (DuckDB:
 * read_parquet([...], filename = true); Spark: input_file_name(); Trino: "$path").
 */
export const TEAM_MERGE_SQL = `
SELECT ${COLUMNS.join(', ')}
FROM (
  SELECT r.*, row_number() OVER (PARTITION BY r.id ORDER BY i.rank, r.ts) AS keep
  FROM rows r JOIN inputs i ON r.filename = i.path
) ranked
WHERE keep = 1`;

// The two measured passes run in processes of their own (`--step NAME --spec FILE`), so each
// one's peak RSS is its own.
const STEPS = { 'dedup-builtin': dedupBuiltinStep, 'duckdb-sql': duckdbSqlStep };

async function main() {
  const quick = args.includes('--quick');
  const CONTRIBUTORS = Number(value('--contributors', quick ? 4 : 100));
  const ROWS = Number(value('--rows', quick ? 1000 : 505_000));
  const SEEDS = Math.min(CONTRIBUTORS, Number(value('--seeds', 2)));
  const SEED_ROWS = Math.min(ROWS, Number(value('--seed-rows', quick ? 1000 : 50_500)));
  const DUP = Number(value('--dup', quick ? 0.5 : 0.1));
  const E2E = Math.min(CONTRIBUTORS, Number(value('--e2e', quick ? CONTRIBUTORS : 1)));
  const ROUNDS = Number(value('--rounds', 1));
  const DUCKDB_MEMORY = value('--duckdb-memory', quick ? '1GB' : '4GB');
  const SAMPLE_PARTITIONS = quick ? Infinity : Number(value('--sample-partitions', 16));
  const keep = value('--dir', undefined);

  const { exportStore } = out('src/core/export/exporter.js');
  const { writeManifest } = out('src/core/export/manifest.js');
  const { datasetCard } = out('src/core/export/card.js');
  const { FORMATS } = out('src/core/export/formats.js');
  const { shardPath } = out('src/core/export/shards.js');
  const { generateYearStore } = await import('./yearStore.mjs');
  const { DuckDBInstance } = require('@duckdb/node-api');

  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'codetrail-bench-team-')));
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'parquet'), { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: DUCKDB_MEMORY, temp_directory: join(dir, 'duck-tmp') });
  const conn = await db.connect();
  const pad = (n) => String(n).padStart(4, '0');
  try {
    // 1. The seeds (not timed): recorded through the real pipeline and exported by the real exporter.
    const setup = Date.now();
    const eventsPerTask = quick ? 250 : 2500;
    const seeds = [];
    for (let s = 0; s < SEEDS; s++) {
      const store = join(dir, 'seeds', `store-${s}`);
      const exp = join(dir, 'seeds', `export-${s}`);
      const contributor = `c_ffffffffffff${pad(s)}`;
      await generateYearStore(store, { tasks: Math.max(1, Math.round(SEED_ROWS / eventsPerTask)), eventsPerTask, seed: s + 1, contributorId: contributor });
      await exportStore({ store, out: exp, format: 'raw', includeUnapproved: true, version: 'bench' });
      const manifest = JSON.parse(await readFile(join(exp, 'manifest.json'), 'utf8'));
      const texts = await Promise.all(manifest.configs[0].files.map((f) => readFile(join(exp, f), 'utf8')));
      const parquet = join(dir, 'seed-parquet', `${s}.parquet`);
      await mkdir(join(dir, 'seed-parquet'), { recursive: true });
      await conn.run(
        `COPY (SELECT * FROM read_json('${join(exp, 'data', 'raw', '*.jsonl')}', format = 'newline_delimited', columns = ${JSON_COLUMNS})) TO '${parquet}' (FORMAT parquet)`,
      );
      const lines = seedLines(texts);
      const tops = new Set([...texts.join('').matchAll(ULID)].map((m) => m[1]));
      const ids = lines.map((l) => JSON.parse(l).id);
      seeds.push({ contributor, manifest, texts, lines, ids, tops, parquet, rows: lines.length, bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0) });
      await rm(join(dir, 'seeds'), { recursive: true, force: true });
    }

    // 2. The contributors (not timed): each derived from a seed, some a copy of the previous one.
    // Their Parquet shards are written by DuckDB from the seed's (the same rewriting, in SQL: only
    // the ids and the contributor columns hold ULIDs and the contributor, which seedLines checks).
    // Merge's partition files (`input \t line`, spread by the md5 of the event id) are written for
    // a sample of the partitions: the de-duplicating pass handles each partition on its own, so
    // its time on a sample, scaled by partitions, is its time on all of them; with --quick, and
    // whenever --sample-partitions is not below their number, every partition is written.
    const rand = seededRandom(7);
    const copies = Math.max(1, Math.round(ROWS / SEED_ROWS));
    const meanSeedBytes = seeds.reduce((n, s) => n + s.bytes, 0) / seeds.length;
    const partitions = Math.max(1, Math.ceil((meanSeedBytes * copies * CONTRIBUTORS) / (64 * 1024 * 1024)));
    const sampled = Math.min(partitions, SAMPLE_PARTITIONS);
    await mkdir(join(dir, 'partitions'));
    // Partitions sampled evenly: their names stay p0..p(sampled-1), as the pass expects.
    const sample = new Map(Array.from({ length: sampled }, (_, i) => [Math.floor((i * partitions) / sampled), i]));
    const partitionFiles = await Promise.all(Array.from({ length: sampled }, (_, i) => open(join(dir, 'partitions', `p${i}`), 'w')));
    const inputs = [];
    const parquetFiles = [];
    let rowsIn = 0;
    let sampledRowsIn = 0;
    let sampledDistinct = 0;
    let identity;
    let picked;
    let fresh = 0;
    for (let c = 0; c < CONTRIBUTORS; c++) {
      const duplicate = c > 0 && rand() < DUP;
      if (!duplicate)
        identity = { seed: fresh % SEEDS, contributor: `c_${(0xd000 + fresh).toString(16)}${'0'.repeat(8)}${pad(fresh)}`, first: fresh * copies + 1 };
      if (!duplicate) fresh += 1;
      const seed = seeds[identity.seed];
      const parquet = join(dir, 'parquet', `c${pad(c)}.parquet`);
      let copying;
      if (duplicate) copying = cp(parquetFiles[c - 1], parquet);
      else {
        // One copy after the other, as the contributor's JSONL files hold them; DuckDB writes while the sample is picked below.
        const moved = (col, k) =>
          `(CASE substr(${col}, 1, 3) ${[...seed.tops].map((t) => `WHEN '${t}' THEN '${shiftTop(t, identity.first + k)}'`).join(' ')} END) || substr(${col}, 4)`;
        const copy = (k) =>
          `SELECT v, ${moved('id', k)} AS id, ts, ${moved('session', k)} AS session, ${moved('task', k)} AS task, repo, '${identity.contributor}' AS contributor, kind, origin, data FROM read_parquet('${seed.parquet}')`;
        copying = conn.run(`COPY (${Array.from({ length: copies }, (_, k) => copy(k)).join(' UNION ALL ')}) TO '${parquet}' (FORMAT parquet)`);
      }
      if (!duplicate) picked = pickSampled(seed, identity, copies, partitions, sample);
      await copying;
      if (c < E2E) {
        const exp = join(dir, 'exports', `c${pad(c)}`);
        const files = derive(seed, identity, copies);
        const names = files.map((_, i) => shardPath('data/raw', 'train', i, files.length));
        await mkdir(join(exp, 'data', 'raw'), { recursive: true });
        await Promise.all(files.map((f, i) => writeFile(join(exp, names[i]), f.text)));
        await seal(exp, seed.manifest, identity, copies, names, files);
        await sameRows(conn, exp, parquet);
        inputs.push(exp);
      }
      // The sampled partitions' rows, in input order, as merge's first pass writes them.
      const parts = partitionFiles.map(() => []);
      for (const { p, line } of picked) parts[p].push(`${c}\t${line}\n`);
      await Promise.all(parts.map((list, i) => (list.length ? partitionFiles[i].write(list.join('')) : undefined)));
      rowsIn += seed.rows * copies;
      sampledRowsIn += picked.length;
      if (!duplicate) sampledDistinct += picked.length;
      parquetFiles.push(parquet);
      if (!quick) process.stderr.write(`contributor ${c + 1} of ${CONTRIBUTORS} written, ${Math.round((Date.now() - setup) / 1000)} s\n`);
    }
    await Promise.all(partitionFiles.map((h) => h.close()));
    const jsonlBytes = meanSeedBytes * copies * CONTRIBUTORS;
    const distinctEvents = seeds.reduce((n, s, i) => n + s.rows * copies * Math.ceil((fresh - i) / SEEDS), 0);
    const e2eRows = inputs.length ? await countRows(conn, inputs) : 0;
    line({
      bench: 'team',
      measure: 'inputs',
      contributors: CONTRIBUTORS,
      distinctContributors: fresh,
      rowsIn,
      jsonlMB: Math.round(jsonlBytes / 2 ** 20),
      parquetMB: Math.round((await du(join(dir, 'parquet'))) / 2 ** 20),
      distinctEvents,
      partitions,
      sampledPartitions: sampled,
      duplicateShare: DUP,
      seeds: SEEDS,
      seedRows: seeds.map((s) => s.rows),
      copiesOfSeed: copies,
      setupMs: Date.now() - setup,
      endToEnd: { contributors: inputs.length, rowsIn: e2eRows },
      note: quick ? '--quick size' : `${SEEDS} contributors recorded by the real pipeline, ${CONTRIBUTORS} derived from them by rewriting identities`,
    });

    // 3. and 4. `codetrail merge --engine builtin` (the baseline) and `--engine duckdb` (the same
    // checks, DuckDB de-duplicating and writing), the built command line, JSONL in and out, on the
    // first --e2e contributors. With --rounds N each runs N times, in alternating order, and the
    // medians are compared: on a shared machine one pair of runs says little.
    const median = (list) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
    if (inputs.length > 0) {
      const runs = { builtin: [], duckdb: [] };
      const rss = { builtin: [], duckdb: [] };
      const summaries = {};
      for (let round = 0; round < ROUNDS; round++) {
        for (const engine of round % 2 === 0 ? ['builtin', 'duckdb'] : ['duckdb', 'builtin']) {
          const outDir = join(dir, `merged-${engine}`);
          const run = await time(() => cliMerge(outDir, inputs, engine));
          runs[engine].push(Math.round(run.ms));
          rss[engine].push(run.result.maxRssMB);
          summaries[engine] ??= { ...run.result.summary, digest: await dataDigest(outDir), mb: Math.round((await du(outDir)) / 2 ** 20) };
          await rm(outDir, { recursive: true, force: true });
        }
      }
      const today = { ms: median(runs.builtin), result: summaries.builtin };
      line({
        bench: 'team',
        measure: "today's merge (baseline)",
        command: 'codetrail merge --engine builtin',
        contributors: inputs.length,
        rowsIn: today.result.inputRowCount,
        rows: today.result.rowCount,
        duplicates: today.result.duplicateCount,
        partitions: today.result.partitionCount,
        ms: today.ms,
        runs: runs.builtin,
        rowsPerSec: Math.round(today.result.inputRowCount / (today.ms / 1000)),
        maxRssMB: median(rss.builtin),
        outMB: today.result.mb,
      });
      const engine = { ms: median(runs.duckdb), result: summaries.duckdb };
      const sameDataset = summaries.duckdb.digest === summaries.builtin.digest;
      const engineRatio = today.ms / engine.ms;
      line({
        bench: 'team',
        measure: 'codetrail merge --engine duckdb',
        contributors: inputs.length,
        rowsIn: engine.result.inputRowCount,
        rows: engine.result.rowCount,
        ms: engine.ms,
        runs: runs.duckdb,
        rowsPerSec: Math.round(engine.result.inputRowCount / (engine.ms / 1000)),
        maxRssMB: median(rss.duckdb),
        baselineMs: today.ms,
        speedup: +engineRatio.toFixed(2),
        sameDatasetAsBuiltin: sameDataset,
        verdict: `${sameDataset && engineRatio >= 1 ? 'MET' : 'MISSED'}: --engine duckdb ${engineRatio.toFixed(2)}× the speed of --engine builtin end to end on ${engine.result.inputRowCount} events${ROUNDS > 1 ? ` (medians of ${ROUNDS} runs each)` : ''}, ${sameDataset ? 'the same' : 'NOT the same'} shards byte for byte`,
      });
    }

    // 5. Today's de-duplicating pass alone, over every contributor's rows (the baseline), then 6.
    // DuckDB alone: the same de-duplication as one SQL statement over the Parquet shards, written
    // as Parquet. Each in a process of its own; the JSONL output is deleted once counted.
    const dedupOut = join(dir, 'dedup-builtin');
    const dedup = await step('dedup-builtin', dir, { temp: join(dir, 'partitions'), partitions: sampled, out: dedupOut });
    const scale = partitions / sampled;
    dedup.outMB = Math.round((await du(dedupOut)) / 2 ** 20);
    dedup.partitionsMB = Math.round((await du(join(dir, 'partitions'))) / 2 ** 20);
    if (!keep) await rm(join(dir, 'partitions'), { recursive: true, force: true });
    await rm(dedupOut, { recursive: true, force: true });
    const dedupMs = Math.round(dedup.ms * scale);
    line({
      bench: 'team',
      measure: "today's de-duplicating pass (baseline)",
      code: "merge.ts dedupBuiltin over merge's partition files",
      contributors: CONTRIBUTORS,
      rowsIn,
      rows: Math.round(dedup.rows * scale),
      partitions,
      measured: { partitions: sampled, rowsIn: sampledRowsIn, rows: dedup.rows, expectedRows: sampledDistinct, ms: dedup.ms },
      ms: dedupMs,
      ...(sampled < partitions ? { scaled: `${sampled} of ${partitions} partitions measured, their time × ${scale.toFixed(2)}` } : {}),
      rowsPerSec: Math.round(sampledRowsIn / (dedup.ms / 1000)),
      maxRssMB: dedup.maxRssMB,
      diskMB: { partitionsIn: dedup.partitionsMB, out: dedup.outMB },
    });
    conn.closeSync();
    db.closeSync();
    const duck = await step('duckdb-sql', dir, { parquetFiles, out: join(dir, 'merged-duckdb.parquet'), memory: DUCKDB_MEMORY, temp: join(dir, 'duck-tmp') });
    // Every distinct event kept once, by both: DuckDB over all of them, the builtin pass over its partitions.
    const same = duck.rows === distinctEvents && duck.ids === duck.rows && dedup.rows === sampledDistinct;
    const ratio = dedupMs / duck.ms;
    line({
      bench: 'team',
      measure: 'DuckDB merge (SQL over Parquet)',
      contributors: CONTRIBUTORS,
      rowsIn,
      rows: duck.rows,
      distinctIds: duck.ids,
      ms: duck.ms,
      rowsPerSec: Math.round(rowsIn / (duck.ms / 1000)),
      maxRssMB: duck.maxRssMB,
      diskMB: {
        parquetIn: Math.round((await du(join(dir, 'parquet'))) / 2 ** 20),
        out: Math.round(duck.outBytes / 2 ** 20),
        spillPeak: Math.round(duck.spillPeakBytes / 2 ** 20),
      },
      duckdb: { threads: 2, memoryLimit: DUCKDB_MEMORY },
      baselineMs: dedupMs,
      speedup: +ratio.toFixed(2),
      sameRowsAsToday: same,
      verdict: `${same && ratio >= 1 ? 'MET' : 'MISSED'}: DuckDB ${ratio.toFixed(2)}× the speed of today's de-duplicating pass${sampled < partitions ? ' (scaled from a sample of its partitions)' : ''} on ${rowsIn} events, ${same ? 'every' : 'NOT every'} distinct event kept once (${duck.rows})`,
    });
  } finally {
    try {
      conn.closeSync();
      db.closeSync();
    } catch {
      // already closed
    }
    if (!keep) await rm(dir, { recursive: true, force: true });
  }

  /** A seal over a derived export: its tasks renamed as its rows were, its card and manifest rebuilt, by the project's own code. */
  async function seal(exp, seedManifest, who, copies, names, files) {
    const tasks = [];
    for (let k = 0; k < copies; k++)
      for (const t of seedManifest.tasks)
        tasks.push({ ...t, task_id: shiftTop(t.task_id.slice(0, 3), who.first + k) + t.task_id.slice(3), contributor: who.contributor });
    const rows = files.reduce((n, f) => n + f.rows, 0);
    const counts = { tasks: tasks.length, rows, events: rows };
    const configs = [{ name: 'raw', split: 'train', files: names }];
    await writeFile(
      join(exp, 'README.md'),
      datasetCard({ format: 'raw', description: FORMATS.raw.description, schema: FORMATS.raw.schema, configs, counts, tasks }),
    );
    await writeManifest(exp, { format: 'raw', created_at: seedManifest.created_at, options: seedManifest.options, counts, configs, tasks }, 'bench');
  }
}

// Crockford's base 32, as ULIDs are written: 10 characters of milliseconds, then 16 of randomness.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID = /"([0-9A-HJKMNP-TV-Z]{3})([0-9A-HJKMNP-TV-Z]{23})"/g;
/**
 * Copy k's ULIDs: their time moved by k × 2^35 ms (about a year, so a seed's span never reaches
 * the next copy's), which is k added to the number their first 3 characters write (32^7 = 2^35).
 */
function shiftTop(top, k) {
  let n = 0;
  for (const ch of top) n = n * 32 + CROCKFORD.indexOf(ch);
  n += k;
  if (n >= 2 ** 13) throw new Error(`${top}… moved by ${k} copies is past ULID time: fewer contributors or copies`);
  return CROCKFORD[n >> 10] + CROCKFORD[(n >> 5) & 31] + CROCKFORD[n & 31];
}

const JSON_COLUMNS = `{v: 'BIGINT', id: 'VARCHAR', ts: 'BIGINT', session: 'VARCHAR', task: 'VARCHAR', repo: 'VARCHAR', contributor: 'VARCHAR', kind: 'VARCHAR', origin: 'VARCHAR', data: 'JSON'}`;

/** A seed's lines; refused if a row's data names a ULID, which the SQL derivation would leave as it is. */
function seedLines(texts) {
  const lines = texts.flatMap((t) => t.split('\n').filter(Boolean));
  for (const l of lines)
    if (new RegExp(ULID.source).test(l.slice(l.indexOf(',"data":'))))
      throw new Error(`a seed row names an id in its data, which the Parquet derivation does not rewrite: ${l.slice(0, 200)}`);
  return lines;
}

/** Rewrites rows for copy k: every quoted ULID's time moved (`tops` remembers each first 3 characters' move), the contributor replaced. */
function rewrite(text, k, tops, from, to) {
  const moved = text.replace(ULID, (_, t, r) => {
    let shifted = tops.get(t);
    if (shifted === undefined) tops.set(t, (shifted = shiftTop(t, k)));
    return `"${shifted}${r}"`;
  });
  return moved.replaceAll(`"contributor":"${from}"`, `"contributor":"${to}"`);
}

/** A contributor's files: each seed file once per copy, rewritten. */
function derive(seed, who, copies) {
  const files = [];
  for (let k = 0; k < copies; k++) {
    const tops = new Map();
    for (const text of seed.texts) files.push({ text: rewrite(text, who.first + k, tops, seed.contributor, who.contributor), rows: countLines(text) });
  }
  return files;
}

const countLines = (text) => text.split('\n').filter(Boolean).length;

/** A contributor's rows that fall in the sampled partitions (by the md5 of the event id, as merge spreads them), rewritten, in input order. */
function pickSampled(seed, who, copies, partitions, sample) {
  const picked = [];
  for (let k = 0; k < copies; k++) {
    const tops = new Map();
    for (const [i, l] of seed.lines.entries()) {
      const id = seed.ids[i];
      let t = tops.get(id.slice(0, 3));
      if (t === undefined) tops.set(id.slice(0, 3), (t = shiftTop(id.slice(0, 3), who.first + k)));
      const p = sample.get(hash('md5', t + id.slice(3), 'buffer').readUInt32BE(0) % partitions);
      if (p !== undefined) picked.push({ p, line: rewrite(l, who.first + k, tops, seed.contributor, who.contributor) });
    }
  }
  return picked;
}

/** Refuses to go on unless an export's JSONL rows (derived in JavaScript) and its Parquet shard (derived in SQL) hold the same rows. */
async function sameRows(conn, exp, parquet) {
  const json = `SELECT ${COLUMNS.join(', ')} FROM read_json('${join(exp, 'data', 'raw', '*.jsonl')}', format = 'newline_delimited', columns = ${JSON_COLUMNS})`;
  const pq = `SELECT ${COLUMNS.join(', ')} FROM read_parquet('${parquet}')`;
  const [a, b] = (await conn.runAndReadAll(`SELECT (SELECT count(*) FROM (${json} EXCEPT ALL ${pq})), (SELECT count(*) FROM (${pq} EXCEPT ALL ${json}))`))
    .getRows()[0]
    .map(Number);
  if (a || b) throw new Error(`${exp} and ${parquet} differ: ${a} rows only in the JSONL, ${b} only in the Parquet`);
}

/** Events in the exports' JSONL files. */
async function countRows(conn, exports) {
  let n = 0;
  for (const exp of exports) {
    const counted = await conn.runAndReadAll(
      `SELECT count(*) FROM read_json('${join(exp, 'data', 'raw', '*.jsonl')}', format = 'newline_delimited', columns = {id: 'VARCHAR'})`,
    );
    n += Number(counted.getRows()[0][0]);
  }
  return n;
}

/** Bytes of the files under `path`. */
async function du(path) {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let n = 0;
  for (const name of await readdir(path)) n += await du(join(path, name));
  return n;
}

/** Runs one measured pass in a process of its own (this file with --step); its JSON line. */
async function step(name, dir, spec) {
  const specFile = join(dir, `${name}.json`);
  await writeFile(specFile, JSON.stringify(spec));
  const { stdout } = await run(process.execPath, [fileURLToPath(import.meta.url), '--step', name, '--step-spec', specFile]);
  return JSON.parse(stdout);
}

/** merge.ts's de-duplicating pass (the builtin engine's second pass) over partition files: its rows, time and peak RSS. */
async function dedupBuiltinStep({ temp, partitions, out: outDir }) {
  const { dedupBuiltin } = out('src/core/export/merge.js');
  const { JsonlShards } = out('src/core/export/shards.js');
  const shards = new JsonlShards(outDir, 'train', 10_000);
  const run = await time(() => dedupBuiltin({ temp, partitions, mergeKey: 'event', keyOf: (row) => String(row.id), shards }, () => undefined));
  return { rows: run.result.rows, ms: Math.round(run.ms), maxRssMB: maxRssMB() };
}

/** TEAM_MERGE_SQL over the Parquet shards, written as Parquet: its time, peak RSS and spill, then what it kept (not timed). */
async function duckdbSqlStep({ parquetFiles, out: outFile, memory, temp }) {
  const { DuckDBInstance } = require('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: memory, temp_directory: temp });
  const conn = await db.connect();
  let spillPeakBytes = 0;
  const watch = setInterval(() => void du(temp).then((n) => (spillPeakBytes = Math.max(spillPeakBytes, n))), 2000);
  try {
    await conn.run(`CREATE TEMP TABLE inputs AS SELECT * FROM (VALUES ${parquetFiles.map((p, i) => `('${p}', ${i})`).join(', ')}) t(path, rank)`);
    await conn.run(`CREATE TEMP VIEW rows AS SELECT * FROM read_parquet([${parquetFiles.map((p) => `'${p}'`).join(', ')}], filename = true)`);
    const duck = await time(() => conn.run(`COPY (${TEAM_MERGE_SQL}) TO '${outFile}' (FORMAT parquet)`));
    clearInterval(watch);
    const rssMB = maxRssMB();
    const [rows, ids] = (await conn.runAndReadAll(`SELECT count(*), count(DISTINCT id) FROM read_parquet('${outFile}')`)).getRows()[0].map(Number);
    return { rows, ids, ms: Math.round(duck.ms), maxRssMB: rssMB, outBytes: await du(outFile), spillPeakBytes };
  } finally {
    clearInterval(watch);
    conn.closeSync();
    db.closeSync();
  }
}

/** Runs the built command line's merge under /usr/bin/time when there is one: its --json summary and peak RSS. */
async function cliMerge(outDir, inputs, engine) {
  const cli = [join(process.cwd(), 'dist', 'cli.js'), 'merge', outDir, ...inputs, '--engine', engine, '--json'];
  const timed = await stat('/usr/bin/time').then(
    () => true,
    () => false,
  );
  const { stdout, stderr } = timed ? await run('/usr/bin/time', ['-f', 'maxrss-kb %M', process.execPath, ...cli]) : await run(process.execPath, cli);
  const rss = /maxrss-kb (\d+)/.exec(stderr);
  return { summary: JSON.parse(stdout), maxRssMB: rss ? Math.round(Number(rss[1]) / 1024) : undefined };
}

function run(command, argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** One digest of a merged export's data files, in name order: equal digests, the same shards byte for byte. */
async function dataDigest(exportDir) {
  const hash = createHash('sha256');
  const data = join(exportDir, 'data', 'raw');
  for (const name of (await readdir(data)).sort()) hash.update(name).update(await readFile(join(data, name)));
  return hash.digest('hex');
}

if (args.includes('--step')) {
  const spec = JSON.parse(await readFile(value('--step-spec'), 'utf8'));
  line(await STEPS[value('--step')](spec));
} else await main();
