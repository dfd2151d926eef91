// What the review panel shows of one task: a header, a timeline of activity by kind, the steps
// (events/stepGrouping.ts: the same steps export writes), each step's
// details, and any file as it was after any step. Built once from the task's records; the panel
// asks for pages of steps and for replays as the engineer scrolls and scrubs, so a task of tens
// of thousands of events opens at once.
import { createTwoFilesPatch, diffLines } from 'diff';
import { Replayer, type BaseContent } from '../replay/replayer';
import type { TaskVerdict } from '../replay/verify';
import { navigationTitle, specOf } from '../events/kinds';
import { STEP_CATEGORIES, type StepCategory } from '../events/steps';
import type { EventRecord, Origin, RecordOfKind } from '../schema/events';
import { groupSteps } from '../events/stepGrouping';
import { count } from '../base/plural';
import { approvalOf, recordedWork } from './approval';
import { AuthorshipTracker, type AuthorCounts } from '../replay/authorship';

export { STEP_CATEGORIES, type StepCategory } from '../events/steps';

export interface StepSummary {
  index: number;
  /** Records this step is made of: deleting the step deletes them. */
  ids: string[];
  ts: number;
  category: StepCategory;
  file: string | null;
  title: string;
  /** Marks on the timeline and in the list: a failing test run, a passing one. */
  outcome?: 'pass' | 'fail';
  /** Edit steps: how many edit records, characters added and removed, editor changes. */
  edits?: number;
  added?: number;
  removed?: number;
  keystrokes?: number;
  /** Edit steps: the origins its edits were recorded with, the one that wrote most first. */
  origins?: Origin[];
}

export interface TimelineBucket {
  from: number;
  counts: Record<StepCategory, number>;
  /** The first step in this stretch of time, where clicking it goes. */
  first?: number;
}

export interface ReviewHeader {
  task: string;
  title: string;
  description: string;
  repo: string;
  outcome: string | null;
  startedAt: number;
  endedAt: number;
  events: number;
  steps: number;
  approved: boolean;
  status: TaskVerdict['status'];
  divergence: string | null;
  files: string[];
}

export interface Timeline {
  start: number;
  end: number;
  buckets: TimelineBucket[];
  marks: { index: number; ts: number; category: 'test' | 'commit' | 'gap'; outcome?: 'pass' | 'fail'; label: string }[];
}

export interface StepQuery {
  offset: number;
  limit: number;
  categories?: readonly StepCategory[];
  file?: string;
  text?: string;
}

export type StepDetail =
  | { kind: 'diff'; file: string; patch: string; note: string }
  | { kind: 'terminal'; command: string; cwd: string | null; exitCode: number | null; output: string | null; durationMs: number }
  | {
      kind: 'test';
      command: string;
      runner: string | null;
      passed: number | null;
      failed: number | null;
      skipped: number | null;
      failing: string[];
      exitCode: number | null;
    }
  | {
      kind: 'commit';
      sha: string;
      message: string;
      files: { path: string; status: string; added: number | null; deleted: number | null }[];
      /** Who wrote the lines the commit added (replay/authorship.ts); null: replay could not tell (it diverged before). */
      authorship: { added: number; counts: AuthorCounts } | null;
    }
  | { kind: 'text'; lines: string[] };

export interface FileAtStep {
  file: string;
  /** null: replay cannot rebuild the file at this step. */
  text: string | null;
  /** 1-based lines of `text` this step added or changed. */
  changedLines: number[];
  /** Lines this step removed without putting others in their place. */
  removedLines: number;
}

/** Replay copies kept every this many records, so a scrub replays at most this many. */
const CHECKPOINT_EVERY = 256;
const TIMELINE_BUCKETS = 120;

export class TaskReview {
  readonly steps: StepSummary[];
  private readonly recordIndex = new Map<string, number>();
  private checkpoints: { at: number; replayer: Replayer }[] | undefined;
  /** Each commit record's authorship, tracked in the replay that lays the checkpoints. */
  private readonly authorship = new Map<string, { added: number; counts: AuthorCounts }>();

  constructor(
    readonly taskId: string,
    readonly events: readonly EventRecord[],
    private readonly verdict: TaskVerdict,
    /** The files' content at the task's start (HEAD), for steps before a file's first snapshot. */
    private readonly base?: BaseContent,
  ) {
    this.steps = buildReviewSteps(events);
    events.forEach((e, i) => this.recordIndex.set(e.id, i));
  }

  header(): ReviewHeader {
    const start = this.events.find((e) => e.kind === 'task.start');
    const end = [...this.events].reverse().find((e) => e.kind === 'task.end');
    return {
      task: this.taskId,
      title: start?.kind === 'task.start' ? start.data.title : '(task started before this store)',
      description: start?.kind === 'task.start' ? start.data.description : '',
      repo: this.events[0]?.repo ?? '',
      outcome: end?.kind === 'task.end' ? end.data.outcome : null,
      startedAt: this.span.start,
      endedAt: end?.ts ?? this.span.end,
      events: recordedWork(this.events).length,
      steps: this.steps.length,
      approved: approvalOf(this.events),
      status: this.verdict.status,
      divergence: this.verdict.divergence ? `${this.verdict.divergence.file}: ${this.verdict.divergence.reason}` : null,
      files: [...new Set(this.steps.flatMap((s) => (s.file ? [s.file] : [])))].sort(),
    };
  }

  /** From the task's start to its last step: a review decided days later does not stretch it. */
  private get span(): { start: number; end: number } {
    const start = this.events.find((e) => e.kind === 'task.start')?.ts ?? this.events[0]?.ts ?? 0;
    const last = this.steps[this.steps.length - 1]?.ts ?? start;
    return { start: Math.min(start, this.steps[0]?.ts ?? start), end: Math.max(last, start) };
  }

  timeline(): Timeline {
    const { start } = this.span;
    const end = Math.max(start + 1, this.span.end);
    const width = (end - start) / TIMELINE_BUCKETS;
    const buckets: TimelineBucket[] = Array.from({ length: TIMELINE_BUCKETS }, (_, i) => ({
      from: Math.round(start + i * width),
      counts: Object.fromEntries(STEP_CATEGORIES.map((c) => [c, 0])) as Record<StepCategory, number>,
    }));
    const marks: Timeline['marks'] = [];
    for (const step of this.steps) {
      const b = buckets[Math.min(TIMELINE_BUCKETS - 1, Math.floor((step.ts - start) / width))]!;
      b.first ??= step.index;
      // A check that found nothing is no problem: the Problems row shows only errors and warnings.
      const record = this.recordOf(step.ids[0]!);
      if (record.kind === 'diagnostics' && record.data.errors + record.data.warnings === 0) continue;
      b.counts[step.category] += 1;
      if (step.category === 'test' || step.category === 'commit' || step.category === 'gap') {
        marks.push({ index: step.index, ts: step.ts, category: step.category, ...(step.outcome ? { outcome: step.outcome } : {}), label: step.title });
      }
    }
    return { start, end, buckets, marks };
  }

  page(query: StepQuery): { total: number; offset: number; items: StepSummary[] } {
    const text = query.text?.trim().toLowerCase();
    const matching = this.steps.filter(
      (s) =>
        (!query.categories?.length || query.categories.includes(s.category)) &&
        (!query.file || s.file === query.file) &&
        (!text || s.title.toLowerCase().includes(text) || this.searchText(s).includes(text)),
    );
    return { total: matching.length, offset: query.offset, items: matching.slice(query.offset, query.offset + query.limit) };
  }

  async detail(index: number): Promise<StepDetail> {
    const step = this.steps[index];
    if (!step) return { kind: 'text', lines: ['No such step.'] };
    // An edit step may open with the file's first snapshot: its evidence is the edits.
    const records = step.ids.map((id) => this.recordOf(id));
    const record = records.find((r) => r.kind === 'edit') ?? records[0]!;
    switch (record.kind) {
      case 'edit': {
        const file = record.data.file;
        const around = await this.textsAround(index, record.session, file);
        const first = records[0]!;
        const before = around.before ?? (first.kind === 'file.snapshot' && first.data.file === file ? first.data.text : undefined);
        if (before === undefined || around.after === undefined)
          return { kind: 'text', lines: ['Replay cannot rebuild this file here: no snapshot of it before this edit.'] };
        const edits = records.filter((r): r is Extract<EventRecord, { kind: 'edit' }> => r.kind === 'edit');
        const keys = edits.reduce((n, r) => n + r.data.keystrokes, 0);
        const origins = [...new Set(edits.map((r) => r.origin))].join(', ');
        const note = `${keys} ${keys === 1 ? 'key' : 'keys'} · origin: ${origins}`;
        return { kind: 'diff', file, patch: createTwoFilesPatch(file, file, before, around.after, '', '', { context: 3 }), note };
      }
      case 'file.external':
        return {
          kind: 'diff',
          file: record.data.file,
          patch: record.data.patch ?? '',
          note: `${record.data.change} on disk${record.data.omitted ? ` (content not kept: ${record.data.omitted})` : ''}`,
        };
      case 'terminal.command':
        return {
          kind: 'terminal',
          command: record.data.commandLine,
          cwd: record.data.cwd,
          exitCode: record.data.exitCode,
          output: record.data.output?.text ?? null,
          durationMs: record.data.endTs - record.data.startTs,
        };
      case 'test.run':
        return {
          kind: 'test',
          command: record.data.command,
          runner: record.data.runner,
          passed: record.data.passed,
          failed: record.data.failed,
          skipped: record.data.skipped,
          failing: record.data.failingTests,
          exitCode: record.data.exitCode,
        };
      case 'git.commit':
        await this.replayThrough(-1); // the whole task's replay, which tracks authorship
        return {
          kind: 'commit',
          sha: record.data.sha,
          message: record.data.message,
          files: record.data.files.map((f) => ({ path: f.path, status: f.status, added: f.added, deleted: f.deleted })),
          authorship: this.authorship.get(record.id) ?? null,
        };
      case 'diagnostics':
        return {
          kind: 'text',
          lines: record.data.items.map((d) => `${d.severity} ${d.line + 1}:${d.character + 1} ${d.message ?? ''}${d.source ? ` (${d.source})` : ''}`),
        };
      case 'gap':
        return {
          kind: 'text',
          lines: [`${count(record.data.removed, 'record')} deleted in review:`, ...record.data.kinds.map((k) => `  ${k.count} × ${k.kind}`)],
        };
      default:
        return { kind: 'text', lines: step.ids.map((id) => describe(this.recordOf(id))) };
    }
  }

  /**
   * The step's file as it was right after the step, with what the step changed marked. A step
   * without a file (a test run, a commit) shows `otherwise`, the file the engineer was looking at.
   */
  async fileAt(index: number, otherwise?: string): Promise<FileAtStep | undefined> {
    const step = this.steps[index];
    const name = step?.file ?? (otherwise || undefined);
    if (!step || !name) return undefined;
    const session = this.recordOf(step.ids[0]!).session;
    const around = await this.textsAround(index, session, name);
    const after = around.after ?? null;
    // A step that starts with the file's first snapshot changed it from that snapshot.
    const snapshot = this.recordOf(step.ids[0]!);
    const before = around.before ?? (snapshot.kind === 'file.snapshot' && snapshot.data.file === name ? snapshot.data.text : undefined) ?? null;
    const changedLines: number[] = [];
    let removedLines = 0;
    if (after !== null && before !== null && before !== after) {
      let line = 1;
      let replaced = 0; // removed lines an added run right after them takes the place of
      for (const part of diffLines(before, after)) {
        const count = part.count;
        if (part.removed) {
          removedLines += count;
          replaced = count;
          continue;
        }
        if (part.added) {
          for (let i = 0; i < count; i++) changedLines.push(line + i);
          removedLines -= Math.min(replaced, count);
        }
        replaced = 0;
        line += count;
      }
    }
    return { file: name, text: after, changedLines, removedLines };
  }

  /**
   * The buffer (else the disk copy) of a file right before the step and right after it, from one
   * replay: up to the step's first record, then through its last.
   */
  private async textsAround(index: number, session: string, file: string): Promise<{ before: string | undefined; after: string | undefined }> {
    const step = this.steps[index]!;
    const first = this.recordIndex.get(step.ids[0]!)!;
    const last = this.recordIndex.get(step.ids.at(-1)!)!;
    const read = async (r: Replayer) => {
      const known = r.bufferText(session, file) ?? r.knownDiskText(file) ?? undefined;
      // Replay never saw the file: it is as it was at the task's start.
      if (known === undefined && r.bufferState(session, file) === undefined && this.base) return (await this.base(file)) ?? undefined;
      return known;
    };
    const replayer = await this.replayThrough(first - 1);
    const before = await read(replayer);
    for (let i = first; i <= last; i++) await replayer.apply(this.events[i]!);
    return { before, after: await read(replayer) };
  }

  private async replayThrough(last: number): Promise<Replayer> {
    if (!this.checkpoints) {
      this.checkpoints = [{ at: -1, replayer: new Replayer(this.base) }];
      const r = new Replayer(this.base);
      // The same pass tracks who wrote each commit's added lines.
      const tracker = new AuthorshipTracker();
      for (let i = 0; i < this.events.length; i++) {
        const e = this.events[i]!;
        const commits = tracker.commits.length;
        tracker.before(e, r);
        await r.apply(e);
        tracker.after(e, r);
        if (e.kind === 'git.commit' && tracker.commits.length > commits) {
          const { added, counts } = tracker.commits[commits]!;
          this.authorship.set(e.id, { added, counts });
        }
        if ((i + 1) % CHECKPOINT_EVERY === 0) this.checkpoints.push({ at: i, replayer: r.clone() });
      }
    }
    let from = this.checkpoints[0]!;
    for (const c of this.checkpoints) if (c.at <= last) from = c;
    const r = from.replayer.clone();
    for (let i = from.at + 1; i <= last; i++) await r.apply(this.events[i]!);
    return r;
  }

  private recordOf(id: string): EventRecord {
    const found = this.events[this.recordIndex.get(id) ?? -1];
    if (!found) throw new Error(`no record ${id} in task ${this.taskId}`);
    return found;
  }

  private searchText(step: StepSummary): string {
    const record = this.events[this.recordIndex.get(step.ids[0]!) ?? -1];
    return record ? (specOf(record).search?.(record) ?? '').toLowerCase() : '';
  }
}

/** Record kinds a step may hold: everything but the task's and sessions' own markers. */
export { isStepRecord } from '../events/stepGrouping';

/** The steps of events/stepGrouping.ts (the ones export writes), as review lists them. */
function buildReviewSteps(events: readonly EventRecord[]): StepSummary[] {
  return groupSteps(events).map((group, index) => {
    const e = group.lead;
    const step: StepSummary = { index, ids: group.records.map((r) => r.id), ts: e.ts, category: group.category, file: group.file, title: titleOf(e) };
    if (group.shape === 'edit') {
      const edits = group.records.filter((r): r is RecordOfKind<'edit'> => r.kind === 'edit');
      Object.assign(step, {
        edits: edits.length,
        added: edits.reduce((n, r) => n + r.data.changes.reduce((m, c) => m + c.textLength, 0), 0),
        removed: edits.reduce((n, r) => n + r.data.changes.reduce((m, c) => m + c.length, 0), 0),
        keystrokes: edits.reduce((n, r) => n + r.data.keystrokes, 0),
        origins: originsOf(edits),
      });
      step.title = editTitle(step);
    } else if (group.shape === 'navigation') {
      const moves = group.records.filter((r) => specOf(r).placement?.(r) !== 'prelude');
      step.title = navigationTitle(group.file, moves.length, moves.at(-1)!);
    }
    if (e.kind === 'test.run') step.outcome = e.data.exitCode === 0 && !e.data.failed ? 'pass' : 'fail';
    return step;
  });
}

/** The origins of a step's edits, weighed as export weighs them (what each wrote; a deletion counts as one), most first. */
function originsOf(edits: readonly RecordOfKind<'edit'>[]): Origin[] {
  const weight = new Map<Origin, number>();
  for (const r of edits)
    weight.set(
      r.origin,
      (weight.get(r.origin) ?? 0) +
        Math.max(
          1,
          r.data.changes.reduce((n, c) => n + c.textLength, 0),
        ),
    );
  return [...weight].sort((a, b) => b[1] - a[1]).map(([o]) => o);
}

function editTitle(step: StepSummary): string {
  return `Edited ${step.file} (+${step.added} −${step.removed}, ${step.keystrokes} key${step.keystrokes === 1 ? '' : 's'})`;
}

function titleOf(e: EventRecord): string {
  return specOf(e).title(e);
}

/** One line per record of a step; the step's row already shows its time (in the viewer's format). */
function describe(e: EventRecord): string {
  return titleOf(e);
}
