// The trajectories format: one row per task, the trajectory itself (trajectory.ts).
import { jsonlFormat } from './format';
import { pq } from './parquet';

const STEP = pq.struct({
  ts: pq.int64(),
  kind: pq.string(),
  ...pq.strings('file', 'patch', 'command', 'cwd'),
  exit_code: pq.int64(),
  output: pq.string(),
  runner: pq.string(),
  passed: pq.int64(),
  failed: pq.int64(),
  skipped: pq.int64(),
  failing_tests: pq.stringList(),
  sha: pq.string(),
  message: pq.string(),
  files: pq.stringList(),
  detail: pq.string(),
  origin: pq.string(),
});

const AUTHORED = pq.struct({ added: pq.int64(), typed: pq.int64(), pasted: pq.int64(), completed: pq.int64(), agent: pq.int64(), tool: pq.int64() });

export const trajectoriesFormat = jsonlFormat({
  split: 'train',
  description: 'One record per coding task: the task, its starting state, the ordered steps, commits, test runs, final patch, replay status and provenance.',
  schema: {
    ...pq.strings('task_id', 'repo', 'contributor', 'title', 'problem_statement', 'issue_url', 'outcome', 'note'),
    auto_started: pq.boolean(),
    ...pq.strings('branch', 'base_commit', 'starting_diff', 'started_at', 'ended_at'),
    steps: pq.list(STEP),
    commits: pq.list(pq.struct({ sha: pq.string(), message: pq.string(), files: pq.stringList(), ts: pq.int64(), authored: AUTHORED })),
    test_runs: pq.list(
      pq.struct({
        ts: pq.int64(),
        command: pq.string(),
        runner: pq.string(),
        exit_code: pq.int64(),
        passed: pq.int64(),
        failed: pq.int64(),
        skipped: pq.int64(),
        failing_tests: pq.stringList(),
      }),
    ),
    ...pq.strings('final_patch', 'patch_base_commit'),
    arrived: pq.list(pq.struct({ ts: pq.int64(), kind: pq.string(), sha: pq.string(), commits: pq.int64(), base: pq.string() })),
    ...pq.strings('replay_status', 'replay_divergence'),
    provenance: pq.struct({
      ...pq.strings('repo', 'policy_hash', 'consent_at', 'capture_level', 'redaction_rules', 'extension_version', 'vscode_version'),
      schema_version: pq.int64(),
      sessions: pq.stringList(),
      events: pq.int64(),
      deleted_in_review: pq.int64(),
    }),
  },
  mergeKey: 'task',
  rows: ({ trajectory }) => [trajectory],
});
