// Worker threads for `export --jobs N`: the store's plan is cut into chunks of consecutive
// segments, and each worker reads a chunk, replays the tasks whose last segment is in it and
// makes their rows (exportWorker.ts); this thread writes the chunks' rows in plan order. Reading
// and checking records is as much work as all the export does after, so each worker does both
// for its own segments (a record costs more to copy between threads than to parse). A task that
// began in an earlier chunk is read again from there by the worker that has its last segment.
// The export is the same file for file as with no worker.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CodetrailError, type ErrorCode } from '../base/errors';
import type { ReadIssue } from '../store/segmentReader';
import type { PlannedSegment } from '../store/taskStream';
import type { FormatOptions, TaskLines } from './format';
import type { ExportFormat } from './formats';
import type { TaskOutcome } from './taskExport';

export interface WorkerSetup {
  plan: readonly PlannedSegment[];
  format: ExportFormat;
  options: FormatOptions;
  includeUnapproved: boolean;
}

/** Plan segments [from, to). */
export interface ChunkJob {
  id: number;
  from: number;
  to: number;
}

export type ChunkTask =
  | { taskId: string; skipped: true }
  /** `first`: where the task's first record was read (FirstRecords' position). */
  | { taskId: string; skipped: false; outcome: TaskOutcome; lines: TaskLines; first: number };

export interface ChunkResult {
  /** In the order a pass over the whole plan hands them over. */
  tasks: ChunkTask[];
  /** Read problems of the chunk's own segments, in order. */
  issues: ReadIssue[];
}

/**
 * What a worker posts: each task as it is done (so a worker holds one task's rows, not a chunk's:
 * held longer, they outlived the young generation and garbage collection took a quarter of the
 * worker's time), then the chunk's end.
 */
export type ChunkMessage = { id: number; task: ChunkTask } | { id: number; issues: ReadIssue[] } | ChunkError;

/** A failure in a worker, with its CodetrailError code when it had one (the command line's exit code follows it). */
export interface ChunkError {
  id: number;
  error: { message: string; code?: ErrorCode };
}

/** The segment each planned task ends in. */
export function lastSegments(plan: readonly PlannedSegment[]): Map<string, number> {
  const last = new Map<string, number>();
  plan.forEach((p, i) => {
    for (const task of p.tasks) last.set(task, i);
  });
  return last;
}

/** Consecutive segments covering the plan, each the last segment of about `tasksPerChunk` tasks (fewer at the end). */
export function chunkPlan(plan: readonly PlannedSegment[], tasksPerChunk: number): { from: number; to: number }[] {
  const ending = new Array<number>(plan.length).fill(0);
  for (const i of lastSegments(plan).values()) ending[i]! += 1;
  const chunks: { from: number; to: number }[] = [];
  let from = 0;
  let tasks = 0;
  for (let i = 0; i < plan.length; i++) {
    tasks += ending[i]!;
    if (tasks >= tasksPerChunk) {
      chunks.push({ from, to: i + 1 });
      [from, tasks] = [i + 1, 0];
    }
  }
  // Segments after the last task's end (nothing to export, read for their problems) join the last chunk.
  if (from < plan.length) {
    const last = chunks.at(-1);
    if (last && tasks === 0) last.to = plan.length;
    else chunks.push({ from, to: plan.length });
  }
  return chunks;
}

interface Running {
  worker: Worker;
  jobs: Map<number, { tasks: ChunkTask[]; resolve: (done: ChunkResult) => void; reject: (err: Error) => void }>;
}

export class ExportWorkers {
  private readonly running: Running[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  constructor(count: number, setup: WorkerSetup) {
    for (let i = 0; i < count; i++) {
      // Beside this module: out/src/core/export when run from the compiled sources, dist/ in the bundles.
      const worker = new Worker(join(__dirname, 'exportWorker.js'), { workerData: setup });
      const running: Running = { worker, jobs: new Map() };
      worker.on('message', (message: ChunkMessage) => {
        const job = running.jobs.get(message.id);
        if (!job) return;
        if ('task' in message) return void job.tasks.push(message.task);
        running.jobs.delete(message.id);
        if ('error' in message)
          job.reject(message.error.code ? new CodetrailError(message.error.code, message.error.message) : new Error(message.error.message));
        else job.resolve({ tasks: job.tasks, issues: message.issues });
      });
      worker.on('error', (err) => this.fail(running, err));
      worker.on('exit', (code) => this.fail(running, new Error(`an export worker stopped (exit code ${code})`)));
      this.running.push(running);
    }
  }

  /** Reads and exports a chunk in the least busy worker. */
  run(chunk: { from: number; to: number }): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    const running = this.running.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const id = this.nextId++;
    const done = new Promise<ChunkResult>((resolve, reject) => running.jobs.set(id, { tasks: [], resolve, reject }));
    running.worker.postMessage({ id, ...chunk } satisfies ChunkJob);
    return done;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the export workers were closed');
    await Promise.all(this.running.map((r) => r.worker.terminate()));
  }

  /** A worker that failed fails what it was given, and every job after. */
  private fail(running: Running, err: Error): void {
    this.failure ??= err;
    for (const job of running.jobs.values()) job.reject(err);
    running.jobs.clear();
  }
}
