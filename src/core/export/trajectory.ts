// One task's events → a trajectory: the task, where it started, the ordered steps an engineer
// took (edits coalesced into diffs, navigation summarised), its commits and test runs, the final
// patch, the replay verdict and the provenance. Every export format is made from this.
import { createPatch } from 'diff';
import { Replayer } from '../replay/replayer';
import { verifyTask, type TaskVerdict } from '../replay/verify';
import type { EventRecord, RecordOfKind } from '../schema/events';
import { recordedWork } from '../review/approval';

export type StepKind = 'edit' | 'navigate' | 'save' | 'external' | 'terminal' | 'test' | 'commit' | 'git' | 'diagnostics' | 'file';

/** One step. A single struct for every kind (unused fields null) so columnar formats can hold it. */
export interface Step {
  ts: number;
  kind: StepKind;
  file: string | null;
  /** edit / external: unified diff of the file; commit: the commit's diff from the task base. */
  patch: string | null;
  /** terminal / test: the command line. */
  command: string | null;
  cwd: string | null;
  exit_code: number | null;
  output: string | null;
  runner: string | null;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  failing_tests: string[];
  sha: string | null;
  message: string | null;
  files: string[];
  /** What else there is to say, in words: origins of an edit, lines looked at, a git move. */
  detail: string | null;
}

export interface Trajectory {
  task_id: string;
  repo: string;
  contributor: string;
  title: string;
  problem_statement: string;
  issue_url: string | null;
  outcome: 'solved' | 'partial' | 'abandoned' | null;
  note: string | null;
  auto_started: boolean;
  branch: string | null;
  base_commit: string | null;
  starting_diff: string;
  started_at: string;
  ended_at: string | null;
  steps: Step[];
  commits: { sha: string; message: string; files: string[]; ts: number }[];
  test_runs: { ts: number; command: string; runner: string | null; exit_code: number | null; passed: number | null; failed: number | null; skipped: number | null; failing_tests: string[] }[];
  final_patch: string | null;
  replay_status: TaskVerdict['status'];
  replay_divergence: string | null;
  provenance: Provenance;
}

export interface Provenance {
  repo: string;
  policy_hash: string | null;
  consent_at: string | null;
  capture_level: string | null;
  redaction_rules: string | null;
  extension_version: string | null;
  vscode_version: string | null;
  schema_version: number;
  sessions: string[];
  events: number;
  /** Records deleted in review before export; the steps around them are real, but not contiguous. */
  deleted_in_review: number;
}

/** Edits in one file closer together than this are one step. */
const EDIT_GAP_MS = 30_000;

function emptyStep(ts: number, kind: StepKind): Step {
  return { ts, kind, file: null, patch: null, command: null, cwd: null, exit_code: null, output: null, runner: null, passed: null, failed: null, skipped: null, failing_tests: [], sha: null, message: null, files: [], detail: null };
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function buildTrajectory(taskId: string, events: EventRecord[], verdict?: TaskVerdict): Promise<Trajectory> {
  verdict ??= await verifyTask(taskId, events);
  const find = <K extends EventRecord['kind']>(kind: K) => events.find((e): e is RecordOfKind<K> => e.kind === kind);
  const start = find('task.start');
  const end = [...events].reverse().find((e): e is RecordOfKind<'task.end'> => e.kind === 'task.end');
  const state = find('git.state');
  const session = find('session.start');
  const steps = await buildSteps(events);
  const commits = events.filter((e): e is RecordOfKind<'git.commit'> => e.kind === 'git.commit');
  const lastWithDiff = [...commits].reverse().find((c) => c.data.baseDiff !== undefined);
  return {
    task_id: taskId,
    repo: events[0]?.repo ?? '',
    contributor: events[0]?.contributor ?? '',
    title: start?.data.title ?? '',
    problem_statement: start?.data.description ?? '',
    issue_url: start?.data.issueUrl ?? null,
    outcome: end?.data.outcome ?? null,
    note: end?.data.note || null,
    auto_started: start?.data.auto ?? false,
    branch: state?.data.branch ?? start?.data.branch ?? null,
    base_commit: state?.data.head ?? null,
    starting_diff: state?.data.dirtyDiff ?? '',
    started_at: iso(start?.ts ?? events[0]?.ts ?? 0),
    ended_at: end ? iso(end.ts) : null,
    steps,
    commits: commits.map((c) => ({ sha: c.data.sha, message: c.data.message, files: c.data.files.map((f) => f.path), ts: c.ts })),
    test_runs: events
      .filter((e): e is RecordOfKind<'test.run'> => e.kind === 'test.run')
      .map((t) => ({ ts: t.ts, command: t.data.command, runner: t.data.runner, exit_code: t.data.exitCode, passed: t.data.passed, failed: t.data.failed, skipped: t.data.skipped, failing_tests: t.data.failingTests })),
    final_patch: lastWithDiff?.data.baseDiff ?? null,
    replay_status: verdict.status,
    replay_divergence: verdict.divergence ? `${verdict.divergence.kind} ${verdict.divergence.eventId} in ${verdict.divergence.file}: ${verdict.divergence.reason}` : null,
    provenance: {
      repo: events[0]?.repo ?? '',
      policy_hash: session?.data.policyHash ?? null,
      consent_at: session ? iso(session.data.consentAt) : null,
      capture_level: session?.data.captureLevel ?? null,
      redaction_rules: session?.data.redactionRules ?? null,
      extension_version: session?.data.extensionVersion ?? null,
      vscode_version: session?.data.vscodeVersion ?? null,
      schema_version: events[0]?.v ?? 1,
      sessions: [...new Set(recordedWork(events).map((e) => e.session))],
      events: events.length,
      deleted_in_review: events.reduce((n, e) => n + (e.kind === 'gap' ? e.data.removed : 0), 0),
    },
  };
}

/** The ordered steps: edits as diffs of the rebuilt buffer, navigation folded into summaries. */
export async function buildSteps(events: EventRecord[]): Promise<Step[]> {
  const replayer = new Replayer();
  const steps: Step[] = [];
  let edit: { step: Step; session: string; before: string | undefined; lastTs: number; origins: Set<string>; keystrokes: number } | undefined;
  let nav: { step: Step; files: Map<string, Set<number>>; moves: number } | undefined;

  const closeEdit = () => {
    if (!edit) return;
    const after = replayer.bufferText(edit.session, edit.step.file!);
    if (edit.before !== undefined && after !== undefined && after !== edit.before) {
      edit.step.patch = createPatch(edit.step.file!, edit.before, after, '', '', { context: 3 });
    }
    edit.step.detail = `${edit.keystrokes} change(s): ${[...edit.origins].join(', ')}`;
    steps.push(edit.step);
    edit = undefined;
  };
  const closeNav = () => {
    if (!nav) return;
    nav.step.files = [...nav.files.keys()];
    nav.step.detail = [...nav.files].map(([f, lines]) => (lines.size ? `${f} (lines ${Math.min(...lines) + 1}-${Math.max(...lines) + 1})` : f)).join(', ');
    steps.push(nav.step);
    nav = undefined;
  };

  for (const e of events) {
    if (e.kind === 'edit') {
      closeNav();
      if (edit && (edit.step.file !== e.data.file || edit.session !== e.session || e.ts - edit.lastTs > EDIT_GAP_MS)) closeEdit();
      if (!edit) {
        const step = emptyStep(e.ts, 'edit');
        step.file = e.data.file;
        edit = { step, session: e.session, before: replayer.bufferText(e.session, e.data.file), lastTs: e.ts, origins: new Set(), keystrokes: 0 };
      }
      await replayer.apply(e);
      // The first edit after a snapshot is part of the snapshot: the diff starts from there.
      edit.before ??= replayer.bufferText(e.session, e.data.file);
      edit.origins.add(e.origin);
      edit.keystrokes += e.data.keystrokes;
      edit.lastTs = e.ts + e.data.durationMs;
      continue;
    }
    await replayer.apply(e);
    const navFile = navigationFile(e);
    if (navFile !== undefined) {
      if (!nav) nav = { step: emptyStep(e.ts, 'navigate'), files: new Map(), moves: 0 };
      nav.moves += 1;
      const lines = nav.files.get(navFile) ?? new Set<number>();
      if (e.kind === 'selection') for (const s of e.data.selections) lines.add(s.active[0]);
      if (e.kind === 'viewport') for (const [a, b] of e.data.ranges) lines.add(a).add(b);
      nav.files.set(navFile, lines);
      continue;
    }
    const step = stepOf(e);
    if (!step) continue;
    closeEdit();
    closeNav();
    steps.push(step);
  }
  closeEdit();
  closeNav();
  return steps;
}

function navigationFile(e: EventRecord): string | undefined {
  switch (e.kind) {
    case 'selection':
    case 'viewport':
    case 'editor.focus':
    case 'file.open':
      return e.data.file;
    default:
      return undefined;
  }
}

function stepOf(e: EventRecord): Step | undefined {
  const step = emptyStep(e.ts, 'file');
  switch (e.kind) {
    case 'file.save':
      return { ...step, kind: 'save', file: e.data.file };
    case 'file.external':
      return { ...step, kind: 'external', file: e.data.file, patch: e.data.patch ?? null, detail: e.data.change };
    case 'file.snapshot':
      return e.data.reason === 'external' ? { ...step, kind: 'external', file: e.data.file, patch: e.data.text === undefined ? null : createPatch(e.data.file, '', e.data.text, '', '', { context: 3 }), detail: 'written' } : undefined;
    case 'file.create':
    case 'file.delete':
      return { ...step, file: e.data.file, detail: e.kind.slice(5) };
    case 'file.rename':
      return { ...step, file: e.data.file, detail: `renamed from ${e.data.oldFile}` };
    case 'terminal.command':
      return { ...step, kind: 'terminal', command: e.data.commandLine, cwd: e.data.cwd, exit_code: e.data.exitCode, output: e.data.output?.text ?? null };
    case 'test.run':
      return { ...step, kind: 'test', command: e.data.command, exit_code: e.data.exitCode, runner: e.data.runner, passed: e.data.passed, failed: e.data.failed, skipped: e.data.skipped, failing_tests: e.data.failingTests, detail: e.data.source };
    case 'git.commit':
      return { ...step, kind: 'commit', sha: e.data.sha, message: e.data.message, files: e.data.files.map((f) => f.path), patch: e.data.baseDiff ?? null };
    case 'git.head':
      return { ...step, kind: 'git', sha: e.data.to, detail: `${e.data.kind}${e.data.toBranch ? ` to ${e.data.toBranch}` : ''}` };
    case 'diagnostics':
      return { ...step, kind: 'diagnostics', file: e.data.file, detail: `${e.data.errors} error(s), ${e.data.warnings} warning(s)${e.data.items[0]?.message ? `: ${e.data.items[0].message}` : ''}` };
    default:
      return undefined;
  }
}
