// `codetrail export`: approved tasks of a store → one export folder in one format, with its
// manifest and dataset card (and Parquet shards with the same rows, when asked). Each task is
// replayed once: the verdict, the steps and the format's own observer share that replay.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodetrailError } from '../base/errors';
import { replayTask } from '../replay/pass';
import { eventsByTask, verdictOf } from '../replay/verify';
import { approvalOf } from '../review/approval';
import type { EventRecord } from '../schema/events';
import type { ReadIssue } from '../store/segmentReader';
import type { FormatOptions } from './format';
import { FORMATS, type ExportFormat } from './formats';
import { datasetCard } from './card';
import { exportOptionsRecord, writeManifest, type TaskProvenance } from './manifest';
import { StepCollector, trajectoryOf } from './trajectory';
import { AUTHORS, AuthorshipTracker, generatedShare, zeroCounts } from '../replay/authorship';

export { EXPORT_FORMATS, type ExportFormat } from './formats';

export interface ExportOptions {
  store: string;
  out: string;
  format: ExportFormat;
  includeUnapproved?: boolean;
  /** Leaves out tasks whose commits' added lines are more than this share generated (completed, agent, tool). */
  maxGenerated?: number;
  rowsPerShard?: number;
  /** Writes Parquet shards next to the JSONL ones (see parquet.ts); undefined: JSONL only. */
  parquet?: (config: string, jsonlFiles: string[]) => Promise<string[]>;
  /** The format's row-shape choices (e.g. TRL's `arguments` as objects or strings). */
  formatOptions?: FormatOptions;
  version: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  out: string;
  format: ExportFormat;
  tasks: number;
  skippedUnapproved: number;
  /** Tasks over `maxGenerated`. */
  skippedGenerated: number;
  rows: number;
  events: number;
  files: number;
  replay: Record<string, number>;
  issues: ReadIssue[];
  /** Tasks that made no row, and why. */
  excluded: { task_id: string; reason: string }[];
}

/** Each task's approval, by the one rule in review/approval.ts. */
export function approvals(tasks: Map<string, EventRecord[]>): Map<string, boolean> {
  return new Map([...tasks].map(([id, events]) => [id, approvalOf(events)]));
}

export async function exportStore(opts: ExportOptions): Promise<ExportSummary> {
  await ensureEmptyFolder(opts.out);
  const issues: ReadIssue[] = [];
  const { tasks } = await eventsByTask(opts.store, (i) => issues.push(i));
  const approved = approvals(tasks);
  const chosen = [...tasks].filter(([id]) => opts.includeUnapproved || approved.get(id));
  const spec = FORMATS[opts.format];
  const writer = spec.open({
    out: opts.out,
    name: opts.format,
    rowsPerShard: opts.rowsPerShard ?? 10_000,
    ...(opts.parquet ? { parquet: opts.parquet } : {}),
    ...(opts.formatOptions ? { options: opts.formatOptions } : {}),
  });
  const provenance: TaskProvenance[] = [];
  const replay: Record<string, number> = {};
  let events = 0;
  let skippedGenerated = 0;

  for (const [i, [taskId, taskEvents]] of chosen.entries()) {
    if (opts.maxGenerated !== undefined && (await generatedShareOf(taskEvents)) > opts.maxGenerated) {
      skippedGenerated += 1;
      continue;
    }
    const steps = new StepCollector();
    const authorship = new AuthorshipTracker();
    const task = writer.task(taskId);
    const replayer = await replayTask(taskEvents, task.observer ? [steps, authorship, task.observer] : [steps, authorship]);
    const verdict = verdictOf(taskId, taskEvents, replayer);
    replay[verdict.status] = (replay[verdict.status] ?? 0) + 1;
    events += taskEvents.length;
    const trajectory = trajectoryOf(taskId, taskEvents, verdict, steps.finish(), authorship.commits);
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
    await task.write({ taskId, events: taskEvents, verdict, trajectory });
    opts.onProgress?.(i + 1, chosen.length);
  }

  const { configs, rows, excluded = [] } = await writer.finish();
  const counts = { tasks: chosen.length - skippedGenerated, rows, events };
  await writeFile(
    join(opts.out, 'README.md'),
    datasetCard({ format: opts.format, description: spec.description, schema: spec.schema, configs, counts, tasks: provenance }),
  );
  const manifest = await writeManifest(
    opts.out,
    {
      format: opts.format,
      created_at: new Date().toISOString(),
      options: exportOptionsRecord(opts.format, opts),
      counts,
      configs,
      tasks: provenance,
      ...(excluded.length ? { excluded } : {}),
    },
    opts.version,
  );
  return {
    out: opts.out,
    format: opts.format,
    tasks: chosen.length - skippedGenerated,
    skippedUnapproved: tasks.size - chosen.length,
    skippedGenerated,
    rows,
    events,
    files: manifest.files.length + 1,
    replay,
    issues,
    excluded,
  };
}

/** The generated share of the lines a task's commits added (a replay of its own: only with --max-generated). */
async function generatedShareOf(events: EventRecord[]): Promise<number> {
  const tracker = new AuthorshipTracker();
  await replayTask(events, [tracker]);
  const counts = zeroCounts();
  for (const c of tracker.commits) for (const a of AUTHORS) counts[a] += c.counts[a];
  return generatedShare(counts);
}

async function ensureEmptyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  if (entries.length > 0) throw new CodetrailError('bad-input', `${dir} is not empty: export into a new folder`);
  await mkdir(dir, { recursive: true });
}
