// Every event kind, once: how replay applies it, which review category and title it has, what
// review searches, how the step grouping places it and what step it becomes in an export, and which of its fields only a replay-aware
// rewrite may redact. The schema of each kind's data is in schema/events.ts (the JSON Schema is
// generated from it); this table is checked against it by the compiler: a kind added there does
// not compile until it has its entry here, and word redaction, the review model and the exporters
// read their per-kind behaviour from this table.
import { count } from '../base/plural';
import { createPatch } from 'diff';
import type { EventData, EventKind, EventRecord, RecordOfKind } from '../schema/events';
import { emptyStep, type Placement, type Step, type StepCategory } from './steps';

/** What replay does with each kind of record that changes a buffer or a file (replay/replayer.ts). */
export interface ReplayOps {
  snapshot(record: RecordOfKind<'file.snapshot'>): void;
  edit(record: RecordOfKind<'edit'>): void;
  save(record: RecordOfKind<'file.save'>): void;
  external(record: RecordOfKind<'file.external'>): void;
  closeBuffer(record: RecordOfKind<'file.close'>): void;
  deleteFile(record: RecordOfKind<'file.delete'>): void;
  rename(record: RecordOfKind<'file.rename'>): void;
  commit(record: RecordOfKind<'git.commit'>): void;
  gap(record: RecordOfKind<'gap'>): void;
}

export interface KindSpec<K extends EventKind> {
  /** How replay applies it; null: replay has nothing to do with it. */
  replay: ((replay: ReplayOps, record: RecordOfKind<K>) => void) | null;
  /** Files whose content at the task's start replay may need for it (asked for before it is applied). */
  replayReads?(record: RecordOfKind<K>): string[];
  /** Its review step category; null: a task or session marker, never part of a step. */
  category: StepCategory | null;
  /** What review calls it. */
  title(record: RecordOfKind<K>): string;
  /** What review's search looks in besides the title. */
  search?(record: RecordOfKind<K>): string;
  /** How the step grouping (events/stepGrouping.ts) places it; undefined: a step of its own. */
  placement?(record: RecordOfKind<K>): Placement | undefined;
  /** Export: the step it is on its own; undefined: none (edit and navigation steps are made by the step builder). */
  step?(record: RecordOfKind<K>): Step | undefined;
  /** Fields whose text replay rebuilds, redacted by a replay-aware rewrite; every other string is redacted where it stands. */
  replayText: readonly (keyof EventData<K> & string)[];
}

/** Fields, of any kind and at any depth, that hold ids, hashes or enums rather than text to redact. */
export const NOT_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'session',
  'task',
  'repo',
  'contributor',
  'kind',
  'origin',
  'blob',
  'sha',
  'parents',
  'head',
  'policyHash',
  'terminal',
  'reason',
  'status',
  'source',
  'outcome',
  'severity',
  'change',
  'omitted',
  'confidence',
  'target',
  'captureLevel',
]);

type Table = { [K in EventKind]: KindSpec<K> };

/** Review's title of navigation in one file: `moves` records, the last of them `e`. */
export function navigationTitle(file: string | null, moves: number, e: EventRecord): string {
  const where = e.kind === 'selection' ? ` to line ${e.data.selections[0]!.active[0] + 1}` : '';
  return `Moved around ${file ?? ''}${moves > 1 ? ` (${moves} moves)` : ''}${where}`;
}

const added = (e: RecordOfKind<'edit'>) => e.data.changes.reduce((n, c) => n + c.textLength, 0);
const removed = (e: RecordOfKind<'edit'>) => e.data.changes.reduce((n, c) => n + c.length, 0);
const firstLine = (text: string) => text.split('\n')[0];
const none = [] as const;

export const KINDS = {
  'session.start': { replay: null, category: null, title: (e) => e.kind, replayText: none },
  'session.end': { replay: null, category: null, title: (e) => e.kind, replayText: none },
  'task.start': { replay: null, category: null, title: (e) => e.kind, replayText: none },
  'task.review': { replay: null, category: null, title: (e) => e.kind, replayText: none },
  'task.end': { replay: null, category: null, title: (e) => e.kind, replayText: none },
  'git.state': { replay: null, category: null, title: (e) => e.kind, replayText: none },
  'window.focus': { replay: null, category: null, title: (e) => e.kind, replayText: none },
  edit: {
    replay: (r, e) => r.edit(e),
    category: 'edit',
    placement: () => 'edit',
    title: (e) => `Edited ${e.data.file} (+${added(e)} −${removed(e)}, ${count(e.data.keystrokes, 'key')}, ${e.origin})`,
    search: (e) => e.data.changes.map((c) => c.text ?? '').join('\n'),
    replayText: ['changes'],
  },
  'file.snapshot': {
    replay: (r, e) => r.snapshot(e),
    category: 'file',
    title: (e) => `Kept ${e.data.file} as it was ${e.data.target === 'buffer' ? 'in the editor' : 'on disk'}`,
    // The editor's text taken for the first edit: part of the step that edit is in.
    placement: (e) => (e.data.target === 'buffer' ? 'prelude' : undefined),
    step: (e) =>
      e.data.reason === 'external'
        ? {
            ...emptyStep(e.ts, 'external'),
            file: e.data.file,
            patch: e.data.text === undefined ? null : createPatch(e.data.file, '', e.data.text, '', '', { context: 3 }),
            detail: 'written',
          }
        : undefined,
    replayText: ['text'],
  },
  'file.external': {
    replay: (r, e) => r.external(e),
    replayReads: (e) => (e.data.change !== 'deleted' && e.data.patch !== undefined ? [e.data.file] : []),
    category: 'file',
    title: (e) => `${e.data.file} ${e.data.change} on disk`,
    step: (e) => ({ ...emptyStep(e.ts, 'external'), file: e.data.file, patch: e.data.patch ?? null, detail: e.data.change }),
    replayText: ['patch'],
  },
  'file.save': {
    replay: (r, e) => r.save(e),
    category: 'file',
    title: (e) => `Saved ${e.data.file}`,
    step: (e) => ({ ...emptyStep(e.ts, 'save'), file: e.data.file }),
    replayText: none,
  },
  'file.open': {
    replay: null,
    category: 'navigation',
    title: (e) => `Opened ${e.data.file}`,
    placement: () => 'look',
    replayText: none,
  },
  'file.close': { replay: (r, e) => r.closeBuffer(e), category: 'navigation', title: (e) => `Closed ${e.data.file}`, replayText: none },
  'file.create': {
    replay: null,
    category: 'file',
    title: (e) => `Created ${e.data.file}`,
    step: (e) => ({ ...emptyStep(e.ts, 'file'), file: e.data.file, detail: 'create' }),
    replayText: none,
  },
  'file.delete': {
    replay: (r, e) => r.deleteFile(e),
    category: 'file',
    title: (e) => `Deleted ${e.data.file}`,
    step: (e) => ({ ...emptyStep(e.ts, 'file'), file: e.data.file, detail: 'delete' }),
    replayText: none,
  },
  'file.rename': {
    replay: (r, e) => r.rename(e),
    category: 'file',
    title: (e) => `Renamed ${e.data.oldFile} to ${e.data.file}`,
    step: (e) => ({ ...emptyStep(e.ts, 'file'), file: e.data.file, detail: `renamed from ${e.data.oldFile}` }),
    replayText: none,
  },
  'editor.focus': { replay: null, category: 'navigation', title: (e) => navigationTitle(e.data.file, 1, e), placement: () => 'look', replayText: none },
  selection: { replay: null, category: 'navigation', title: (e) => navigationTitle(e.data.file, 1, e), placement: () => 'move', replayText: none },
  viewport: { replay: null, category: 'navigation', title: (e) => navigationTitle(e.data.file, 1, e), placement: () => 'move', replayText: none },
  'terminal.open': { replay: null, category: 'terminal', title: (e) => `Opened terminal ${e.data.name}`, replayText: none },
  'terminal.command': {
    replay: null,
    category: 'terminal',
    title: (e) =>
      `Ran ${firstLine(e.data.commandLine)}: ${e.data.exitCode === 0 ? 'succeeded' : e.data.exitCode === null ? 'result unknown' : `failed (exit code ${e.data.exitCode})`}`,
    search: (e) => `${e.data.commandLine}\n${e.data.output?.text ?? ''}`,
    step: (e) => ({
      ...emptyStep(e.ts, 'terminal'),
      command: e.data.commandLine,
      cwd: e.data.cwd,
      exit_code: e.data.exitCode,
      output: e.data.output?.text ?? null,
    }),
    replayText: none,
  },
  'test.run': {
    replay: null,
    category: 'test',
    title: (e) => `Tests (${e.data.runner ?? e.data.command}): ${e.data.passed ?? '?'} passed, ${e.data.failed ?? '?'} failed`,
    search: (e) => e.data.failingTests.join('\n'),
    step: (e) => ({
      ...emptyStep(e.ts, 'test'),
      command: e.data.command,
      exit_code: e.data.exitCode,
      runner: e.data.runner,
      passed: e.data.passed,
      failed: e.data.failed,
      skipped: e.data.skipped,
      failing_tests: e.data.failingTests,
      detail: e.data.source,
    }),
    replayText: none,
  },
  'git.commit': {
    replay: (r, e) => r.commit(e),
    replayReads: (e) => e.data.files.filter((f) => !f.dirtyAfter).map((f) => f.path),
    category: 'commit',
    title: (e) => `Commit ${e.data.sha.slice(0, 7)}: ${firstLine(e.data.message)}`,
    search: (e) => `${e.data.message}\n${e.data.files.map((f) => f.path).join('\n')}`,
    step: (e) => ({
      ...emptyStep(e.ts, 'commit'),
      sha: e.data.sha,
      message: e.data.message,
      files: e.data.files.map((f) => f.path),
      patch: e.data.baseDiff ?? null,
    }),
    replayText: none,
  },
  'git.head': {
    replay: null,
    category: 'commit',
    title: (e) => `git ${e.data.kind}${e.data.toBranch ? ` to ${e.data.toBranch}` : ''}`,
    step: (e) => ({
      ...emptyStep(e.ts, 'git'),
      sha: e.data.to,
      detail: `${e.data.kind}${e.data.toBranch ? ` to ${e.data.toBranch}` : ''}${arrivedNote(e.data.arrived)}`,
    }),
    replayText: none,
  },
  diagnostics: {
    replay: null,
    category: 'diagnostics',
    title: (e) =>
      e.data.errors + e.data.warnings === 0
        ? `${e.data.file}: no problems`
        : `${e.data.file}: ${count(e.data.errors, 'error')}, ${count(e.data.warnings, 'warning')}`,
    step: (e) => ({
      ...emptyStep(e.ts, 'diagnostics'),
      file: e.data.file,
      detail: `${e.data.errors} error(s), ${e.data.warnings} warning(s)${e.data.items[0]?.message ? `: ${e.data.items[0].message}` : ''}`,
    }),
    replayText: none,
  },
  gap: { replay: (r, e) => r.gap(e), category: 'gap', title: (e) => `${count(e.data.removed, 'record')} deleted in review`, replayText: ['buffers', 'disk'] },
} as const satisfies Table;

/** Kinds replay applies: a consumer that keeps replay's state by hand must handle each of them. */
export type ReplayedKind = { [K in EventKind]: (typeof KINDS)[K]['replay'] extends null ? never : K }[EventKind];

/** The table's entry for a record, typed for that record (the one place the kind and the entry are matched). */
export function specOf<R extends EventRecord>(record: R): KindSpec<R['kind']> {
  return KINDS[record.kind] as unknown as KindSpec<R['kind']>;
}

/** Marks a move that brought others' commits, in the step's detail. */
function arrivedNote(arrived: { commits: number; base: string | null } | undefined): string {
  if (!arrived) return '';
  return arrived.base
    ? `; ${arrived.commits} commit(s) by others arrived: the task's base moves to ${arrived.base.slice(0, 7)}`
    : `; ${arrived.commits} commit(s) by others arrived, mixed with the engineer's work`;
}
