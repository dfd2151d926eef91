// `codetrail merge`: many engineers' exports of one format → one dataset. Each input's manifest
// is checked first: its seal (a manifest edited after export is refused, naming the task) and its
// file checksums (a tampered file is refused by name). While rows are read, what the manifest
// claims about each task is compared with what the data says (provenanceCheck.ts); nothing is
// written before every input has passed. Rows are de-duplicated by
// event id (raw) or task id (the rest) in two streaming passes: rows are spread over partition
// files by a hash of their key, then each partition, small enough for memory, is de-duplicated
// and written out. Memory depends on the partition size, not on the size of the inputs.
// With the DuckDB engine (mergeDuckdb.ts) the first pass is the same, checks included, but writes
// merge's private copy of the rows (the stage) for DuckDB to de-duplicate and write out in SQL;
// both engines write the same rows, in the same order, in the same shards.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openForReading, resolveInside } from '../base/confine';
import { CodetrailError } from '../base/errors';
import { EXPORT_FORMATS, FORMATS, isExportFormat } from './formats';
import { datasetCard } from './card';
import {
  checkManifest,
  MANIFEST,
  MERGE_MUST_MATCH,
  readExportManifest,
  sealProblem,
  writeManifest,
  type ExcludedEntry,
  type ExportOptionsRecord,
  type Manifest,
  type MergedInput,
  type TaskProvenance,
} from './manifest';
import { DUCKDB_MISSING, DuckDbDedup, loadDuckDb, StageWriter } from './mergeDuckdb';
import { ProvenanceCheck } from './provenanceCheck';
import { sumCounts, type AuthorCounts } from '../replay/authorship';
import { JsonlShards } from './shards';
import { writeFile } from 'node:fs/promises';

export interface MergeOptions {
  out: string;
  inputs: string[];
  rowsPerShard?: number;
  /** Target bytes of input per partition: bounds the memory of the de-duplicating pass. */
  partitionBytes?: number;
  version: string;
  parquet?: (config: string, jsonlFiles: string[]) => Promise<string[]>;
  onProgress?: (done: number, total: number) => void;
  /** Who de-duplicates and writes the rows (default builtin); `auto`: DuckDB from `autoDuckDbBytes` of input, when it can be loaded. */
  engine?: MergeEngine;
  /** Bytes of JSONL input from which `auto` picks DuckDB (default AUTO_DUCKDB_BYTES). */
  autoDuckDbBytes?: number;
  /** DuckDB engine: bytes of an input per stage file (default 32 MB), which bounds what DuckDB holds per file. */
  stageChunkBytes?: number;
}

export type MergeEngine = 'builtin' | 'duckdb' | 'auto';

/** Bytes of JSONL input from which `auto` picks DuckDB: below, the builtin engine is as fast (bench/team.mjs, README "Team scale"). */
export const AUTO_DUCKDB_BYTES = 64 * 1024 * 1024;

export interface MergeSummary {
  out: string;
  format: string;
  inputs: number;
  rowsIn: number;
  rows: number;
  duplicates: number;
  tasks: number;
  partitions: number;
  engine: 'builtin' | 'duckdb';
}

export async function mergeExports(opts: MergeOptions): Promise<MergeSummary> {
  if (opts.inputs.length === 0) throw new CodetrailError('bad-input', 'nothing to merge: give one or more export folders');
  const manifests: Manifest[] = [];
  for (const dir of opts.inputs) {
    const manifest = await readExportManifest(dir);
    const forged = sealProblem(manifest);
    if (forged) throw new CodetrailError('bad-input', `refusing ${dir}: ${join(dir, MANIFEST)}: ${forged}`);
    const problem = await checkManifest(dir, manifest);
    if (problem) throw new CodetrailError('bad-input', `refusing ${dir}: ${problem}`);
    manifests.push(manifest);
  }
  const format = manifests[0]!.format;
  const other = manifests.findIndex((m) => m.format !== format);
  if (other !== -1)
    throw new CodetrailError('bad-input', `${opts.inputs[other]} holds ${manifests[other]!.format}, not ${format}: merge exports of one format`);
  // A format this version does not know is merged by task, as most are, with no description.
  const spec = isExportFormat(format) ? FORMATS[format] : undefined;
  const mergeKey = spec ? spec.mergeKey : 'task';
  if (mergeKey === null)
    throw new CodetrailError(
      'bad-input',
      `merge takes the JSONL formats (${EXPORT_FORMATS.filter((f) => FORMATS[f].mergeKey !== null).join(', ')}); ${format} is not rows of JSON: load its files together instead`,
    );
  // Options the manifests declare are compared before any row is read; those an older manifest
  // does not declare are read off its rows (TRL's arguments) and compared after the first pass.
  refuseMixedOptions(
    opts.inputs,
    manifests.map((m) => knownOptions(m)),
  );
  const entries = await readdir(opts.out).catch(() => []);
  if (entries.length > 0) throw new CodetrailError('bad-input', `${opts.out} is not empty: merge into a new folder`);

  const config = manifests[0]!.configs[0]!;
  const inputFiles: { input: number; path: string }[][] = [];
  for (const [i, m] of manifests.entries()) {
    const listed = m.configs[0]!.files.filter((f) => f.endsWith('.jsonl'));
    inputFiles.push(await Promise.all(listed.map(async (f) => ({ input: i, path: await resolveInside(opts.inputs[i]!, f, join(opts.inputs[i]!, MANIFEST)) }))));
  }
  const totalBytes = manifests.reduce((n, m) => n + m.files.filter((f) => f.path.endsWith('.jsonl')).reduce((s, f) => s + f.bytes, 0), 0);
  const partitions = Math.max(1, Math.ceil(totalBytes / (opts.partitionBytes ?? 64 * 1024 * 1024)));
  const duckdb = engineFor(opts.engine ?? 'builtin', totalBytes, opts.autoDuckDbBytes ?? AUTO_DUCKDB_BYTES);
  // JavaScript's String() of the key, as both engines agree (a missing key is "undefined"); a
  // parsed object whose toString is no function makes it throw: no key to merge by.
  const keyOf = (row: Record<string, unknown>, where: string): string => {
    const key = mergeKey === 'event' ? row.id : (row.task_id ?? row.instance_id);
    try {
      return String(key);
    } catch {
      throw new CodetrailError('bad-input', `${where}: the row's ${mergeKey === 'event' ? 'id' : 'task_id or instance_id'} is no value to merge it by`);
    }
  };

  const temp = await mkdtemp(join(tmpdir(), 'codetrail-merge-'));
  let duck: DuckDbDedup | undefined;
  try {
    // Pass 1: spread rows over partitions, tagged with the input they came from; each input's
    // rows also go to the check of what its manifest claims.
    const writers: WriteStream[] = duckdb ? [] : Array.from({ length: partitions }, (_, p) => createWriteStream(join(temp, `p${p}`)));
    const stage = duckdb && new StageWriter(join(temp, 'stage'), opts.stageChunkBytes);
    const checks = await Promise.all(
      manifests.map(async (m, i) => {
        const bytes = m.files.filter((f) => f.path.endsWith('.jsonl')).reduce((s, f) => s + f.bytes, 0);
        const dir = join(temp, `check-${i}`);
        await mkdir(dir);
        return new ProvenanceCheck(m.format, m.tasks, dir, Math.max(1, Math.ceil(bytes / (opts.partitionBytes ?? 64 * 1024 * 1024))), m.options);
      }),
    );
    let rowsIn = 0;
    const files = inputFiles.flat();
    const steps = duckdb ? 1 : partitions;
    for (const [n, { input, path }] of files.entries()) {
      let lineNo = 0;
      for await (const line of createInterface({ input: (await openForReading(path)).createReadStream(), crlfDelay: Infinity })) {
        lineNo += 1;
        if (!line) continue;
        let row: Record<string, unknown>;
        try {
          row = JSON.parse(line);
        } catch (err) {
          throw new CodetrailError('bad-input', `${path}:${lineNo}: not JSON (${(err as Error).message})`);
        }
        // The row as the builtin engine writes it (JSON.stringify); the raw check needs it too.
        const json = stage ? JSON.stringify(row) : undefined;
        await checks[input]!.row(row, `${path}:${lineNo}`, json);
        const key = keyOf(row, `${path}:${lineNo}`);
        const p = partitions === 1 ? 0 : createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
        rowsIn += 1;
        if (stage) {
          const wait = stage.write(input, `${p}\t${JSON.stringify(key)}\t${json}\n`);
          if (wait) await wait;
        } else if (!writers[p]!.write(`${input}\t${line}\n`)) await once(writers[p]!, 'drain');
      }
      opts.onProgress?.(n + 1, files.length + steps);
    }
    await Promise.all(writers.map((w) => new Promise<void>((resolve, reject) => w.end((err?: Error | null) => (err ? reject(err) : resolve())))));
    if (stage) {
      duck = await DuckDbDedup.open(duckdb, join(temp, 'duckdb'));
      // DuckDB de-duplicates on its own threads while the checks below replay tasks; nothing is written before they pass.
      duck.dedup(await stage.close(), mergeKey).catch(() => undefined);
    }
    for (const [i, check] of checks.entries()) {
      const problem = await check.finish();
      if (problem) throw new CodetrailError('bad-input', `refusing ${opts.inputs[i]}: ${problem}`);
    }
    const options = manifests.map((m, i) => knownOptions(m, checks[i]!.trlArguments));
    refuseMixedOptions(opts.inputs, options);

    // Pass 2, every check passed: the builtin engine de-duplicates its partitions, or DuckDB writes what it kept.
    const dataDir = join(opts.out, 'data', config.name);
    const rowsPerShard = opts.rowsPerShard ?? 10_000;
    const { files: written, rows } = duck
      ? await duck.write(dataDir, config.split, rowsPerShard)
      : await dedupBuiltin({ temp, partitions, mergeKey, keyOf, shards: new JsonlShards(dataDir, config.split, rowsPerShard) }, (p) =>
          opts.onProgress?.(files.length + p + 1, files.length + partitions),
        );
    opts.onProgress?.(files.length + steps, files.length + steps);
    const configs: Manifest['configs'] = [{ name: config.name, split: config.split, files: written.map((f) => f.slice(opts.out.length + 1)) }];
    if (opts.parquet) {
      const parquetFiles = await opts.parquet(config.name, written);
      configs.push({ name: `${config.name}_parquet`, split: config.split, files: parquetFiles.map((f) => f.slice(opts.out.length + 1)) });
    }
    const tasks = new Map<string, TaskProvenance>();
    for (const m of manifests) for (const t of m.tasks) if (!tasks.has(t.task_id)) tasks.set(t.task_id, t);
    const counts = { tasks: tasks.size, rows, events: manifests.reduce((n, m) => n + m.counts.events, 0) };
    await writeFile(
      join(opts.out, 'README.md'),
      datasetCard({
        format,
        description: spec?.description ?? '',
        schema: spec?.schema ?? null,
        configs,
        counts,
        tasks: [...tasks.values()],
        authorship: authorshipOf(checks),
      }),
    );
    // What each input left out and how it was validated, carried with which input said so.
    const excluded: ExcludedEntry[] = manifests.flatMap((m, i) => (m.excluded ?? []).map((x) => ({ task_id: x.task_id, reason: x.reason, input: i })));
    // `tool` and `created_at` are not checked for shape (merge needs neither): read with care.
    const said = (m: Manifest) => m as { tool?: { version?: unknown }; created_at?: unknown };
    const inputs: MergedInput[] = manifests.map((m) => ({
      manifest_seal: m.seal.manifest,
      tool_version: scalarText(said(m).tool?.version) ?? 'unknown',
      created_at: scalarText(said(m).created_at) ?? 'unknown',
      tasks: m.tasks.length,
      ...(m.options ? { options: m.options } : {}),
      ...(m.validation ? { validation: m.validation } : {}),
    }));
    await writeManifest(
      opts.out,
      {
        format,
        created_at: new Date().toISOString(),
        options: mergedOptions(options, manifests),
        counts,
        configs,
        tasks: [...tasks.values()],
        ...(excluded.length ? { excluded } : {}),
        inputs,
      },
      opts.version,
    );
    return {
      out: opts.out,
      format,
      inputs: opts.inputs.length,
      rowsIn,
      rows,
      duplicates: rowsIn - rows,
      tasks: tasks.size,
      partitions,
      engine: duckdb ? 'duckdb' : 'builtin',
    };
  } finally {
    await duck?.close();
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * The builtin engine's second pass: per partition, the first input to hold a key wins; its rows are
 * written. Exported for bench/team.mjs, which times it alone against DuckDB's SQL on the same rows.
 */
export async function dedupBuiltin(
  pass: { temp: string; partitions: number; mergeKey: 'event' | 'task'; keyOf: (row: Record<string, unknown>, where: string) => string; shards: JsonlShards },
  onPartition: (p: number) => void,
): Promise<{ files: string[]; rows: number }> {
  const { temp, partitions, mergeKey, keyOf, shards } = pass;
  for (let p = 0; p < partitions; p++) {
    const owner = new Map<string, number>();
    const seenIds = new Set<string>();
    for await (const line of createInterface({ input: createReadStream(join(temp, `p${p}`)), crlfDelay: Infinity })) {
      const tab = line.indexOf('\t');
      const input = Number(line.slice(0, tab));
      const row = JSON.parse(line.slice(tab + 1)) as Record<string, unknown>;
      const key = keyOf(row, `partition ${p}`);
      if (mergeKey === 'event') {
        if (seenIds.has(key)) continue;
        seenIds.add(key);
      } else {
        const first = owner.get(key);
        if (first === undefined) owner.set(key, input);
        else if (first !== input) continue;
      }
      const written = shards.write(row);
      if (written) await written;
    }
    if (p < partitions - 1) onPartition(p);
  }
  await shards.ensureOne();
  return { files: await shards.close(), rows: shards.rows };
}

/** DuckDB's module when it de-duplicates: asked for, or `auto` with enough input; `auto` falls back when DuckDB cannot be loaded. */
function engineFor(engine: MergeEngine, totalBytes: number, autoFrom: number) {
  if (engine === 'builtin' || (engine === 'auto' && totalBytes < autoFrom)) return undefined;
  const duckdb = loadDuckDb();
  if (!(duckdb instanceof Error)) return duckdb;
  if (engine === 'duckdb') throw new Error(`${DUCKDB_MISSING} (${duckdb.message.split('\n')[0]})`);
  return undefined;
}

type MustMatch = (typeof MERGE_MUST_MATCH)[number];
/** Per option, its value where known: null when the input was exported without it; no key when the input does not say. */
type KnownOptions = Partial<Record<MustMatch, string | number | boolean | null>>;

const OPTION_FLAGS: Record<MustMatch, string> = { trl_arguments: '--trl-arguments', zed_generated: '--zed-generated', max_generated: '--max-generated' };

/** What an input's manifest says of its options, and what its rows show (TRL's arguments, read in the first pass). */
function knownOptions(m: Manifest, seenTrlArguments?: 'object' | 'string'): KnownOptions {
  const trl = m.options?.trl_arguments ?? seenTrlArguments;
  return {
    ...(m.options ? { max_generated: m.options.max_generated ?? null } : {}),
    ...(m.options?.zed_generated !== undefined ? { zed_generated: m.options.zed_generated } : {}),
    ...(trl ? { trl_arguments: trl } : {}),
  };
}

/** Refuses inputs whose rows are shaped, or whose tasks chosen, by different options: merged, the dataset would be neither. */
function refuseMixedOptions(inputs: readonly string[], options: readonly KnownOptions[]): void {
  for (const key of MERGE_MUST_MATCH) {
    const first = options.findIndex((o) => key in o);
    if (first === -1) continue;
    const other = options.findIndex((o) => key in o && o[key] !== options[first]![key]);
    if (other === -1) continue;
    const flag = (o: KnownOptions) =>
      o[key] === null || o[key] === false
        ? `without ${OPTION_FLAGS[key]}`
        : o[key] === true
          ? `with ${OPTION_FLAGS[key]}`
          : `with ${OPTION_FLAGS[key]} ${o[key]}`;
    throw new CodetrailError(
      'bad-input',
      `refusing ${inputs[other]}: it was exported ${flag(options[other]!)}, ${inputs[first]} ${flag(options[first]!)}: merge exports made with the same ${OPTION_FLAGS[key]} (export again)`,
    );
  }
}

/** The merged export's options: those its inputs share; `include_unapproved` when any input included unapproved tasks. */
function mergedOptions(options: readonly KnownOptions[], manifests: readonly Manifest[]): ExportOptionsRecord {
  const trl = options.find((o) => o.trl_arguments)?.trl_arguments;
  const max = options.find((o) => typeof o.max_generated === 'number')?.max_generated;
  return {
    ...(trl === 'object' || trl === 'string' ? { trl_arguments: trl } : {}),
    ...(typeof max === 'number' ? { max_generated: max } : {}),
    ...(options.some((o) => o.zed_generated !== undefined) ? { zed_generated: options.some((o) => o.zed_generated === true) } : {}),
    include_unapproved: manifests.some((m) => m.options?.include_unapproved === true),
  };
}

/**
 * Who wrote the merged tasks' added lines: each task counted once, as the first input holding it
 * says (a task exported twice has the same rows); undefined when the format's rows do not say.
 */
function authorshipOf(checks: readonly ProvenanceCheck[]): AuthorCounts | undefined {
  const counted = new Map<string, AuthorCounts>();
  for (const check of checks) for (const [task, counts] of check.authored) if (!counted.has(task)) counted.set(task, counts);
  return counted.size > 0 ? sumCounts(counted.values()) : undefined;
}

/**
 * A string, number or boolean from an input as text; undefined for anything else. String() of a
 * hostile object runs, or fails in, what the object says (`{"toString": []}` throws).
 */
function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
