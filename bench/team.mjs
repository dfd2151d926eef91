// Team scale: merging and de-duplicating the raw exports of many contributors with the command
// line, end to end (`codetrail merge --engine builtin`, streaming and home-made, against
// `--engine duckdb`, every check the same, DuckDB de-duplicating), then DuckDB alone running one
// SQL statement over the same exports' Parquet shards, in one run. The statement (TEAM_MERGE_SQL
// below) is plain SQL that Spark SQL and Trino also run (see the README's "Team scale" notes for
// their spelling of the file list). DuckDB is an optional dependency of the command line, never
// part of the extension bundle.
//
// Exports of C contributors, about R events each, recorded and exported by the real pipeline; a
// share of them are a copy of the previous one (tasks exported twice: the same event ids), plus
// Parquet shards of the same rows.
// Usage: npm run build && npm run compile-tests && node bench/team.mjs [--quick] [--contributors 100] [--rows 20000] [--dup 0.1] [--rounds 1]
// Prints one JSON line per measurement with the baseline (the builtin engine) and a verdict.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiled as out, seededRandom, time } from './lib.mjs';
import { generateYearStore } from './yearStore.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const quick = args.includes('--quick');
const CONTRIBUTORS = Number(value('--contributors', quick ? 4 : 100));
const ROWS = Number(value('--rows', quick ? 1000 : 20_000));
const DUP = Number(value('--dup', quick ? 0.5 : 0.1));
const ROUNDS = Number(value('--rounds', 1));

const { exportStore } = out('src/core/export/exporter.js');
const { DuckDBInstance } = require('@duckdb/node-api');

const COLUMNS = ['v', 'id', 'ts', 'session', 'task', 'repo', 'contributor', 'kind', 'origin', 'data'];

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

const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const dir = await mkdtemp(join(tmpdir(), 'codetrail-bench-team-'));
const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB', temp_directory: join(dir, 'duck-tmp') });
const conn = await db.connect();
try {
  // 1. The exports (not timed): each contributor's store written through the real pipeline
  // (bench/yearStore.mjs) and exported by the real exporter, so merge's provenance checks (which
  // replay every task of a raw export) see what they would see from real contributors. A share of
  // the exports are a copy of the previous one: the same tasks exported twice, the same event ids.
  const rand = seededRandom(7);
  const inputs = [];
  const parquetFiles = [];
  let rowsIn = 0;
  const eventsPerTask = quick ? 250 : 2500;
  const tasks = Math.max(1, Math.round(ROWS / eventsPerTask));
  const columns = `{v: 'BIGINT', id: 'VARCHAR', ts: 'BIGINT', session: 'VARCHAR', task: 'VARCHAR', repo: 'VARCHAR', contributor: 'VARCHAR', kind: 'VARCHAR', origin: 'VARCHAR', data: 'JSON'}`;
  for (let c = 0; c < CONTRIBUTORS; c++) {
    const exp = join(dir, 'exports', `c${String(c).padStart(4, '0')}`);
    if (c > 0 && rand() < DUP) await cp(inputs[c - 1], exp, { recursive: true });
    else {
      const store = join(dir, 'stores', `c${c}`);
      await generateYearStore(store, { tasks, eventsPerTask, seed: c + 1, contributorId: `c_${String(c).padStart(16, '0')}` });
      await exportStore({ store, out: exp, format: 'raw', includeUnapproved: true, version: 'bench' });
      await rm(store, { recursive: true, force: true });
    }
    const jsonl = join(exp, 'data', 'raw', '*.jsonl');
    const counted = await conn.runAndReadAll(`SELECT count(*) FROM read_json('${jsonl}', format = 'newline_delimited', columns = {id: 'VARCHAR'})`);
    rowsIn += Number(counted.getRows()[0][0]);
    const parquet = join(dir, 'parquet', `c${String(c).padStart(4, '0')}.parquet`);
    await mkdir(join(dir, 'parquet'), { recursive: true });
    await conn.run(`COPY (SELECT * FROM read_json('${jsonl}', format = 'newline_delimited', columns = ${columns})) TO '${parquet}' (FORMAT parquet)`);
    inputs.push(exp);
    parquetFiles.push(parquet);
  }
  line({
    bench: 'team',
    measure: 'inputs',
    contributors: CONTRIBUTORS,
    rowsIn,
    duplicateShare: DUP,
    note: quick ? '--quick size' : `scaled down from the issue's 50 million events from 100 contributors: ${rowsIn} events fit this shared 2-core machine`,
  });

  // 2. and 3. `codetrail merge --engine builtin` (the baseline) and `--engine duckdb` (the same
  // checks, DuckDB de-duplicating and writing), the built command line, JSONL in and out. With
  // --rounds N each runs N times, in alternating order, and the medians are compared: on a shared
  // machine one pair of runs says little.
  const runs = { builtin: [], duckdb: [] };
  const summaries = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const engine of round % 2 === 0 ? ['builtin', 'duckdb'] : ['duckdb', 'builtin']) {
      const outDir = join(dir, `merged-${engine}-${round}`);
      const run = await time(() => cliMerge(outDir, inputs, engine));
      runs[engine].push(Math.round(run.ms));
      summaries[engine] ??= { ...run.result, digest: await dataDigest(outDir) };
      if (round > 0) await rm(outDir, { recursive: true, force: true });
    }
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
  const today = { ms: median(runs.builtin), result: summaries.builtin };
  const merged = join(dir, 'merged-builtin-0');
  line({
    bench: 'team',
    measure: "today's merge (baseline)",
    command: 'codetrail merge --engine builtin',
    rowsIn,
    rows: today.result.rowCount,
    duplicates: today.result.duplicateCount,
    partitions: today.result.partitionCount,
    ms: today.ms,
    runs: runs.builtin,
    rowsPerSec: Math.round(rowsIn / (today.ms / 1000)),
  });
  const engine = { ms: median(runs.duckdb), result: summaries.duckdb };
  const sameDataset = summaries.duckdb.digest === summaries.builtin.digest;
  const engineRatio = today.ms / engine.ms;
  line({
    bench: 'team',
    measure: 'codetrail merge --engine duckdb',
    rowsIn,
    rows: engine.result.rowCount,
    ms: engine.ms,
    runs: runs.duckdb,
    rowsPerSec: Math.round(rowsIn / (engine.ms / 1000)),
    baselineMs: today.ms,
    speedup: +engineRatio.toFixed(2),
    sameDatasetAsBuiltin: sameDataset,
    verdict: `${sameDataset && engineRatio >= 1 ? 'MET' : 'MISSED'}: --engine duckdb ${engineRatio.toFixed(2)}× the speed of --engine builtin end to end${ROUNDS > 1 ? ` (medians of ${ROUNDS} runs each)` : ''}, ${sameDataset ? 'the same' : 'NOT the same'} shards byte for byte`,
  });

  // 4. DuckDB alone: the same de-duplication as one SQL statement over the Parquet shards, written as Parquet.
  await conn.run(`CREATE OR REPLACE TEMP TABLE inputs AS SELECT * FROM (VALUES ${parquetFiles.map((p, i) => `('${p}', ${i})`).join(', ')}) t(path, rank)`);
  await conn.run(`CREATE OR REPLACE TEMP VIEW rows AS SELECT * FROM read_parquet([${parquetFiles.map((p) => `'${p}'`).join(', ')}], filename = true)`);
  const duckOut = join(dir, 'merged-duckdb.parquet');
  const duck = await time(() => conn.run(`COPY (${TEAM_MERGE_SQL}) TO '${duckOut}' (FORMAT parquet)`));
  const check = await conn.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_parquet('${duckOut}')`);
  const [n, ids] = check.getRows()[0].map(Number);
  const todayIds = await conn.runAndReadAll(
    `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_json('${join(merged, 'data', 'raw')}/*.jsonl', format = 'newline_delimited', columns = {id: 'VARCHAR'})`,
  );
  const [tn, tids] = todayIds.getRows()[0].map(Number);
  const same = n === tn && ids === tids && n === ids;
  const ratio = today.ms / duck.ms;
  line({
    bench: 'team',
    measure: 'DuckDB merge (SQL over Parquet)',
    rowsIn,
    rows: n,
    distinctIds: ids,
    ms: Math.round(duck.ms),
    rowsPerSec: Math.round(rowsIn / (duck.ms / 1000)),
    baselineMs: today.ms,
    speedup: +ratio.toFixed(2),
    sameRowsAsToday: same,
    verdict: `${same && ratio >= 1 ? 'MET' : 'MISSED'}: DuckDB ${ratio.toFixed(2)}× the speed of today's merge, ${same ? 'the same' : 'NOT the same'} ${n} events kept`,
  });
} finally {
  conn.closeSync();
  db.closeSync();
  await rm(dir, { recursive: true, force: true });
}

/** Runs the built command line's merge; its --json summary. */
function cliMerge(outDir, inputs, engine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'cli.js'), 'merge', outDir, ...inputs, '--engine', engine, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`codetrail merge --engine ${engine} exited ${code}: ${stderr}`))));
  });
}

/** One digest of a merged export's data files, in name order: equal digests, the same shards byte for byte. */
async function dataDigest(exportDir) {
  const hash = createHash('sha256');
  const data = join(exportDir, 'data', 'raw');
  for (const name of (await readdir(data)).sort()) hash.update(name).update(await readFile(join(data, name)));
  return hash.digest('hex');
}
