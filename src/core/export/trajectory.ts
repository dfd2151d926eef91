// One task's events → a trajectory: the task, where it started, the ordered steps an engineer
// took (edits coalesced into diffs, navigation summarised), its commits and test runs, the final
// patch, the replay verdict and the provenance. Every export format is made from this.
import { linePatch } from '../base/lineDiff';
import { replayTask, type ReplayObserver } from '../replay/pass';
import type { Replayer } from '../replay/replayer';
import { verdictOf, type TaskVerdict } from '../replay/verify';
import { specOf } from '../events/kinds';
import { StepGrouper, type StepGroup } from '../events/stepGrouping';
import { emptyStep, type Step } from '../events/steps';
import type { EventRecord, RecordOfKind } from '../schema/events';
import { recordedWork } from '../review/approval';
import { ownWork, type ArrivalMark } from './ownWork';
import { AUTHORS, zeroCounts, type AuthorCounts, type CommitAuthorship } from '../replay/authorship';

/** Lines a commit added, and how many each author wrote (replay/authorship.ts). */
export type Authored = AuthorCounts & { added: number };

export type { Step, StepKind } from '../events/steps';

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
  commits: { sha: string; message: string; files: string[]; ts: number; authored: Authored }[];
  test_runs: {
    ts: number;
    command: string;
    runner: string | null;
    exit_code: number | null;
    passed: number | null;
    failed: number | null;
    skipped: number | null;
    failing_tests: string[];
  }[];
  /** The engineer's own changes, from `patch_base_commit` to their last commit (others' arrived work left out). */
  final_patch: string | null;
  /** The commit final_patch applies to: base_commit, or past others' commits that arrived during the task. */
  patch_base_commit: string | null;
  /** Others' commits that arrived during the task (pull, merge, rebase, cherry-pick). */
  arrived: ArrivalMark[];
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

const iso = (ms: number) => new Date(ms).toISOString();

/** A task's trajectory from its own replay (export shares one replay: see `trajectoryOf`). */
export async function buildTrajectory(taskId: string, events: EventRecord[], verdict?: TaskVerdict): Promise<Trajectory> {
  const steps = new StepCollector();
  const replayer = await replayTask(events, [steps]);
  return trajectoryOf(taskId, events, verdict ?? verdictOf(taskId, events, replayer), steps.finish());
}

/** The trajectory from a task's records, its replay verdict and its steps. */
export function trajectoryOf(
  taskId: string,
  events: EventRecord[],
  verdict: TaskVerdict,
  steps: Step[],
  authorship: readonly CommitAuthorship[] = [],
  provenance: Provenance = provenanceOf(events),
): Trajectory {
  const find = <K extends EventRecord['kind']>(kind: K) => events.find((e): e is RecordOfKind<K> => e.kind === kind);
  const start = find('task.start');
  let end: RecordOfKind<'task.end'> | undefined;
  for (let i = events.length - 1; i >= 0 && !end; i--) if (events[i]!.kind === 'task.end') end = events[i] as RecordOfKind<'task.end'>;
  const state = find('git.state');
  const commits = events.filter((e): e is RecordOfKind<'git.commit'> => e.kind === 'git.commit');
  const own = ownWork(events);
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
    commits: commits.map((c) => ({
      sha: c.data.sha,
      message: c.data.message,
      files: c.data.files.map((f) => f.path),
      ts: c.ts,
      authored: authoredOf(authorship.find((a) => a.sha === c.data.sha)),
    })),
    test_runs: events
      .filter((e): e is RecordOfKind<'test.run'> => e.kind === 'test.run')
      .map((t) => ({
        ts: t.ts,
        command: t.data.command,
        runner: t.data.runner,
        exit_code: t.data.exitCode,
        passed: t.data.passed,
        failed: t.data.failed,
        skipped: t.data.skipped,
        failing_tests: t.data.failingTests,
      })),
    final_patch: own.finalPatch,
    patch_base_commit: own.base,
    arrived: own.arrivals,
    replay_status: verdict.status,
    replay_divergence: verdict.divergence
      ? `${verdict.divergence.kind} ${verdict.divergence.eventId} in ${verdict.divergence.file}: ${verdict.divergence.reason}`
      : null,
    provenance,
  };
}

/** Where a task's records come from: the recording's settings and what review removed. */
export function provenanceOf(events: readonly EventRecord[]): Provenance {
  const session = events.find((e): e is RecordOfKind<'session.start'> => e.kind === 'session.start');
  return {
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
  };
}

function authoredOf(a: CommitAuthorship | undefined): Authored {
  const counts = a?.counts ?? zeroCounts();
  return { added: a?.added ?? 0, ...Object.fromEntries(AUTHORS.map((k) => [k, counts[k]])) } as Authored;
}

/**
 * Writes the steps of events/stepGrouping.ts (the ones review shows) while watching a task's
 * replay: an edit step becomes the diff of its file from before its first edit to after its last;
 * `finish` once every record is applied.
 */
export class StepCollector implements ReplayObserver {
  private readonly steps: Step[] = [];
  /** Edit steps' texts before and after: diffed in `finish`, so a format without steps pays nothing. */
  private readonly diffs: { step: Step; before: string; after: string }[] = [];
  private readonly grouper = new StepGrouper();
  private edit: { group: StepGroup; before: string | undefined; after: string | undefined; origins: Map<string, number>; keystrokes: number } | undefined;

  before(e: EventRecord, replayer: Replayer): void {
    const closed = this.grouper.place(e);
    if (closed) this.write(closed);
    const group = this.grouper.current;
    if (e.kind === 'edit' && group && this.edit?.group !== group) {
      this.edit = { group, before: replayer.bufferText(e.session, e.data.file), after: undefined, origins: new Map(), keystrokes: 0 };
    }
  }

  after(e: EventRecord, replayer: Replayer): void {
    if (e.kind !== 'edit' || !this.edit) return;
    const edit = this.edit;
    // The first edit after a snapshot is part of the snapshot: the diff starts from there.
    edit.before ??= replayer.bufferText(e.session, e.data.file);
    edit.after = replayer.bufferText(e.session, e.data.file);
    // Weighed by what each wrote (a deletion counts as one).
    edit.origins.set(
      e.origin,
      (edit.origins.get(e.origin) ?? 0) +
        Math.max(
          1,
          e.data.changes.reduce((n, c) => n + c.textLength, 0),
        ),
    );
    edit.keystrokes += e.data.keystrokes;
  }

  finish(): Step[] {
    const last = this.grouper.finish();
    if (last) this.write(last);
    for (const { step, before, after } of this.diffs.splice(0)) step.patch = linePatch(step.file!, before, after, 3);
    return this.steps;
  }

  private write(group: StepGroup): void {
    switch (group.shape) {
      case 'edit':
        return this.writeEdit(group);
      case 'navigation':
        return this.writeNavigation(group);
      case 'record': {
        const step = specOf(group.lead).step?.(group.lead);
        if (step) this.steps.push(step);
        return;
      }
    }
  }

  private writeEdit(group: StepGroup): void {
    const step = emptyStep(group.lead.ts, 'edit');
    step.file = group.file;
    const edit = this.edit?.group === group ? this.edit : undefined;
    if (edit && edit.before !== undefined && edit.after !== undefined && edit.after !== edit.before)
      this.diffs.push({ step, before: edit.before, after: edit.after });
    step.detail = `${edit?.keystrokes ?? 0} change(s): ${[...(edit?.origins.keys() ?? [])].join(', ')}`;
    step.origin = [...(edit?.origins ?? [])].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    this.steps.push(step);
    this.edit = undefined;
  }

  private writeNavigation(group: StepGroup): void {
    const step = emptyStep(group.lead.ts, 'navigate');
    const lines = new Set<number>();
    for (const e of group.records) {
      if (e.kind === 'selection') for (const s of e.data.selections) lines.add(s.active[0]);
      if (e.kind === 'viewport') for (const [a, b] of e.data.ranges) lines.add(a).add(b);
    }
    const file = group.file ?? '';
    step.files = [file];
    step.detail = lines.size ? `${file} (lines ${Math.min(...lines) + 1}-${Math.max(...lines) + 1})` : file;
    this.steps.push(step);
  }
}
