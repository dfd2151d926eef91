// `codetrail export`: approved tasks of a store → one export folder in one format, with its
// manifest and dataset card (and Parquet shards with the same rows, when asked). Tasks are read
// one at a time and each is replayed once (taskExport.ts): in this thread, or with `jobs` in worker
// threads that each read and export a chunk of the store (exportWorkers.ts).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CodetrailError } from '../base/errors';
import { approvalOf } from '../review/approval';
import { planStore } from '../review/taskIndexFile';
import type { ReadIssue } from '../store/segmentReader';
import { streamTasks, type StreamObserver } from '../store/taskStream';
import type { FormatOptions } from './format';
import { FORMATS, type ExportFormat } from './formats';
import { datasetCard } from './card';
import { exportOptionsRecord, writeManifest, type TaskProvenance } from './manifest';
import { generatedShare, sumCounts, type AuthorCounts } from '../replay/authorship';
import { chunkPlan, ExportWorkers, type ChunkResult } from './exportWorkers';
import { FirstRecords, outcomeOf, replayForExport, type TaskOutcome } from './taskExport';

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
  /**
   * Worker threads that each read a chunk of the store and make its rows (formats of JSON rows;
   * ProgSnap2 writes files as it goes and stays in this thread). 0 or none: all in this thread;
   * 'auto': one a core (up to 8) for a store of AUTO_JOBS_FROM_TASKS tasks or more.
   */
  jobs?: number | 'auto';
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

  /** Keeps a replayed task, or leaves it out for its generated share; `write` writes its rows. */
  const keep = async (task: TaskOutcome, write: () => Promise<void>) => {
    if (opts.maxGenerated !== undefined && generatedShare(task.authored) > opts.maxGenerated) {
      skippedGenerated += 1;
      return;
    }
    exported += 1;
    authoredLines.push(task.authored);
    replay[task.status] = (replay[task.status] ?? 0) + 1;
    events += task.events;
    provenance.push({
      task_id: task.taskId,
      repo: task.origin.repo,
      contributor: task.contributor,
      policy_hash: task.origin.policy_hash,
      consent_at: task.origin.consent_at,
      redaction_rules: task.origin.redaction_rules,
      replay_status: task.status,
      approved: task.approved,
      deleted_in_review: task.origin.deleted_in_review,
    });
    await write();
  };

  const jobs = spec.jsonl && writer.writeLines ? (opts.jobs === 'auto' ? autoJobs(planned) : (opts.jobs ?? 0)) : 0;
  if (jobs > 0) {
    const workers = new ExportWorkers(jobs, {
      plan,
      format: opts.format,
      options: opts.formatOptions ?? {},
      includeUnapproved: opts.includeUnapproved ?? false,
    });
    try {
      // Small chunks (≤ 4 tasks), one a worker and one more ahead of the writing: memory stays a few
      // tasks' rows. With 8 tasks a chunk and two a worker ahead, Zed's export (large rows) peaked
      // at 1.24 GB against 0.86 GB, in the same time.
      const chunks = chunkPlan(plan, Math.max(1, Math.min(4, Math.ceil(planned / (4 * jobs)))));
      const ahead: Promise<ChunkResult>[] = [];
      const handOver = () => {
        while (ahead.length < jobs + 1 && chunks.length > 0) {
          const result = workers.run(chunks.shift()!);
          result.catch(() => undefined); // awaited in turn; a failure before then is not unhandled
          ahead.push(result);
        }
      };
      for (handOver(); ahead.length > 0; handOver()) {
        const chunk = await ahead.shift()!;
        issues.push(...chunk.issues);
        for (const task of chunk.tasks) {
          read += 1;
          if (task.skipped) skippedUnapproved += 1;
          else {
            firstSeen.set(task.taskId, task.first);
            await keep(task.outcome, () => writer.writeLines!(task.taskId, task.lines));
          }
          opts.onProgress?.(read, planned);
        }
      }
    } finally {
      await workers.close();
    }
  } else {
    const first = new FirstRecords();
    const observer: StreamObserver = { onRecord: (record, i) => first.onRecord(record, i), onIssue: (issue) => void issues.push(issue) };
    // Every segment is read, including those outside any task: their read problems are reported.
    for await (const { task: taskId, events: taskEvents } of streamTasks(plan, undefined, observer, new Set(plan.keys()))) {
      read += 1;
      const approved = approvalOf(taskEvents);
      if (!opts.includeUnapproved && !approved) skippedUnapproved += 1;
      else {
        const task = writer.task(taskId);
        const replayed = await replayForExport(taskId, taskEvents, spec, opts.format, task.observer);
        firstSeen.set(taskId, first.at.get(taskId)!);
        await keep(outcomeOf(taskEvents, approved, replayed), () => task.write(replayed.task));
      }
      opts.onProgress?.(read, planned);
    }
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

/**
 * Below this many tasks a worker's start (loading the code, compiling the schema, a cold JIT:
 * about half a second) costs more than it saves: on two cores a 20-task store of 100,000 events
 * took 1.5 s in one thread and 2.2 s with two workers, an 80-task store 5.7 s and 4.8 s (TRL).
 */
export const AUTO_JOBS_FROM_TASKS = 40;

function autoJobs(tasks: number): number {
  const cores = availableParallelism();
  return tasks >= AUTO_JOBS_FROM_TASKS && cores > 1 ? Math.min(8, cores) : 0;
}

async function ensureEmptyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  if (entries.length > 0) throw new CodetrailError('bad-input', `${dir} is not empty: export into a new folder`);
  await mkdir(dir, { recursive: true });
}
