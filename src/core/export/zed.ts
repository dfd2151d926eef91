// Edit-prediction examples (Zed's Zeta shape) from a task's edit bursts: the recent edit history
// as unified diffs, the excerpt around the cursor before the edit (with editable-region and
// cursor markers), and the same excerpt after the edit the engineer made next.
import { createPatch } from 'diff';
import { replayTask, type ReplayObserver } from '../replay/pass';
import type { Replayer } from '../replay/replayer';
import type { EventRecord } from '../schema/events';
import { jsonlFormat } from './format';
import { pq } from './parquet';

export interface ZedRow {
  events: string;
  input: string;
  output: string;
  cursor_path: string;
  cursor_position: number;
  origin: string;
  task_id: string;
  repo: string;
}

const REGION_START = '<|editable_region_start|>';
const REGION_END = '<|editable_region_end|>';
const CURSOR = '<|user_cursor_is_here|>';
/** Lines of editable region around the edit, and of read-only context around that. */
const REGION_LINES = 3;
const CONTEXT_LINES = 8;
const HISTORY = 5;
/** Edits that are the engineer's own next move (not undo, a reload or a formatter). */
const PREDICTABLE = new Set(['typing', 'paste', 'completion', 'editor', 'multiCursor']);

export async function zedRows(taskId: string, events: EventRecord[]): Promise<ZedRow[]> {
  const rows = new ZedRows(taskId);
  await replayTask(events, [rows]);
  return rows.rows;
}

/** Collects a task's rows while watching its replay: each edit's buffer before and after it. */
export class ZedRows implements ReplayObserver {
  readonly rows: ZedRow[] = [];
  private readonly history: string[] = [];
  private editBefore: string | undefined;

  constructor(private readonly taskId: string) {}

  before(e: EventRecord, replayer: Replayer): void {
    if (e.kind === 'edit') this.editBefore = replayer.bufferText(e.session, e.data.file);
  }

  after(e: EventRecord, replayer: Replayer): void {
    if (e.kind !== 'edit') return;
    const before = this.editBefore;
    const after = replayer.bufferText(e.session, e.data.file);
    if (before === undefined || after === undefined || before === after) return;
    const first = e.data.changes[0]!;
    if (PREDICTABLE.has(e.origin)) {
      this.rows.push({ ...excerpts(before, after, first.offset), events: this.history.slice(-HISTORY).join('\n\n'), cursor_path: e.data.file, cursor_position: first.offset, origin: e.origin, task_id: this.taskId, repo: e.repo });
    }
    this.history.push(`User edited "${e.data.file}":\n\`\`\`diff\n${createPatch(e.data.file, before, after, '', '', { context: 2 }).split('\n').slice(4).join('\n')}\`\`\``);
  }
}

function excerpts(before: string, after: string, cursor: number): { input: string; output: string } {
  const beforeLines = before.split('\n');
  const afterLines = after.split('\n');
  const cursorLine = before.slice(0, cursor).split('\n').length - 1;
  // The changed lines: the common prefix and suffix of the two texts bound them.
  let top = 0;
  while (top < beforeLines.length && top < afterLines.length && beforeLines[top] === afterLines[top]) top++;
  let tail = 0;
  while (tail < beforeLines.length - top && tail < afterLines.length - top && beforeLines[beforeLines.length - 1 - tail] === afterLines[afterLines.length - 1 - tail]) tail++;
  const regionStart = Math.max(0, Math.min(top, cursorLine) - REGION_LINES);
  const regionEndBefore = Math.min(beforeLines.length, Math.max(beforeLines.length - tail, cursorLine + 1) + REGION_LINES);
  const regionEndAfter = regionEndBefore + (afterLines.length - beforeLines.length);
  const ctxStart = Math.max(0, regionStart - CONTEXT_LINES);
  const lineOffset = beforeLines.slice(0, cursorLine).reduce((n, l) => n + l.length + 1, 0);
  const cursorCol = cursor - lineOffset;
  const region = beforeLines.slice(regionStart, regionEndBefore);
  const at = cursorLine - regionStart;
  if (region[at] !== undefined) region[at] = region[at]!.slice(0, cursorCol) + CURSOR + region[at]!.slice(cursorCol);
  const wrap = (lines: string[], regionLines: string[], endAt: number) =>
    [...lines.slice(ctxStart, regionStart), REGION_START, ...regionLines, REGION_END, ...lines.slice(endAt, endAt + CONTEXT_LINES)].join('\n');
  return {
    input: wrap(beforeLines, region, regionEndBefore),
    output: wrap(afterLines, afterLines.slice(regionStart, regionEndAfter), regionEndAfter),
  };
}

export const zedFormat = jsonlFormat({
  split: 'train',
  description: 'Edit-prediction examples (Zeta shape): recent edits, the excerpt around the cursor, and the edit made next.',
  schema: { ...pq.strings('events', 'input', 'output', 'cursor_path'), cursor_position: pq.int64(), ...pq.strings('origin', 'task_id', 'repo') },
  mergeKey: 'task',
  observe: (taskId) => new ZedRows(taskId),
  rows: (_task, zed) => zed.rows,
});
