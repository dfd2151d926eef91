// Exports of a small recorded task, in every format: what trainers would load.
import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { exportStore, type ExportFormat } from '../../src/core/export/exporter';
import { checkManifest, type Manifest } from '../../src/core/export/manifest';
import { PROGSNAP2_COLUMNS } from '../../src/core/export/progsnap2';
import { TRL_TOOLS } from '../../src/core/export/trl';
import { checkRecord } from '../../src/core/schema/validate';
import { captureSession, NEW_TEST, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

async function rowsOf(out: string, config: string): Promise<any[]> {
  const dir = join(out, 'data', config);
  const rows = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) if (line) rows.push(JSON.parse(line));
  }
  return rows;
}

describe('exports', () => {
  const tmp = useTempDir();
  let taskId: string;
  const store = () => join(tmp(), 'store');
  const run = (format: ExportFormat, extra: Partial<Parameters<typeof exportStore>[0]> = {}) =>
    exportStore({ store: store(), out: join(tmp(), `out-${format}`), format, version: 'test', ...extra });

  beforeEach(async () => {
    const session = captureSession(store());
    taskId = await recordRangeTask(session);
    const unapproved = await recordRangeTask(session, { approve: false });
    assert.notEqual(unapproved, taskId);
    await session.dispose();
  });

  it('only approved tasks are exported, unless asked; each export has a manifest whose checksums hold', async () => {
    const summary = await run('trajectories');
    assert.equal(summary.tasks, 1);
    assert.equal(summary.skippedUnapproved, 1);
    const all = await run('trajectories', { out: join(tmp(), 'all'), includeUnapproved: true });
    assert.equal(all.tasks, 2);
    const manifest = JSON.parse(await readFile(join(summary.out, 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(await checkManifest(summary.out, manifest), undefined);
    assert.deepEqual(
      manifest.tasks.map((t) => [t.task_id, t.replay_status, t.policy_hash?.length]),
      [[taskId, 'exact', 64]],
    );
    assert.ok(manifest.files.some((f) => f.path === 'README.md'));
  });

  it('refuses to write into a folder that is not empty', async () => {
    const out = join(tmp(), 'busy');
    await run('raw', { out });
    await assert.rejects(run('raw', { out }), /not empty/);
  });

  it('the dataset card YAML parses and names files that exist', async () => {
    for (const format of ['raw', 'trl', 'swebench', 'zed', 'progsnap2'] as const) {
      const { out } = await run(format);
      const card = await readFile(join(out, 'README.md'), 'utf8');
      const yaml = parseYaml(card.split('---')[1]!) as { configs: { config_name: string; data_files: { split: string; path: string[] }[] }[] };
      assert.ok(yaml.configs.length >= 1, format);
      for (const c of yaml.configs)
        for (const f of c.data_files) for (const p of f.path) assert.ok((await readFile(join(out, p))).length >= 0, `${format}: ${p}`);
    }
  });

  it('raw: every row is a valid schema v1 event of the approved task', async () => {
    const { out } = await run('raw');
    const rows = await rowsOf(out, 'raw');
    assert.ok(rows.length > 10);
    for (const r of rows) {
      assert.equal(checkRecord(r).ok, true);
      assert.equal(r.task, taskId);
    }
  });

  it('trajectories: the task, steps in order, commits, test runs, final patch and provenance', async () => {
    const [t] = await rowsOf((await run('trajectories')).out, 'trajectories');
    assert.equal(t.title, 'Make range inclusive');
    assert.equal(t.outcome, 'solved');
    assert.equal(t.base_commit, 'b'.repeat(40));
    assert.equal(t.replay_status, 'exact');
    assert.deepEqual(
      t.steps.map((s: { kind: string }) => s.kind),
      ['navigate', 'edit', 'save', 'external', 'terminal', 'test', 'terminal', 'test', 'terminal', 'commit'],
    );
    const edit = t.steps[1];
    assert.match(edit.patch, /- {2}for \(let i = a; i < b; i\+\+\)/, 'the edit step is a diff of the rebuilt buffer');
    assert.match(edit.patch, /\+ {2}for \(let i = a; i <= b; i\+\+\)/);
    assert.doesNotMatch(edit.patch, /inclusive/, 'typed and deleted again: not in the net diff');
    assert.deepEqual(
      t.test_runs.map((r: { exit_code: number }) => r.exit_code),
      [1, 0],
    );
    assert.match(t.final_patch, /diff --git a\/test\/range\.test\.js/);
    assert.equal(t.provenance.redaction_rules, 'test');
  });

  it('trl: well-formed roles, and every tool call names a declared tool with arguments that match its schema', async () => {
    const [row] = await rowsOf((await run('trl')).out, 'trl');
    const roles = row.messages.map((m: { role: string }) => m.role);
    assert.deepEqual(roles.slice(0, 2), ['system', 'user']);
    assert.equal(roles.at(-1), 'assistant');
    const ajv = new Ajv({ strict: false });
    const validators = new Map(TRL_TOOLS.map((t) => [t.function.name, ajv.compile(t.function.parameters)]));
    const called: string[] = [];
    for (const [i, m] of row.messages.entries()) {
      if (m.role !== 'assistant' || !m.tool_calls) continue;
      for (const call of m.tool_calls) {
        const validate = validators.get(call.function.name);
        assert.ok(validate, `tool ${call.function.name} is declared`);
        assert.equal(typeof call.function.arguments, 'object', 'arguments are a JSON object, as TRL and chat templates take them');
        assert.ok(validate!(call.function.arguments), `${call.function.name}: ${JSON.stringify(validate!.errors)}`);
        // Mistral's templates raise unless every id is 9 alphanumerics.
        assert.match(call.id, /^[a-zA-Z0-9]{9}$/);
        const result = row.messages[i + 1];
        assert.equal(result.role, 'tool');
        assert.equal(result.tool_call_id, call.id);
        called.push(call.function.name);
      }
    }
    assert.deepEqual(called, ['view_files', 'edit_file', 'run_tests', 'run_tests', 'run_command']);
    const ids = row.messages.flatMap((m: { tool_calls?: { id: string }[] }) => (m.tool_calls ?? []).map((c) => c.id));
    assert.equal(new Set(ids).size, ids.length, 'ids are distinct within a row');
    assert.deepEqual(row.tools, TRL_TOOLS);
    for (const m of row.messages) {
      for (const [key, value] of Object.entries(m)) assert.notEqual(value, null, `a message holds no null ${key}`);
    }
  });

  it('trl with string arguments (OpenAI fine-tuning): the same calls, each argument object as JSON text', async () => {
    const [objects] = await rowsOf((await run('trl')).out, 'trl');
    const [strings] = await rowsOf((await run('trl', { out: join(tmp(), 'strings'), formatOptions: { trlArguments: 'string' } })).out, 'trl');
    const calls = (row: any) => row.messages.flatMap((m: any) => m.tool_calls ?? []);
    assert.ok(calls(strings).length > 0);
    assert.deepEqual(
      calls(strings).map((c: any) => ({ ...c, function: { ...c.function, arguments: JSON.parse(c.function.arguments) } })),
      calls(objects),
    );
    for (const c of calls(strings)) assert.equal(typeof c.function.arguments, 'string');
  });

  it('swebench: patch and test_patch split by file, FAIL_TO_PASS from the runs in the ids the harness parser reports', async () => {
    const [row] = await rowsOf((await run('swebench')).out, 'swebench');
    assert.equal(row.instance_id, `r_00000000000000aa-${taskId}`);
    assert.match(row.patch, /src\/range\.js/);
    assert.doesNotMatch(row.patch, /test\/range\.test\.js/);
    assert.ok(row.test_patch.includes(NEW_TEST.trim()));
    // node --test prints TAP (`not ok 1 - range of one`); the harness's parse_log_tap keeps the dash.
    assert.deepEqual(JSON.parse(row.FAIL_TO_PASS), ['- range of one']);
    assert.equal(row.log_parser, 'parse_log_tap');
    assert.equal(row.test_command, 'node --test --test-reporter=tap');
    assert.match(row.harness_notes, /owner must supply "org\/repo"/);
  });

  it('zed: edit-prediction rows with the cursor and editable-region markers', async () => {
    const rows = await rowsOf((await run('zed')).out, 'zed');
    assert.ok(rows.length >= 1);
    for (const r of rows) {
      assert.match(r.input, /<\|editable_region_start\|>[\s\S]*<\|user_cursor_is_here\|>[\s\S]*<\|editable_region_end\|>/);
      assert.match(r.output, /<\|editable_region_start\|>[\s\S]*<\|editable_region_end\|>/);
      assert.doesNotMatch(r.output, /user_cursor_is_here/);
    }
    assert.ok(
      rows.some((r) => r.output.includes('i <= b') && r.input.includes('i <<|user_cursor_is_here|> b')),
      'the fix is predicted from the cursor where it was typed',
    );
  });

  it('progsnap2: metadata and main table with the required columns, code states on disk', async () => {
    const { out } = await run('progsnap2');
    const meta = await readFile(join(out, 'DatasetMetadata.csv'), 'utf8');
    for (const key of ['Version', 'IsEventOrderingConsistent', 'EventOrderScope', 'EventOrderScopeColumns', 'CodeStateRepresentation'])
      assert.match(meta, new RegExp(`^${key},`, 'm'));
    const [header, ...lines] = (await readFile(join(out, 'MainTable.csv'), 'utf8')).trim().split('\r\n');
    const columns = header!.split(',');
    for (const required of ['EventType', 'EventID', 'SubjectID', 'ToolInstances', 'CodeStateID']) assert.ok(columns.includes(required), required);
    assert.deepEqual(columns, [...PROGSNAP2_COLUMNS]);
    const types = lines.map((l) => l.split(',')[0]);
    for (const t of ['Session.Start', 'File.Edit', 'File.Save', 'Run.Test', 'X-Terminal.Command', 'X-Git.Commit', 'X-Task.Start'])
      assert.ok(types.includes(t), t);
    const states = await readdir(join(out, 'CodeStates'));
    assert.ok(states.length >= 2);
  });

  it('a tampered export file is detected by its manifest', async () => {
    const { out } = await run('trl');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const shard = manifest.files.find((f) => f.path.endsWith('.jsonl'))!;
    await writeFile(join(out, shard.path), (await readFile(join(out, shard.path), 'utf8')).replace('Make range', 'Make ranges'));
    assert.match((await checkManifest(out, manifest))!, new RegExp(shard.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});

describe('merging exports from many engineers', () => {
  const tmp = useTempDir();

  async function exportOf(name: string, tasks: number): Promise<string> {
    const store = join(tmp(), `store-${name}`);
    const session = captureSession(store);
    for (let i = 0; i < tasks; i++) await recordRangeTask(session);
    await session.dispose();
    const out = join(tmp(), `export-${name}`);
    await exportStore({ store, out, format: 'raw', version: 'test' });
    return out;
  }

  it('de-duplicates by event id across inputs and partitions, and writes one manifest', async () => {
    const a = await exportOf('a', 2);
    const b = await exportOf('b', 1);
    const rowsA = (await rowsOf(a, 'raw')).length;
    const rowsB = (await rowsOf(b, 'raw')).length;
    const { mergeExports } = await import('../../src/core/export/merge');
    const out = join(tmp(), 'merged');
    // The same export twice, and a tiny partition size so rows spread over many partitions.
    const summary = await mergeExports({ out, inputs: [a, b, a], version: 'test', partitionBytes: 4096, rowsPerShard: 7 });
    assert.ok(summary.partitions > 1);
    assert.equal(summary.rowsIn, 2 * rowsA + rowsB);
    assert.equal(summary.rows, rowsA + rowsB);
    const merged = await rowsOf(out, 'raw');
    assert.equal(new Set(merged.map((r) => r.id)).size, merged.length, 'no duplicate event');
    assert.equal(merged.length, rowsA + rowsB);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(await checkManifest(out, manifest), undefined);
    assert.equal(manifest.tasks.length, 3);
    assert.ok(manifest.configs[0]!.files.length > 1, 'sharded');
  });

  it('refuses an input whose file was altered, naming the file', async () => {
    const a = await exportOf('a', 1);
    const manifest = JSON.parse(await readFile(join(a, 'manifest.json'), 'utf8')) as Manifest;
    const shard = manifest.files.find((f) => f.path.endsWith('.jsonl'))!;
    await writeFile(join(a, shard.path), (await readFile(join(a, shard.path), 'utf8')).replace('"typing"', '"paste"'));
    const { mergeExports } = await import('../../src/core/export/merge');
    await assert.rejects(
      mergeExports({ out: join(tmp(), 'merged'), inputs: [a], version: 'test' }),
      (err: Error) => err.message.includes(shard.path) && /checksum/.test(err.message),
    );
  });
});

describe('exports with --parquet, read back by DuckDB', function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  it('every format’s Parquet shards have the same rows and columns as its JSONL', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { writeParquetShards } = await import('../../src/core/export/parquetShards');
    const store = join(tmp(), 'store');
    const session = captureSession(store);
    await recordRangeTask(session);
    await recordRangeTask(session);
    await session.dispose();
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const q = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson();
    for (const format of ['raw', 'trajectories', 'trl', 'swebench', 'zed'] as const) {
      const out = join(tmp(), format);
      await exportStore({ store, out, format, version: 'test', rowsPerShard: 5, parquet: (_config, files) => writeParquetShards(format, files) });
      const jsonl = `'${join(out, 'data', format, '*.jsonl')}'`;
      const parquet = `'${join(out, 'data', format, '*.parquet')}'`;
      const [j] = await q(`SELECT count(*)::INTEGER AS n FROM read_json_auto(${jsonl}, format = 'newline_delimited')`);
      const [p] = await q(`SELECT count(*)::INTEGER AS n FROM read_parquet(${parquet})`);
      assert.ok(Number(j!.n) > 0, format);
      assert.equal(Number(p!.n), Number(j!.n), `${format}: row counts`);
      const columns = async (from: string) => (await q(`DESCRIBE SELECT * FROM ${from}`)).map((r) => String(r.column_name)).sort();
      assert.deepEqual(
        await columns(`read_parquet(${parquet})`),
        await columns(`read_json_auto(${jsonl}, format = 'newline_delimited')`),
        `${format}: columns`,
      );
      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
      assert.ok(manifest.configs.some((c) => c.name === `${format}_parquet` && c.files.every((f) => f.endsWith('.parquet'))));
    }
  });
});
