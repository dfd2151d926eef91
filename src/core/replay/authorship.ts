// Who wrote each line of each commit. Watching a task's replay, every character of every buffer
// and file carries the origin of the edit that wrote it: through edits, undo and redo (which
// bring back what they restore with its first author), saves, and changes on disk (lines a
// process added are the tool's). At a commit, the lines it adds to each file are attributed to
// the author of most of their characters.
import { commonLineRuns, splitLines } from '../base/lineRuns';
import type { ReplayObserver } from './pass';
import type { Replayer } from './replayer';
import type { EventRecord, Origin } from '../schema/events';

export const AUTHORS = ['typed', 'pasted', 'completed', 'agent', 'tool'] as const;
export type Author = (typeof AUTHORS)[number];
/** Text from before the task (never counted as added by it). */
export type Mark = Author | 'base';

export function authorOf(origin: Origin): Author {
  switch (origin) {
    case 'paste':
      return 'pasted';
    case 'completion':
    case 'completion.word':
    case 'completion.inline':
      return 'completed';
    case 'agent':
      return 'agent';
    case 'external':
    case 'format':
    case 'system':
      return 'tool';
    default:
      return 'typed';
  }
}

/** Line counts per author. */
export type AuthorCounts = Record<Author, number>;

export interface FileAuthorship {
  path: string;
  /** Lines the commit added to the file. */
  added: number;
  counts: AuthorCounts;
  /** 1-based line numbers in the committed file, per author. */
  lines: Partial<Record<Author, number[]>>;
}

export interface CommitAuthorship {
  sha: string;
  added: number;
  counts: AuthorCounts;
  files: FileAuthorship[];
}

/** Runs of characters with one author, in order: [length, mark]. */
export type Spans = [number, Mark][];

const UNDO_MEMORY = 200;

export function zeroCounts(): AuthorCounts {
  return { typed: 0, pasted: 0, completed: 0, agent: 0, tool: 0 };
}

/** The line counts of several commits added up (a task's, an export's). */
export function sumCounts(all: Iterable<AuthorCounts>): AuthorCounts {
  const sum = zeroCounts();
  for (const c of all) for (const a of AUTHORS) sum[a] += c[a];
  return sum;
}

/** The share of added lines not typed by the engineer (pasted text counts as the engineer's own). */
export function generatedShare(counts: AuthorCounts): number {
  const added = AUTHORS.reduce((n, a) => n + counts[a], 0);
  return added === 0 ? 0 : (counts.completed + counts.agent + counts.tool) / added;
}

export class AuthorshipTracker implements ReplayObserver {
  private readonly buffers = new Map<string, Spans>();
  private readonly disk = new Map<string, Spans>();
  /** What each file held at the task's start or its last commit: what a commit's added lines are counted against. */
  private readonly committed = new Map<string, string | null>();
  /** Text an edit removed, with its authors, per buffer: what undo and redo bring back. */
  private readonly removed = new Map<string, { text: string; spans: Spans }[]>();
  private bufferBefore: { version: number; text: string } | undefined;
  private diskBefore: string | null | undefined;
  readonly commits: CommitAuthorship[] = [];

  before(e: EventRecord, replay: Replayer): void {
    const file = fileOf(e);
    if (file !== undefined && !this.committed.has(file)) {
      const known = replay.knownDiskText(file);
      if (known !== undefined) this.committed.set(file, known);
    }
    if (e.kind === 'edit') {
      const state = replay.bufferState(e.session, e.data.file);
      this.bufferBefore = state && state !== 'opaque' ? { version: state.version, text: state.text } : undefined;
    }
    if (e.kind === 'file.external') this.diskBefore = replay.knownDiskText(e.data.file);
  }

  after(e: EventRecord, replay: Replayer): void {
    if (replay.divergence) return;
    switch (e.kind) {
      case 'file.snapshot': {
        const { file, target, text } = e.data;
        if (text === undefined) return;
        if (target === 'buffer') {
          // Opened from disk: its characters keep their authors, those of lines it does not hold as on disk aside.
          const disk = this.disk.get(file);
          const onDisk = replay.knownDiskText(file);
          const known = disk && typeof onDisk === 'string' && total(disk) === onDisk.length;
          this.buffers.set(
            bufferKey(e.session, file),
            !known ? uniform(text.length, 'base') : onDisk === text ? copy(disk) : carry(onDisk, text, disk, 'base'),
          );
          if (!this.committed.has(file)) this.committed.set(file, text);
        } else {
          this.disk.set(file, uniform(text.length, e.data.reason === 'external' ? 'tool' : 'base'));
          if (e.data.reason !== 'external' && !this.committed.has(file)) this.committed.set(file, text);
        }
        return;
      }
      case 'edit':
        return this.edit(e, replay);
      case 'file.save': {
        const spans = this.buffers.get(bufferKey(e.session, e.data.file));
        const text = replay.knownDiskText(e.data.file);
        if (spans && typeof text === 'string' && total(spans) === text.length) this.disk.set(e.data.file, copy(spans));
        else this.disk.delete(e.data.file);
        return;
      }
      case 'file.external': {
        const after = replay.knownDiskText(e.data.file);
        if (typeof after !== 'string') return void this.disk.delete(e.data.file);
        const before = typeof this.diskBefore === 'string' ? this.diskBefore : '';
        const spans = this.disk.get(e.data.file) ?? uniform(before.length, 'base');
        this.disk.set(e.data.file, total(spans) === before.length ? carry(before, after, spans, 'tool') : uniform(after.length, 'tool'));
        return;
      }
      case 'file.delete':
        return void this.disk.delete(e.data.file);
      case 'file.rename': {
        const spans = this.disk.get(e.data.oldFile);
        this.disk.delete(e.data.oldFile);
        if (spans) this.disk.set(e.data.file, spans);
        return;
      }
      case 'file.close':
        this.buffers.delete(bufferKey(e.session, e.data.file));
        return void this.removed.delete(bufferKey(e.session, e.data.file));
      case 'gap':
        for (const b of e.data.buffers) this.buffers.set(bufferKey(e.session, b.file), uniform(b.text?.length ?? 0, 'base'));
        for (const d of e.data.disk) this.disk.delete(d.file);
        return;
      case 'git.commit':
        return this.commit(e, replay);
      default:
    }
  }

  private edit(e: Extract<EventRecord, { kind: 'edit' }>, replay: Replayer): void {
    const key = bufferKey(e.session, e.data.file);
    const state = replay.bufferState(e.session, e.data.file);
    if (!state || state === 'opaque') return void this.buffers.delete(key);
    const before = this.bufferBefore;
    if (state.version !== e.data.version || !before) return; // replay could not apply it
    // The edit a buffer snapshot was taken right after (capture had no text from before it): the
    // snapshot holds its result, which is the edit's author's, not text from before the task.
    if (before.version === state.version) return this.markSnapshotted(key, e, state.text.length);
    let spans = this.buffers.get(key);
    let text = before.text;
    const author = authorOf(e.origin);
    const restoring = e.origin === 'undo' || e.origin === 'redo';
    const memory = this.removed.get(key) ?? [];
    this.removed.set(key, memory);
    // No authors known for the text before: it is the task's starting text.
    if (!spans || total(spans) !== text.length) spans = uniform(text.length, 'base');
    for (const c of e.data.changes) {
      const insert = c.text ?? '';
      if (c.length > 0) {
        memory.push({ text: text.slice(c.offset, c.offset + c.length), spans: slice(spans, c.offset, c.offset + c.length) });
        if (memory.length > UNDO_MEMORY) memory.shift();
      }
      let inserted: Spans = uniform(insert.length, author);
      if (restoring && insert.length > 0) {
        const back = findLast(memory, (m) => m.text === insert);
        if (back) inserted = copy(back.spans);
      }
      spans = splice(spans, c.offset, c.offset + c.length, inserted);
      // Only what a later change in this edit cuts is read from it (for undo memory).
      if (c.length > 0 || e.data.changes.length > 1) text = text.slice(0, c.offset) + insert + text.slice(c.offset + c.length);
    }
    if (total(spans) !== state.text.length) spans = uniform(state.text.length, 'base');
    this.buffers.set(key, e.data.changes.length > 0 ? spans : merge(spans));
  }

  private markSnapshotted(key: string, e: Extract<EventRecord, { kind: 'edit' }>, length: number): void {
    const spans = this.buffers.get(key);
    if (!spans || total(spans) !== length) return;
    const author = authorOf(e.origin);
    // A copy of the array: an edit past the end leaves the buffer's authors as they were.
    let marked = spans.slice();
    for (const [start, end] of insertedRanges(e.data.changes)) {
      if (end > length) return;
      marked = splice(marked, start, end, uniform(end - start, author));
    }
    this.buffers.set(key, marked);
  }

  private commit(e: Extract<EventRecord, { kind: 'git.commit' }>, replay: Replayer): void {
    const result: CommitAuthorship = { sha: e.data.sha, added: 0, counts: zeroCounts(), files: [] };
    for (const f of e.data.files) {
      if (f.dirtyAfter || f.blob === null) continue;
      const text = replay.knownDiskText(f.path);
      if (typeof text !== 'string') continue;
      const spans = this.disk.get(f.path);
      const marks = spans && total(spans) === text.length ? spans : uniform(text.length, 'base');
      const old = this.committed.get(f.path);
      const file: FileAuthorship = { path: f.path, added: 0, counts: zeroCounts(), lines: {} };
      for (const line of addedLines(old ?? undefined, text, marks)) {
        const author = majority(slice(marks, line.start, line.end), text.slice(line.start, line.end));
        file.added += 1;
        file.counts[author] += 1;
        (file.lines[author] ??= []).push(line.number);
      }
      this.committed.set(f.path, text);
      if (file.added === 0) continue;
      result.files.push(file);
      result.added += file.added;
      for (const a of AUTHORS) result.counts[a] += file.counts[a];
    }
    this.commits.push(result);
  }
}

/** The lines of `text` a commit adds: those not in `old` (a line diff), or, with no `old` known, those with any character written in the task. */
function addedLines(old: string | undefined, text: string, marks: Spans): { number: number; start: number; end: number }[] {
  const lines: { number: number; start: number; end: number }[] = [];
  const textLines = splitLines(text);
  const starts = lineStarts(textLines);
  const lineAt = (n: number) => ({ number: n + 1, start: starts[n]!, end: starts[n + 1]! });
  if (old === undefined) {
    for (let n = 0; n < textLines.length; n++) {
      const l = lineAt(n);
      if (slice(marks, l.start, l.end).some(([, m]) => m !== 'base')) lines.push(l);
    }
    return lines;
  }
  let next = 0;
  const addedUpTo = (end: number) => {
    for (; next < end; next++) lines.push(lineAt(next));
  };
  for (const run of commonLineRuns(splitLines(old), textLines)) {
    addedUpTo(run.b);
    next = run.b + run.count;
  }
  addedUpTo(textLines.length);
  return lines;
}

/** Where each line starts, and after the last, where the text ends. */
function lineStarts(lines: readonly string[]): number[] {
  const starts = [0];
  for (const line of lines) starts.push(starts[starts.length - 1]! + line.length);
  return starts;
}

/** Where the text each change inserted stands once all of them are applied (in order, each against the text the one before left). */
function insertedRanges(changes: readonly { offset: number; length: number; text?: string }[]): [number, number][] {
  let ranges: [number, number][] = [];
  for (const c of changes) {
    const inserted = c.text?.length ?? 0;
    const cutEnd = c.offset + c.length;
    const shift = inserted - c.length;
    const next: [number, number][] = [];
    for (const [start, end] of ranges) {
      // What the change removed is gone; what stands after it moves.
      if (start < c.offset) next.push([start, Math.min(end, c.offset)]);
      if (end > cutEnd) next.push([Math.max(start, cutEnd) + shift, end + shift]);
    }
    if (inserted > 0) next.push([c.offset, c.offset + inserted]);
    ranges = next;
  }
  return ranges;
}

/** The author of most of a line's non-blank characters (of all of them, if blank); text from before the task counts as typed (a line split or joined by the engineer). */
function majority(spans: Spans, text: string): Author {
  const counts = new Map<Author, number>();
  let offset = 0;
  const blank = text.trim().length === 0;
  for (const [len, mark] of spans) {
    const piece = text.slice(offset, offset + len);
    offset += len;
    const n = blank ? piece.length : piece.replace(/\s/g, '').length;
    const author = mark === 'base' ? 'typed' : mark;
    counts.set(author, (counts.get(author) ?? 0) + n);
  }
  let best: Author = 'typed';
  let most = -1;
  for (const a of AUTHORS) {
    const n = counts.get(a) ?? -1;
    if (n > most) [best, most] = [a, n];
  }
  return best;
}

/** Spans of `after`, keeping the authors of the lines it shares with `before` (a line diff). */
function carry(before: string, after: string, spans: Spans, added: Mark): Spans {
  const beforeLines = splitLines(before);
  const beforeStarts = lineStarts(beforeLines);
  const afterLines = splitLines(after);
  const afterStarts = lineStarts(afterLines);
  const out: Spans = [];
  let next = 0;
  const addedUpTo = (line: number) => {
    if (line > next) out.push([afterStarts[line]! - afterStarts[next]!, added]);
  };
  for (const run of commonLineRuns(beforeLines, afterLines)) {
    addedUpTo(run.b);
    out.push(...slice(spans, beforeStarts[run.a]!, beforeStarts[run.a + run.count]!));
    next = run.b + run.count;
  }
  addedUpTo(afterLines.length);
  return merge(out);
}

function uniform(length: number, mark: Mark): Spans {
  return length > 0 ? [[length, mark]] : [];
}

function copy(spans: Spans): Spans {
  return spans.map(([n, m]) => [n, m]);
}

function total(spans: Spans): number {
  return spans.reduce((n, [len]) => n + len, 0);
}

function slice(spans: Spans, start: number, end: number): Spans {
  const out: Spans = [];
  let at = 0;
  for (const [len, mark] of spans) {
    const from = Math.max(start, at);
    const to = Math.min(end, at + len);
    if (to > from) out.push([to - from, mark]);
    at += len;
    if (at >= end) break;
  }
  return out;
}

/**
 * Replaces the characters of `spans` from `start` to `end` with `inserted`, in the array itself:
 * the hot path of every edit, so only the runs the change touches are replaced (merged with their
 * neighbours where the author is the same) and the others stay where they are. A run's tuple is
 * never changed, only the array, so `spans` must be an array no one else holds.
 */
export function splice(spans: Spans, start: number, end: number, inserted: Spans): Spans {
  let i = 0;
  let at = 0;
  // Runs that end at or before `start` stay; runs i to j (excluded) are cut or covered by the change.
  while (i < spans.length && at + spans[i]![0] <= start) at += spans[i++]![0];
  let j = i;
  let atJ = at;
  while (j < spans.length && atJ < end) atJ += spans[j++]![0];
  const mid: Spans = [];
  const add = (len: number, mark: Mark) => {
    if (len <= 0) return;
    const last = mid[mid.length - 1];
    if (last && last[1] === mark) mid[mid.length - 1] = [last[0] + len, mark];
    else mid.push([len, mark]);
  };
  const from = i > 0 ? i - 1 : i;
  const to = j < spans.length ? j + 1 : j;
  if (from < i) add(...spans[from]!);
  if (i < j) add(start - at, spans[i]![1]);
  for (const [n, m] of inserted) add(n, m);
  if (i < j) add(atJ - end, spans[j - 1]![1]);
  if (to > j) add(...spans[j]!);
  spans.splice(from, to - from, ...mid);
  return spans;
}

function merge(spans: Spans): Spans {
  const out: Spans = [];
  for (const [len, mark] of spans) {
    if (len === 0) continue;
    const last = out[out.length - 1];
    if (last && last[1] === mark) last[0] += len;
    else out.push([len, mark]);
  }
  return out;
}

function findLast<T>(items: T[], test: (t: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}

function fileOf(e: EventRecord): string | undefined {
  switch (e.kind) {
    case 'edit':
    case 'file.snapshot':
    case 'file.save':
    case 'file.external':
      return e.data.file;
    default:
      return undefined;
  }
}

function bufferKey(session: string, file: string): string {
  return `${session}\0${file}`;
}
