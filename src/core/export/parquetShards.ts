// The Parquet column schema of each export format, and the shards written from the JSONL ones:
// same names, same rows. Fields whose shape varies (a raw event's `data`, a tool's JSON-Schema
// `parameters`) are JSON strings in Parquet.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CodetrailError } from '../errors';
import { pq, writeParquet, type ParquetSchema } from './parquet';

const strings = (...names: string[]) => Object.fromEntries(names.map((n) => [n, pq.string()]));
const stringList = () => pq.list(pq.string());

const STEP = pq.struct({
  ts: pq.int64(),
  kind: pq.string(),
  ...strings('file', 'patch', 'command', 'cwd'),
  exit_code: pq.int64(),
  output: pq.string(),
  runner: pq.string(),
  passed: pq.int64(),
  failed: pq.int64(),
  skipped: pq.int64(),
  failing_tests: stringList(),
  sha: pq.string(),
  message: pq.string(),
  files: stringList(),
  detail: pq.string(),
});

export const PARQUET_SCHEMAS: Record<string, ParquetSchema> = {
  raw: { v: pq.int64(), id: pq.string(), ts: pq.int64(), session: pq.string(), task: pq.string(), repo: pq.string(), contributor: pq.string(), kind: pq.string(), origin: pq.string(), data: pq.json() },
  trajectories: {
    ...strings('task_id', 'repo', 'contributor', 'title', 'problem_statement', 'issue_url', 'outcome', 'note'),
    auto_started: pq.boolean(),
    ...strings('branch', 'base_commit', 'starting_diff', 'started_at', 'ended_at'),
    steps: pq.list(STEP),
    commits: pq.list(pq.struct({ sha: pq.string(), message: pq.string(), files: stringList(), ts: pq.int64() })),
    test_runs: pq.list(pq.struct({ ts: pq.int64(), command: pq.string(), runner: pq.string(), exit_code: pq.int64(), passed: pq.int64(), failed: pq.int64(), skipped: pq.int64(), failing_tests: stringList() })),
    ...strings('final_patch', 'replay_status', 'replay_divergence'),
    provenance: pq.struct({
      ...strings('repo', 'policy_hash', 'consent_at', 'capture_level', 'redaction_rules', 'extension_version', 'vscode_version'),
      schema_version: pq.int64(),
      sessions: stringList(),
      events: pq.int64(),
      deleted_in_review: pq.int64(),
    }),
  },
  trl: {
    messages: pq.list(
      pq.struct({
        role: pq.string(),
        content: pq.string(),
        tool_calls: pq.list(pq.struct({ id: pq.string(), type: pq.string(), function: pq.struct({ name: pq.string(), arguments: pq.string() }) })),
        name: pq.string(),
        tool_call_id: pq.string(),
      }),
    ),
    tools: pq.list(pq.struct({ type: pq.string(), function: pq.struct({ name: pq.string(), description: pq.string(), parameters: pq.json() }) })),
    ...strings('task_id', 'repo', 'outcome', 'replay_status'),
  },
  swebench: strings('repo', 'instance_id', 'base_commit', 'patch', 'test_patch', 'problem_statement', 'hints_text', 'created_at', 'version', 'FAIL_TO_PASS', 'PASS_TO_PASS', 'environment_setup_commit', 'test_command', 'replay_status'),
  zed: { ...strings('events', 'input', 'output', 'cursor_path'), cursor_position: pq.int64(), ...strings('origin', 'task_id', 'repo') },
};

async function* rowsOf(path: string): AsyncGenerator<object> {
  let lineNo = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    lineNo += 1;
    if (!line) continue;
    try {
      yield JSON.parse(line) as object;
    } catch (err) {
      throw new CodetrailError('bad-input', `${path}:${lineNo}: not JSON (${(err as Error).message})`);
    }
  }
}

/** Writes `x.parquet` next to each `x.jsonl`, with the same rows; returns the Parquet paths. */
export async function writeParquetShards(format: string, jsonlFiles: string[]): Promise<string[]> {
  const schema = PARQUET_SCHEMAS[format];
  if (!schema) throw new CodetrailError('bad-input', `--parquet is not available for ${format}`);
  const written: string[] = [];
  for (const file of jsonlFiles) {
    const target = file.replace(/\.jsonl$/, '.parquet');
    await writeParquet(target, schema, rowsOf(file));
    written.push(target);
  }
  return written;
}
