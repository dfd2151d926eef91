// SWE-bench task instances: one per solved task with commits. The patch is the task's diff from
// its base commit, split into non-test files (patch) and test files (test_patch); FAIL_TO_PASS
// are the tests that failed in the last failing run and pass in the final one.
import { jsonlFormat } from './format';
import { pq } from './parquet';
import { splitTestPatch } from './testFiles';
import type { Trajectory } from './trajectory';

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
  /** JSON-encoded lists of test ids, as in the original dataset. */
  FAIL_TO_PASS: string;
  PASS_TO_PASS: string;
  environment_setup_commit: string;
  test_command: string | null;
  replay_status: string;
}

export function swebenchRow(t: Trajectory): SwebenchRow | undefined {
  if (t.outcome !== 'solved' || t.commits.length === 0 || !t.final_patch || !t.base_commit) return undefined;
  const { patch, testPatch } = splitTestPatch(t.final_patch);
  const runs = t.test_runs;
  const finalPass = [...runs].reverse().find((r) => r.exit_code === 0);
  const lastFail = finalPass ? [...runs.slice(0, runs.indexOf(finalPass))].reverse().find((r) => (r.exit_code ?? 0) !== 0) : undefined;
  const failToPass = finalPass && lastFail ? lastFail.failing_tests.filter((name) => !finalPass.failing_tests.includes(name)) : [];
  return {
    repo: t.repo,
    instance_id: `${t.repo}__${t.task_id}`,
    base_commit: t.base_commit,
    patch,
    test_patch: testPatch,
    problem_statement: [t.title, t.problem_statement].filter(Boolean).join('\n\n'),
    hints_text: t.note ?? '',
    created_at: t.started_at,
    version: '0',
    FAIL_TO_PASS: JSON.stringify(failToPass),
    // Parsers know the names of failing tests only; passing ones are not listed by every runner.
    PASS_TO_PASS: JSON.stringify([]),
    environment_setup_commit: t.base_commit,
    test_command: finalPass?.command ?? lastFail?.command ?? null,
    replay_status: t.replay_status,
  };
}

export const swebenchFormat = jsonlFormat({
  split: 'test',
  description: 'SWE-bench-style task instances from solved tasks: base commit, patch, test patch, FAIL_TO_PASS.',
  schema: pq.strings('repo', 'instance_id', 'base_commit', 'patch', 'test_patch', 'problem_statement', 'hints_text', 'created_at', 'version', 'FAIL_TO_PASS', 'PASS_TO_PASS', 'environment_setup_commit', 'test_command', 'replay_status'),
  mergeKey: 'task',
  rows: ({ trajectory }) => {
    const row = swebenchRow(trajectory);
    return row ? [row] : [];
  },
});
