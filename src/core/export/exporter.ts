// `codetrail export`: approved tasks of a store → one export folder in one format, with its
// manifest and dataset card (and Parquet shards with the same rows, when asked).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resolveInside, writeNewFile } from '../confine';
import { CodetrailError } from '../errors';
import { verifyTask } from '../replay/verify';
import type { EventRecord } from '../schema/events';
import { checkRecord } from '../schema/validate';
import type { ReadIssue } from '../store/segmentReader';
import { eventsByTask } from '../replay/verify';
import { datasetCard, writeManifest, type Manifest, type TaskProvenance } from './manifest';
import { csvLine, DATASET_METADATA, PROGSNAP2_COLUMNS, progsnapRows } from './progsnap2';
import { JsonlShards } from './shards';
import { swebenchRow } from './swebench';
import { buildTrajectory } from './trajectory';
import { trlRow } from './trl';
import { zedRows } from './zed';

export const EXPORT_FORMATS = ['raw', 'trajectories', 'trl', 'swebench', 'zed', 'progsnap2'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  store: string;
  out: string;
  format: ExportFormat;
  includeUnapproved?: boolean;
  rowsPerShard?: number;
  /** Writes Parquet shards next to the JSONL ones (see parquet.ts); undefined: JSONL only. */
  parquet?: (config: string, jsonlFiles: string[]) => Promise<string[]>;
  version: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  out: string;
  format: ExportFormat;
  tasks: number;
  skippedUnapproved: number;
  rows: number;
  events: number;
  files: number;
  replay: Record<string, number>;
  issues: ReadIssue[];
}

const SPLIT: Record<ExportFormat, string> = { raw: 'train', trajectories: 'train', trl: 'train', swebench: 'test', zed: 'train', progsnap2: 'train' };

/** The latest review of each task decides; no review means not approved. */
export function approvals(tasks: Map<string, EventRecord[]>): Map<string, boolean> {
  const result = new Map<string, boolean>();
  for (const [id, events] of tasks) {
    const reviews = events.filter((e) => e.kind === 'task.review');
    const last = reviews[reviews.length - 1];
    result.set(id, last?.kind === 'task.review' ? last.data.approved : false);
  }
  return result;
}

export async function exportStore(opts: ExportOptions): Promise<ExportSummary> {
  await ensureEmptyFolder(opts.out);
  const issues: ReadIssue[] = [];
  const { tasks } = await eventsByTask(opts.store, (i) => issues.push(i));
  const approved = approvals(tasks);
  const chosen = [...tasks].filter(([id]) => opts.includeUnapproved || approved.get(id));
  const config = opts.format;
  const dataDir = join(opts.out, 'data', config);
  const shards = new JsonlShards(dataDir, SPLIT[opts.format], opts.rowsPerShard ?? 10_000);
  const provenance: TaskProvenance[] = [];
  const replay: Record<string, number> = {};
  const csv: string[] = [csvLine([...PROGSNAP2_COLUMNS])];
  const order = { next: 0 };
  let events = 0;

  for (const [i, [taskId, taskEvents]] of chosen.entries()) {
    const verdict = await verifyTask(taskId, taskEvents);
    replay[verdict.status] = (replay[verdict.status] ?? 0) + 1;
    events += taskEvents.length;
    const trajectory = await buildTrajectory(taskId, taskEvents, verdict);
    provenance.push({
      task_id: taskId,
      repo: trajectory.repo,
      contributor: trajectory.contributor,
      policy_hash: trajectory.provenance.policy_hash,
      consent_at: trajectory.provenance.consent_at,
      redaction_rules: trajectory.provenance.redaction_rules,
      replay_status: verdict.status,
      approved: approved.get(taskId) ?? false,
      deleted_in_review: trajectory.provenance.deleted_in_review,
    });
    switch (opts.format) {
      case 'raw':
        for (const e of taskEvents) {
          const checked = checkRecord(e);
          if (!checked.ok) throw new CodetrailError('store-corrupt', `event ${e.id} of task ${taskId} does not match the schema: ${checked.error}`);
          await shards.write(e);
        }
        break;
      case 'trajectories':
        await shards.write(trajectory);
        break;
      case 'trl':
        await shards.write(trlRow(trajectory));
        break;
      case 'swebench': {
        const row = swebenchRow(trajectory);
        if (row) await shards.write(row);
        break;
      }
      case 'zed':
        for (const row of await zedRows(taskId, taskEvents)) await shards.write(row);
        break;
      case 'progsnap2': {
        const { rows, states } = await progsnapRows(taskId, taskEvents, order);
        for (const row of rows) csv.push(csvLine(PROGSNAP2_COLUMNS.map((c) => row[c])));
        for (const state of states) {
          // The file name comes from the store (untrusted): it must land inside the export.
          const path = await resolveInside(opts.out, `CodeStates/${state.id}/${state.path}`, `recorded file name ${JSON.stringify(state.path)}`);
          await mkdir(dirname(path), { recursive: true });
          // Another task may have written the same state already (ids are content hashes).
          await writeNewFile(path, state.text).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)));
        }
        break;
      }
    }
    opts.onProgress?.(i + 1, chosen.length);
  }

  const configs: Manifest['configs'] = [];
  let rows = shards.rows;
  if (opts.format === 'progsnap2') {
    rows = csv.length - 1;
    await writeFile(join(opts.out, 'MainTable.csv'), csv.join(''));
    await writeFile(join(opts.out, 'DatasetMetadata.csv'), csvLine(['Property', 'Value']) + DATASET_METADATA.map((r) => csvLine(r)).join(''));
    configs.push({ name: 'main_table', split: 'train', files: ['MainTable.csv'] });
  } else {
    await shards.ensureOne();
    const files = await shards.close();
    const rel = files.map((f) => f.slice(opts.out.length + 1));
    configs.push({ name: config, split: SPLIT[opts.format], files: rel });
    if (opts.parquet) {
      const parquetFiles = await opts.parquet(config, files);
      configs.push({ name: `${config}_parquet`, split: SPLIT[opts.format], files: parquetFiles.map((f) => f.slice(opts.out.length + 1)) });
    }
  }
  const counts = { tasks: chosen.length, rows, events };
  await writeFile(join(opts.out, 'README.md'), datasetCard(opts.format, configs, counts));
  const manifest = await writeManifest(opts.out, { format: opts.format, created_at: new Date().toISOString(), counts, configs, tasks: provenance }, opts.version);
  return { out: opts.out, format: opts.format, tasks: chosen.length, skippedUnapproved: tasks.size - chosen.length, rows, events, files: manifest.files.length + 1, replay, issues };
}

async function ensureEmptyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  if (entries.length > 0) throw new CodetrailError('bad-input', `${dir} is not empty: export into a new folder`);
  await mkdir(dir, { recursive: true });
}
