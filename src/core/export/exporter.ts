// `codetrail export`: approved tasks of a store → one export folder in one format, with its
// manifest and dataset card (and Parquet shards with the same rows, when asked). Tasks are read
// one at a time and each is replayed once: the verdict, the steps, authorship and the format's
// own observer share that replay.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodetrailError } from '../base/errors';
import { replayTask } from '../replay/pass';
import { verdictOf } from '../replay/verify';
import { approvalOf } from '../review/approval';
import { planStore } from '../review/taskIndexFile';
import type { ReadIssue } from '../store/segmentReader';
import { streamTasks, type StreamObserver } from '../store/taskStream';
import type { FormatOptions } from './format';
import { FORMATS, type ExportFormat } from './formats';
import { datasetCard } from './card';
import { exportOptionsRecord, writeManifest, type TaskProvenance } from './manifest';
import { provenanceOf, StepCollector, trajectoryOf, type Trajectory } from './trajectory';
import { AuthorshipTracker, generatedShare, sumCounts, type AuthorCounts } from '../replay/authorship';

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
  /** Tasks read so far, of the tasks the store's plan lists (approved or not). */
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

export async function exportStore(opts: ExportOptions): Promise<ExportSummary> {
  await ensureEmptyFolder(opts.out);
  const issues: ReadIssue[] = [];
  // Tasks one at a time (store/taskStream.ts), planned from the task index: each is held from its
  // first segment to its last, replayed once and dropped, so memory follows the largest task.
  const plan = await planStore(opts.store);
  const planned = new Set(plan.flatMap((p) => [...p.tasks])).size;
  const firstSeen = new Map<string, number>();
  const observer: StreamObserver = {
    onRecord(record) {
      if (record.task !== null && !firstSeen.has(record.task)) firstSeen.set(record.task, firstSeen.size);
    },
    onIssue: (issue) => void issues.push(issue),
  };
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
  let read = 0;
  let exported = 0;
  let skippedUnapproved = 0;
  let skippedGenerated = 0;
  /** Who wrote the lines each exported task's commits added: the dataset card sums them. */
  const authoredLines: AuthorCounts[] = [];

  // Every segment is read, including those outside any task: their read problems are reported.
  for await (const { task: taskId, events: taskEvents } of streamTasks(plan, undefined, observer, new Set(plan.keys()))) {
    read += 1;
    const approved = approvalOf(taskEvents);
    if (!opts.includeUnapproved && !approved) {
      skippedUnapproved += 1;
      opts.onProgress?.(read, planned);
      continue;
    }
    const steps = new StepCollector();
    const authorship = new AuthorshipTracker();
    const task = writer.task(taskId);
    // The one replay: the verdict, the steps (when the format reads the trajectory), authorship
    // (the dataset card gives every format's share of typed lines) and the format's own rows.
    const observers = [...(spec.trajectory !== false ? [steps] : []), authorship, ...(task.observer ? [task.observer] : [])];
    const replayer = await replayTask(taskEvents, observers);
    const authored = sumCounts(authorship.commits.map((c) => c.counts));
    if (opts.maxGenerated !== undefined && generatedShare(authored) > opts.maxGenerated) {
      skippedGenerated += 1;
      opts.onProgress?.(read, planned);
      continue;
    }
    exported += 1;
    authoredLines.push(authored);
    const verdict = verdictOf(taskId, taskEvents, replayer);
    replay[verdict.status] = (replay[verdict.status] ?? 0) + 1;
    events += taskEvents.length;
    const origin = provenanceOf(taskEvents);
    provenance.push({
      task_id: taskId,
      repo: origin.repo,
      contributor: taskEvents[0]?.contributor ?? '',
      policy_hash: origin.policy_hash,
      consent_at: origin.consent_at,
      redaction_rules: origin.redaction_rules,
      replay_status: verdict.status,
      approved,
      deleted_in_review: origin.deleted_in_review,
    });
    // Made when a format reads it: the steps' diffs and the final patch cost more than raw, Zed or ProgSnap2 rows.
    let trajectory: Trajectory | undefined;
    await task.write({
      taskId,
      events: taskEvents,
      verdict,
      get trajectory() {
        if (spec.trajectory === false) throw new Error(`the ${opts.format} format said it does not read the trajectory`);
        return (trajectory ??= trajectoryOf(taskId, taskEvents, verdict, steps.finish(), authorship.commits, origin));
      },
    });
    opts.onProgress?.(read, planned);
  }
  // Rows follow the order tasks are complete in the store; the manifest lists them in the order they start.
  provenance.sort((a, b) => firstSeen.get(a.task_id)! - firstSeen.get(b.task_id)!);

  const { configs, rows, excluded = [], checksums } = await writer.finish();
  const counts = { tasks: exported, rows, events };
  await writeFile(
    join(opts.out, 'README.md'),
    datasetCard({
      format: opts.format,
      description: spec.description,
      schema: spec.schema,
      configs,
      counts,
      tasks: provenance,
      authorship: sumCounts(authoredLines),
    }),
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
    checksums,
  );
  return {
    out: opts.out,
    format: opts.format,
    tasks: exported,
    skippedUnapproved,
    skippedGenerated,
    rows,
    events,
    files: manifest.files.length + 1,
    replay,
    issues,
    excluded,
  };
}

async function ensureEmptyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  if (entries.length > 0) throw new CodetrailError('bad-input', `${dir} is not empty: export into a new folder`);
  await mkdir(dir, { recursive: true });
}
