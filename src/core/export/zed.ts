// Edit-prediction examples in the shape of Zed's Zeta: the recent edit history as unified diffs,
// the excerpt around the cursor before the edit, and the same excerpt after the edit the
// engineer made next. The excerpt is built by Zed's own rules (zed-industries/zed,
// crates/zeta/src/input_excerpt.rs at 0d69268 and zeta.rs at 0043a49): a fence with the file path, the
// start-of-file marker when the context reaches line 0, whole lines of read-only context, the
// editable region between its markers with the cursor marker inside, and the closing fence.
// Zed grows the editable region through syntax-tree ancestors first; a recording has no syntax
// tree, so the lines the edit changed play that part (an edit larger than the region's token
// budget gives no row: Zed could not have shown it either). Line expansion and budgets are Zed's.
import { linePatch } from '../base/lineDiff';
import type { ReplayObserver } from '../replay/pass';
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

const CURSOR = '<|user_cursor_is_here|>';
const START_OF_FILE = '<|start_of_file|>';
const REGION_START = '<|editable_region_start|>';
const REGION_END = '<|editable_region_end|>';
/** Zed's token budgets (zeta.rs MAX_REWRITE_TOKENS, MAX_CONTEXT_TOKENS). */
export const MAX_REWRITE_TOKENS = 350;
export const MAX_CONTEXT_TOKENS = 150;
const HISTORY = 5;
/** Edits that are the engineer's own next move (not undo, a reload or a formatter). */
const PREDICTABLE = new Set(['typing', 'paste', 'editor', 'multiCursor']);
/**
 * Edits a completion engine or an agent wrote: a model trained to predict them learns to imitate
 * that other model, so they are expected outputs only when asked (`--zed-generated`). They stay
 * in the edit history of later rows: they are what the engineer saw happen.
 */
const GENERATED = new Set(['completion', 'completion.word', 'completion.inline', 'agent']);

/** Collects a task's rows while watching its replay: each edit's buffer before and after it. */
export class ZedRows implements ReplayObserver {
  readonly rows: ZedRow[] = [];
  /** The last HISTORY edits, as a row's `events` shows them. */
  private readonly history: string[] = [];
  private editBefore: string | undefined;
  /** The text last split into lines: an edit's text after is usually the next edit's text before. */
  private split: { text: string; lines: string[] } | undefined;
  private readonly linesOf = (text: string): string[] => {
    if (this.split?.text !== text) this.split = { text, lines: splitLines(text) };
    return this.split.lines;
  };

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
    const excerpt = PREDICTABLE.has(e.origin) || GENERATED.has(e.origin) ? zetaExcerpts(e.data.file, before, after, first.offset, this.linesOf) : undefined;
    if (excerpt) {
      this.rows.push({
        ...excerpt,
        events: this.history.join('\n\n'),
        cursor_path: e.data.file,
        cursor_position: first.offset,
        origin: e.origin,
        task_id: this.taskId,
        repo: e.repo,
      });
    }
    // As zeta.rs `Event::to_prompt` writes a buffer change: the path quoted, the diff fenced.
    this.history.push(
      `User edited ${JSON.stringify(e.data.file)}:\n\`\`\`diff\n${linePatch(e.data.file, before, after, 2).split('\n').slice(4).join('\n')}\`\`\``,
    );
    if (this.history.length > HISTORY) this.history.shift();
  }
}

/** Zed's estimate (zeta.rs `tokens_for_bytes`): 3 bytes of UTF-8 a token, rounded down. */
const tokensForBytes = (bytes: number) => Math.floor(bytes / 3);
const lineTokens = (line: string) => tokensForBytes(Buffer.byteLength(line, 'utf8'));

/** Rows `[start, end]` grown a line up, then a line down, while tokens remain (input_excerpt.rs `expand_range`). */
function expandRows(lines: readonly string[], start: number, end: number, remaining: number): [number, number] {
  for (;;) {
    let expanded = false;
    if (remaining > 0 && start > 0) {
      start -= 1;
      remaining = Math.max(0, remaining - lineTokens(lines[start]!));
      expanded = true;
    }
    if (remaining > 0 && end < lines.length - 1) {
      end += 1;
      remaining = Math.max(0, remaining - lineTokens(lines[end]!));
      expanded = true;
    }
    if (!expanded) return [start, end];
  }
}

/** Where Zed's editable region starts growing: rows and the tokens of the span they stand for. */
export interface ZetaScope {
  startRow: number;
  endRow: number;
  tokens: number;
}

export interface ZetaExcerpt {
  prompt: string;
  /** The editable region's rows, and the context's, in `lines`. */
  editable: [number, number];
  context: [number, number];
}

/**
 * Zed's `excerpt_for_cursor_position` once its syntax walk has chosen `scope`: the editable region
 * grows from the scope by the tokens left, the context from the region by `contextTokens`, and
 * the prompt is the fence, path, markers and text exactly as input_excerpt.rs writes them.
 */
export function zetaExcerpt(
  path: string,
  lines: readonly string[],
  cursor: { row: number; col: number },
  scope: ZetaScope,
  rewriteTokens = MAX_REWRITE_TOKENS,
  contextTokens = MAX_CONTEXT_TOKENS,
): ZetaExcerpt {
  const editable = expandRows(lines, scope.startRow, scope.endRow, Math.max(0, rewriteTokens - scope.tokens));
  const context = expandRows(lines, editable[0], editable[1], contextTokens);
  const region = lines.slice(editable[0], editable[1] + 1);
  const at = cursor.row - editable[0];
  region[at] = region[at]!.slice(0, cursor.col) + CURSOR + region[at]!.slice(cursor.col);
  return { prompt: fenced(path, lines, editable, context, region.join('\n')), editable, context };
}

/** The excerpt around an editable region whose text is `region`: what Zed's builder writes around it. */
function fenced(path: string, lines: readonly string[], editable: [number, number], context: [number, number], region: string): string {
  const above = lines
    .slice(context[0], editable[0])
    .map((l) => `${l}\n`)
    .join('');
  const below = lines
    .slice(editable[1] + 1, context[1] + 1)
    .map((l) => `\n${l}`)
    .join('');
  return `\`\`\`${path}\n${context[0] === 0 ? `${START_OF_FILE}\n` : ''}${above}${REGION_START}\n${region}\n${REGION_END}${below}\n\`\`\``;
}

/** A text's lines, its line ends as `\n` (as in Zed's buffers). */
const splitLines = (text: string): string[] => text.replace(/\r\n/g, '\n').split('\n');

export interface ZetaExcerpts {
  input: string;
  output: string;
}

/**
 * The input and output excerpts for an edit that turned `before` into `after` with the cursor at
 * `cursorOffset` (UTF-16, in `before`). The scope is the rows the edit changed (and the cursor's);
 * undefined when they alone exceed the editable region's budget. The output is the input's
 * excerpt with the region's new text and no cursor: what zeta.rs `parse_edits` reads back. Line
 * ends are `\n`, as in Zed's buffers.
 */
export function zetaExcerpts(
  path: string,
  beforeText: string,
  afterText: string,
  cursorOffset: number,
  linesOf: (text: string) => readonly string[] = splitLines,
): ZetaExcerpts | undefined {
  const cursor = cursorOffset - (beforeText.slice(0, cursorOffset).match(/\r\n/g)?.length ?? 0);
  const before = linesOf(beforeText);
  const after = linesOf(afterText);
  let row = 0;
  let rowStart = 0;
  while (row < before.length - 1 && rowStart + before[row]!.length < cursor) rowStart += before[row++]!.length + 1;
  // The changed rows of `before`: what the common prefix and suffix of the two texts leave.
  let top = 0;
  while (top < before.length && top < after.length && before[top] === after[top]) top++;
  let tail = 0;
  while (tail < before.length - top && tail < after.length - top && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const startRow = Math.min(top, row);
  const endRow = Math.max(before.length - 1 - tail, row);
  const tokens = tokensForBytes(Buffer.byteLength(before.slice(startRow, endRow + 1).join('\n'), 'utf8'));
  if (tokens > MAX_REWRITE_TOKENS) return undefined;
  const input = zetaExcerpt(path, before, { row, col: cursor - rowStart }, { startRow, endRow, tokens });
  // Rows below the edit are the same text in `after`, moved by the lines it added or removed.
  const shift = after.length - before.length;
  const editable: [number, number] = [input.editable[0], input.editable[1] + shift];
  const output = fenced(path, after, editable, [input.context[0], input.context[1] + shift], after.slice(editable[0], editable[1] + 1).join('\n'));
  return { input: input.prompt, output };
}

export const zedFormat = jsonlFormat({
  split: 'train',
  description:
    "Edit-prediction examples in the shape of Zed's Zeta (`events`, `input`, `output`): recent edits as diffs; the excerpt around the cursor as Zed builds it (a fence with the file path, `<|start_of_file|>` at the top of a file, `<|editable_region_start|>`, `<|user_cursor_is_here|>`, `<|editable_region_end|>`); and the same excerpt after the edit the engineer made next. An edit a completion engine or an agent wrote is never an expected output unless exported with `--zed-generated` (`origin` says which).",
  schema: { ...pq.strings('events', 'input', 'output', 'cursor_path'), cursor_position: pq.int64(), ...pq.strings('origin', 'task_id', 'repo') },
  mergeKey: 'task',
  trajectory: false,
  observe: (taskId) => new ZedRows(taskId),
  rows: (_task, zed, options) => (options.zedGenerated ? zed.rows : zed.rows.filter((r) => !GENERATED.has(r.origin))),
});
