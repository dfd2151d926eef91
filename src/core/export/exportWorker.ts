// A worker thread of `export --jobs N` (exportWorkers.ts starts it and says what a chunk is):
// reads a chunk of the plan, replays each task whose last segment is in it, and returns its rows
// as JSON lines with what the manifest keeps of it.
import { parentPort, workerData } from 'node:worker_threads';
import { CodetrailError } from '../base/errors';
import { approvalOf } from '../review/approval';
import type { ReadIssue } from '../store/segmentReader';
import { streamTasks } from '../store/taskStream';
import { FORMATS } from './formats';
import { lastSegments, type ChunkJob, type ChunkMessage, type ChunkTask, type WorkerSetup } from './exportWorkers';
import { FirstRecords, outcomeOf, replayForExport } from './taskExport';

const { plan, format, options, includeUnapproved } = workerData as WorkerSetup;
const spec = FORMATS[format];
const last = lastSegments(plan);
const port = parentPort!;

port.on('message', (job: ChunkJob) => {
  void exportChunk(job).then(
    (issues) => port.postMessage({ id: job.id, issues } satisfies ChunkMessage),
    (err: unknown) =>
      port.postMessage({
        id: job.id,
        error: err instanceof CodetrailError ? { message: err.message, code: err.code } : { message: err instanceof Error ? err.message : String(err) },
      } satisfies ChunkMessage),
  );
});

/** Posts each task of the chunk as it is done; returns the chunk's read problems. */
async function exportChunk({ id, from, to }: ChunkJob): Promise<ReadIssue[]> {
  const jsonl = spec.jsonl;
  if (!jsonl) throw new Error(`the ${format} format does not make JSON rows`);
  const wanted = new Set<string>();
  for (const [task, i] of last) if (i >= from && i < to) wanted.add(task);
  const own = new Set(Array.from({ length: to - from }, (_, k) => from + k));
  const issues: ReadIssue[] = [];
  const first = new FirstRecords((task) => wanted.has(task));
  const observer = {
    onRecord: first.onRecord.bind(first),
    // Segments before the chunk are read again only for tasks that end in it: their problems are another chunk's to report.
    onIssue: (issue: ReadIssue, i: number) => void (own.has(i) && issues.push(issue)),
  };
  const post = (task: ChunkTask) => port.postMessage({ id, task } satisfies ChunkMessage);
  for await (const { task: taskId, events } of streamTasks(plan, wanted, observer, own)) {
    const approved = approvalOf(events);
    if (!includeUnapproved && !approved) {
      post({ taskId, skipped: true });
      continue;
    }
    const observed = jsonl.observe(taskId);
    const replayed = await replayForExport(taskId, events, spec, format, observed);
    post({
      taskId,
      skipped: false,
      outcome: outcomeOf(events, approved, replayed),
      lines: jsonl.lines(replayed.task, observed, options),
      first: first.at.get(taskId)!,
    });
  }
  return issues;
}
