// SWE-bench task instances: one per solved task whose tests tell a fix from no fix. The patch is
// the engineer's own diff (others' arrived commits left out, see ownWork.ts) split into non-test
// files (patch) and test files (test_patch, see testFiles.ts); FAIL_TO_PASS are the tests seen
// failing before the final passing run. The keys are those the harness reads (swebenchHarness.ts);
// a task that cannot make a usable instance is left out and listed, with why, in the manifest.
import { jsonlFormat, type ExportedTask } from './format';
import { pq } from './parquet';
import { HARNESS_RUNNERS, evalScript, imageName, isInstallCommand } from './swebenchHarness';
import { splitTestPatch } from './testFiles';
import type { Trajectory } from './trajectory';
import { AUTHORS, sumCounts } from '../replay/authorship';

export interface SwebenchRow {
  repo: string;
  instance_id: string;
  base_commit: string;
  patch: string;
  test_patch: string;
  problem_statement: string;
  hints_text: string;
  created_at: string;
  version: string;
  /** JSON-encoded lists of test ids as the instance's log parser reports them, as in the original dataset. */
  FAIL_TO_PASS: string;
  PASS_TO_PASS: string;
  environment_setup_commit: string;
  image: string;
  eval_script: string;
  log_parser: string;
  eval_type: string;
  test_command: string;
  test_runner: string;
  /** JSON: install commands the engineer ran, runtimes and lockfile hashes (validate fills the last two). */
  environment: string;
  /** JSON: each test file and why it is one. */
  test_files: string;
  /** What whoever runs the instance must still supply; empty when nothing. */
  harness_notes: string;
  replay_status: string;
  /** JSON: who wrote the lines the engineer's commits added (typed, pasted, completed, agent, tool) and the typed share; the harness reads no such key. */
  authorship: string;
}

export type SwebenchResult = { row: SwebenchRow } | { excluded: string };

/** The tests seen failing before the final passing run and not failing in it. */
function failToPass(t: Trajectory): { names: string[]; run: Trajectory['test_runs'][number] | undefined } {
  const runs = t.test_runs;
  const finalPass = [...runs].reverse().find((r) => r.exit_code === 0);
  if (!finalPass) return { names: [], run: undefined };
  const before = runs.slice(0, runs.indexOf(finalPass));
  const names = [...new Set(before.flatMap((r) => r.failing_tests))].filter((n) => !finalPass.failing_tests.includes(n));
  return { names, run: finalPass };
}

export function swebenchRow({ trajectory: t, events }: Pick<ExportedTask, 'trajectory' | 'events'>): SwebenchResult {
  if (t.outcome !== 'solved') return { excluded: `the task's outcome is ${t.outcome ?? 'not recorded'}, not solved` };
  if (t.commits.length === 0) return { excluded: 'the task has no commit' };
  if (!t.final_patch) {
    return {
      excluded: t.arrived.some((a) => a.base === null)
        ? "others' commits arrived mixed with the engineer's work: no patch of only theirs"
        : "no commit carries the task's diff (metadata capture, or too large)",
    };
  }
  const base = t.patch_base_commit;
  if (!base) return { excluded: 'the task has no base commit' };
  const { names, run } = failToPass(t);
  if (!run || names.length === 0)
    return { excluded: 'FAIL_TO_PASS would be empty: no test was seen failing and then passing, and the harness counts an empty list as passed' };
  const evidence = { testNames: t.test_runs.flatMap((r) => r.failing_tests), commands: t.test_runs.map((r) => r.command) };
  const { patch, testPatch, testFiles } = splitTestPatch(t.final_patch, evidence);
  if (!testPatch) return { excluded: 'no test file changed: the test patch alone could not fail' };
  if (!patch) return { excluded: 'only test files changed: there is no fix to grade' };

  const session = events.find((e) => e.kind === 'session.start');
  const published = session?.kind === 'session.start' ? session.data.repoName : undefined;
  const repo = published ?? t.repo;
  const runner = run.runner ? HARNESS_RUNNERS[run.runner] : undefined;
  const testCommand = runner ? runner.command(run.command) : run.command;
  const instanceId = `${repo.replace('/', '__')}-${t.task_id}`;
  const notes = [
    ...(published ? [] : [`repo is the pseudonymous id ${t.repo}: the repository's owner must supply "org/repo" (policy key "name")`]),
    ...(runner ? [] : [`no harness log parser is known for runner ${run.runner ?? 'unknown'}: the owner must choose log_parser`]),
    `image ${imageName(instanceId)} is not built: build it from the repository at base_commit with the environment's install commands`,
  ];
  const installs = events
    .filter((e) => e.kind === 'terminal.command' && isInstallCommand(e.data.commandLine))
    .map((e) => (e.kind === 'terminal.command' ? e.data.commandLine : ''));
  return {
    row: {
      repo,
      instance_id: instanceId,
      base_commit: base,
      patch,
      test_patch: testPatch,
      problem_statement: [t.title, t.problem_statement].filter(Boolean).join('\n\n'),
      hints_text: t.note ?? '',
      created_at: t.started_at,
      // One environment per base commit: the harness groups instances by (repo, version).
      version: base.slice(0, 12),
      FAIL_TO_PASS: JSON.stringify(names.map((n) => (runner ? runner.id(n) : n))),
      // Runs record failing tests only; `codetrail validate` fills the tests passing before and after.
      PASS_TO_PASS: JSON.stringify([]),
      environment_setup_commit: base,
      image: imageName(instanceId),
      eval_script: evalScript({ baseCommit: base, testPatch, testCommand }),
      log_parser: runner?.logParser ?? '',
      eval_type: 'pass_and_fail',
      test_command: testCommand,
      test_runner: run.runner ?? '',
      environment: JSON.stringify({ install_commands: [...new Set(installs)], runtimes: {}, lockfiles: {} }),
      test_files: JSON.stringify(testFiles),
      harness_notes: notes.join('; '),
      replay_status: t.replay_status,
      authorship: JSON.stringify(authorshipOf(t)),
    },
  };
}

/**
 * Lines the engineer's commits added (others' arrived commits left out), per author, and the share
 * typed by the engineer (null when the commits added none). Counted per commit: a line added and
 * then changed again counts in each commit.
 */
export function authorshipOf(t: Pick<Trajectory, 'commits' | 'arrived'>): Record<string, number | null> {
  const arrived = new Set(t.arrived.map((a) => a.sha));
  const counts = sumCounts(t.commits.filter((c) => !arrived.has(c.sha)).map((c) => c.authored));
  const added = AUTHORS.reduce((n, a) => n + counts[a], 0);
  return { added, ...counts, typed_share: added === 0 ? null : Math.round((10_000 * counts.typed) / added) / 10_000 };
}

export const swebenchFormat = jsonlFormat({
  split: 'test',
  description:
    "SWE-bench task instances from solved tasks, with the keys the SWE-bench harness reads: base commit, the engineer's own patch, test patch, FAIL_TO_PASS, eval script, log parser. Tasks that make no usable instance are listed in manifest.json under `excluded`.",
  schema: pq.strings(
    'repo',
    'instance_id',
    'base_commit',
    'patch',
    'test_patch',
    'problem_statement',
    'hints_text',
    'created_at',
    'version',
    'FAIL_TO_PASS',
    'PASS_TO_PASS',
    'environment_setup_commit',
    'image',
    'eval_script',
    'log_parser',
    'eval_type',
    'test_command',
    'test_runner',
    'environment',
    'test_files',
    'harness_notes',
    'replay_status',
    'authorship',
  ),
  mergeKey: 'task',
  rows: (task) => {
    const result = swebenchRow(task);
    return 'row' in result ? [result.row] : result;
  },
});
