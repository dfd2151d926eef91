// A whole coding task played in the real VS Code host, in a real git repository with a real test
// suite: start a task, type (with undo, redo, a paste and a multi-cursor edit), change a file
// from the terminal, see the tests fail, fix the code, see them pass, commit from the terminal,
// end the task. The store must hold each step, and `codetrail verify` must call it exact.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, codetrailCli, fixtures, flush, nextEvent, runInTerminal, saveEditor, storeRecords, typeText } from '../helpers';

const { repo, store } = fixtures<{ repo: string }>();

let terminal: vscode.Terminal;

const run = (commandLine: string) => runInTerminal(terminal, commandLine);
const save = saveEditor;

async function command(id: string, editor: vscode.TextEditor): Promise<void> {
  const changed = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === editor.document);
  await vscode.commands.executeCommand(id);
  await changed;
}

describe('a whole task, recorded and replayed', function () {
  this.timeout(180_000);
  let taskId: string;
  let records: Awaited<ReturnType<typeof storeRecords>>;

  before(async () => {
    await activeExtension();
    const accepted = (await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true })) as string[];
    assert.deepEqual(accepted, [repo]);
    terminal = vscode.window.createTerminal({ name: 'task', cwd: repo });
    terminal.show();
  });

  after(() => terminal?.dispose());

  it('plays the task', async () => {
    taskId = (await vscode.commands.executeCommand('codetrail.startTask', {
      title: 'Make range inclusive',
      description: 'range(1, 3) should give [1, 2, 3]',
    })) as string;
    assert.match(taskId, /^[0-9A-Z]{26}$/);

    const doc = await vscode.workspace.openTextDocument(join(repo, 'src/range.js'));
    const editor = await vscode.window.showTextDocument(doc);
    const endOfComment = doc.lineAt(0).range.end;
    editor.selection = new vscode.Selection(endOfComment, endOfComment);
    await typeText(editor, ' Always');
    await command('undo', editor);
    await command('redo', editor);

    // A paste through the clipboard, as Ctrl+V does it.
    await vscode.env.clipboard.writeText('\n// Used by the report module.\n');
    const endOfFile = doc.lineAt(doc.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(endOfFile, endOfFile);
    await command('editor.action.clipboardPasteAction', editor);

    // Two cursors, one keystroke each.
    const line0 = doc.lineAt(0).range.end;
    const lastComment = doc.lineAt(doc.lineCount - 2).range.end;
    editor.selections = [new vscode.Selection(line0, line0), new vscode.Selection(lastComment, lastComment)];
    await typeText(editor, '.');
    await save(editor);

    // A new test file written from the terminal.
    const addTest = `printf "%s\\n" "const test = require('node:test');" "const assert = require('node:assert');" "const { range } = require('../src/range');" "test('range of negatives', () => { assert.deepStrictEqual(range(-2, -1), [-2, -1]); });" > test/negative.test.js`;
    assert.equal(await run(addTest), 0);
    assert.equal(await run('node --test'), 1, 'the tests fail before the fix');

    // The fix: `i < end` becomes `i <= end`.
    const at = doc.positionAt(doc.getText().indexOf('i < end') + 3);
    editor.selection = new vscode.Selection(at, at);
    await typeText(editor, '=');
    await save(editor);
    assert.equal(await run('node --test'), 0, 'the tests pass after the fix');
    assert.equal(await run('git add -A && git commit -q -m "Make range inclusive"'), 0);

    await flush();
    await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved', note: 'off by one' });
    await flush();
    records = await storeRecords(store);
  });

  it('the store holds the task from start to end, every event tagged with it', () => {
    const inTask = records.filter((r) => r.task === taskId && r.kind !== 'session.start');
    assert.equal(inTask[0]?.kind, 'task.start');
    assert.equal(inTask[0]?.data.title, 'Make range inclusive');
    assert.equal(inTask.at(-1)?.kind, 'task.end');
    assert.equal(inTask.at(-1)?.data.outcome, 'solved');
    const state = inTask.find((r) => r.kind === 'git.state');
    assert.equal(
      state?.data.head,
      execFileSync('git', ['rev-parse', 'HEAD~1'], { cwd: repo, encoding: 'utf8' }).trim(),
      'the starting state is the commit before the fix',
    );
    for (const kind of ['edit', 'file.snapshot', 'file.save', 'terminal.command', 'test.run', 'git.commit']) {
      assert.ok(
        inTask.some((r) => r.kind === kind),
        `a ${kind} event in the task`,
      );
    }
  });

  it('edits tell typing, undo, redo, paste and multi-cursor apart', () => {
    const origins = new Set(records.filter((r) => r.kind === 'edit' && r.task === taskId).map((r) => r.origin));
    for (const origin of ['typing', 'undo', 'redo', 'paste', 'multiCursor'])
      assert.ok(origins.has(origin), `an edit with origin ${origin} (have ${[...origins].join(', ')})`);
    // Nothing reloaded an open document from disk: the first key after a save or an undo to the saved text is the engineer's.
    assert.ok(!origins.has('external'), `no edit of this task came from disk (have ${[...origins].join(', ')})`);
  });

  it('terminal commands carry their exit codes, and test runs their counts and failing names', () => {
    const commands = records.filter((r) => r.kind === 'terminal.command' && r.task === taskId);
    // Each line as typed: not with the line break that ran it (a line typed ahead is reported with it).
    assert.deepEqual(
      commands.map((c) => [c.data.commandLine.startsWith('printf ') ? 'printf' : c.data.commandLine, c.data.exitCode]),
      [
        ['printf', 0],
        ['node --test', 1],
        ['node --test', 0],
        ['git add -A && git commit -q -m "Make range inclusive"', 0],
      ],
    );
    assert.ok(!/[\r\n]$/.test(commands[0]!.data.commandLine), JSON.stringify(commands[0]!.data.commandLine));
    assert.equal(commands[0]!.data.cwd, '.');
    const runs = records.filter((r) => r.kind === 'test.run' && r.task === taskId);
    assert.equal(runs.length, 2);
    const [failing, passing] = runs;
    assert.equal(failing!.data.exitCode, 1);
    assert.equal(failing!.data.failed, 3, JSON.stringify(failing!.data));
    assert.ok(failing!.data.failingTests.includes('range includes both ends'), JSON.stringify(failing!.data.failingTests));
    assert.equal(passing!.data.exitCode, 0);
    assert.equal(passing!.data.passed, 3);
    assert.equal(passing!.data.failed, 0);
  });

  it('the file written from the terminal is in the store as a change on disk', () => {
    const external = records.find(
      (r) => r.task === taskId && (r.kind === 'file.snapshot' || r.kind === 'file.external') && r.data.file === 'test/negative.test.js',
    );
    assert.ok(external, 'test/negative.test.js recorded');
    assert.equal(external!.origin, 'external');
  });

  it('the commit made in the terminal is recorded with its sha and files', () => {
    const commit = records.find((r) => r.kind === 'git.commit' && r.task === taskId);
    assert.equal(commit?.data.sha, execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim());
    assert.equal(commit?.data.message.trim(), 'Make range inclusive');
    assert.deepEqual(commit?.data.files.map((f: { path: string }) => f.path).sort(), ['src/range.js', 'test/negative.test.js']);
    assert.doesNotMatch(JSON.stringify(commit), /host-test@example\.invalid|Host Test/, 'no author name or e-mail');
  });

  it('codetrail verify replays the task exactly, from the store alone and against the repository', async () => {
    for (const args of [[], ['--repo', repo]]) {
      const report = JSON.parse(await codetrailCli('verify', '--store', store, '--json', ...args));
      const verdict = report.tasks.find((t: { task: string }) => t.task === taskId);
      assert.equal(verdict?.status, 'exact', JSON.stringify(verdict));
      assert.equal(verdict.checks.commitFileCount, 2);
    }
  });
});

describe('the recorded task as a SWE-bench instance', function () {
  this.timeout(120_000);

  it('exports once approved; the patch applies at base_commit and passes, the test patch alone fails', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const work = mkdtempSync(join(tmpdir(), 'swebench-'));
    const unapproved = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'swebench', '--out', join(work, 'before'), '--json'));
    assert.equal(unapproved.taskCount, 0, 'nothing is exported before approval');
    const taskId = JSON.parse(await codetrailCli('stats', '--store', store, '--json')).byTask;
    const id = Object.keys(taskId).find((k) => k !== '(none)')!;
    await codetrailCli('approve', '--store', store, id);
    const summary = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'swebench', '--out', join(work, 'out'), '--json'));
    assert.equal(summary.rowCount, 1);
    const { readFileSync, readdirSync, writeFileSync } = await import('node:fs');
    const shard = readdirSync(join(work, 'out', 'data', 'swebench'))[0]!;
    const row = JSON.parse(readFileSync(join(work, 'out', 'data', 'swebench', shard), 'utf8').trim());
    assert.equal(row.base_commit, execFileSync('git', ['rev-parse', 'HEAD~1'], { cwd: repo, encoding: 'utf8' }).trim());
    assert.match(row.patch, /src\/range\.js/);
    assert.match(row.test_patch, /test\/negative\.test\.js/);
    assert.doesNotMatch(row.patch, /negative\.test/);
    const failToPass = JSON.parse(row.FAIL_TO_PASS) as string[];
    // Ids as the harness's parse_log_tap reports them: TAP's `not ok 1 - name` keeps the dash.
    assert.ok(failToPass.includes('- range includes both ends'), row.FAIL_TO_PASS);
    assert.equal(row.log_parser, 'parse_log_tap');

    const checkout = (name: string) => {
      const dir = join(work, name);
      execFileSync('git', ['clone', '-q', repo, dir]);
      execFileSync('git', ['checkout', '-q', row.base_commit], { cwd: dir });
      return dir;
    };
    const apply = (dir: string, patch: string) => {
      writeFileSync(join(dir, '.patch'), patch);
      execFileSync('git', ['apply', '.patch'], { cwd: dir });
    };
    const runTests = (dir: string) => {
      try {
        return { code: 0, out: execFileSync('sh', ['-c', row.test_command], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }) };
      } catch (err) {
        const e = err as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    const fixed = checkout('fixed');
    apply(fixed, row.test_patch);
    apply(fixed, row.patch);
    assert.equal(runTests(fixed).code, 0, 'patch + test_patch at base_commit: the recorded test command passes');
    const testsOnly = checkout('tests-only');
    apply(testsOnly, row.test_patch);
    const before = runTests(testsOnly);
    assert.notEqual(before.code, 0, 'test_patch alone: the tests fail');
    for (const name of failToPass)
      assert.match(before.out, new RegExp(`not ok \\d+ ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `${name} fails without the fix`);

    // codetrail validate runs it again, in a throwaway worktree of the real clone: FAIL_TO_PASS from the runner's own report.
    const validated = JSON.parse(await codetrailCli('validate', join(work, 'out'), '--repo', repo, '--run-tests', '--json'));
    assert.equal(validated.validCount, 1, JSON.stringify(validated));
    const checked = JSON.parse(readFileSync(join(work, 'out', 'data', 'swebench', shard), 'utf8').trim());
    assert.deepEqual((JSON.parse(checked.FAIL_TO_PASS) as string[]).sort(), ['- range includes both ends', '- range of negatives', '- range of one number']);
  });
});

describe('the recorded task for trainers: TRL rows with Parquet shards', function () {
  this.timeout(120_000);

  it('exports TRL with --parquet; DuckDB reads the Parquet shards with the same rows and columns as the JSONL; every row renders through real chat templates', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const out = join(mkdtempSync(join(tmpdir(), 'trl-')), 'out');
    const summary = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'trl', '--out', out, '--parquet', '--json'));
    assert.equal(summary.rowCount, 1);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const q = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson();
    const jsonl = `read_json_auto('${join(out, 'data/trl/*.jsonl')}', format = 'newline_delimited')`;
    const parquet = `read_parquet('${join(out, 'data/trl/*.parquet')}')`;
    const counts = await q(`SELECT (SELECT count(*) FROM ${jsonl})::INTEGER AS j, (SELECT count(*) FROM ${parquet})::INTEGER AS p`);
    assert.deepEqual(counts, [{ j: 1, p: 1 }]);
    const names = async (from: string) => (await q(`DESCRIBE SELECT * FROM ${from}`)).map((r) => String(r.column_name)).sort();
    assert.deepEqual(await names(parquet), await names(jsonl));
    // Each message is a JSON value (the card's `Json()` feature), stored as its JSON text in Parquet.
    const [row] = await q(`SELECT len(messages)::INTEGER AS n, json_extract_string(messages[2], '$.role') AS second FROM ${parquet}`);
    assert.equal(row!.second, 'user');
    assert.ok(Number(row!.n) > 6, 'the task has many turns');
    // As a trainer renders them: from JSON Lines and from Parquet, through real chat templates.
    const { jsonlRows, OBJECT_TEMPLATES, parquetRows, renderEveryRow } = await import('../../helpers/trlRender');
    const rows = { jsonl: await jsonlRows(join(out, 'data', 'trl')), parquet: await parquetRows(out, 'trl_parquet') };
    assert.deepEqual(rows.parquet, rows.jsonl);
    assert.ok(OBJECT_TEMPLATES.length >= 6);
    assert.equal(renderEveryRow(OBJECT_TEMPLATES, rows), OBJECT_TEMPLATES.length);
  });
});

describe('the recorded task for education research: ProgSnap2 checked against the spec definition', function () {
  this.timeout(120_000);

  it('exports ProgSnap2 that the spec-driven validator accepts, its code states holding the recorded project', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { validateProgSnap2 } = await import('../../helpers/progsnap2Spec');
    const out = join(mkdtempSync(join(tmpdir(), 'ps2-')), 'out');
    const summary = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'progsnap2', '--out', out, '--json'));
    assert.equal(summary.taskCount, 1);
    const { problems, rows, states } = await validateProgSnap2(out);
    assert.deepEqual(problems, []);
    const types = new Set(rows.map((r) => r.EventType));
    for (const t of ['Session.Start', 'File.Edit', 'File.Save', 'Run.Program', 'Run.Test']) assert.ok(types.has(t), `${t} in ${[...types].join(', ')}`);
    // The state at the last test run holds every file the task touched, not only the one edited last.
    const lastRun = rows.filter((r) => r.EventType === 'Run.Program').at(-1)!;
    assert.ok((states.get(lastRun.CodeStateID) ?? []).length >= 2, `CodeStates/${lastRun.CodeStateID}: ${states.get(lastRun.CodeStateID)?.join(', ')}`);
  });
});

describe('two more tasks in the same session, tests in root-level files: validated SWE-bench instances (node --test, pytest)', function () {
  this.timeout(300_000);
  const hasPytest = spawnSync('python3', ['-m', 'pytest', '--version']).status === 0;
  let nodeTask: string;
  let pyTask: string | undefined;

  async function paste(editor: vscode.TextEditor, text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    await command('editor.action.clipboardPasteAction', editor);
  }

  /** Puts the cursor after `anchor` (or selects `anchor` when `select`) in the editor's text. */
  function place(editor: vscode.TextEditor, anchor: string, select = false): void {
    const start = editor.document.getText().indexOf(anchor);
    assert.ok(start >= 0, `${anchor} in ${editor.document.uri.fsPath}`);
    const from = editor.document.positionAt(select ? start : start + anchor.length);
    const to = editor.document.positionAt(start + anchor.length);
    editor.selection = new vscode.Selection(from, to);
  }

  before(async () => {
    terminal = vscode.window.createTerminal({ name: 'more tasks', cwd: repo });
    terminal.show();
    // Outside any task, the team adds root-level test files (a JavaScript test.js, a Python tests.py) and commits them.
    const setup = [
      `printf "%s\\n" "const test = require('node:test');" "const assert = require('node:assert');" "const { range } = require('./src/range');" "test('range counts up', () => { assert.deepStrictEqual(range(0, 2), [0, 1, 2]); });" > test.js`,
      `printf "%s\\n" "def span(a, b):" "    return list(range(a, b))" > rangelib.py`,
      `printf "%s\\n" "from rangelib import span" "" "" "def test_nothing():" "    assert span(3, 1) == []" > tests.py`,
      `printf "%s\\n" "__pycache__/" ".pytest_cache/" >> .gitignore`,
      'git add -A && git commit -q -m "Root-level tests"',
    ];
    for (const line of setup) assert.equal(await run(line), 0, line);
  });

  after(() => terminal?.dispose());

  it('plays a task whose new test in test.js fails, then passes with the fix, while the old one keeps passing', async () => {
    nodeTask = (await vscode.commands.executeCommand('codetrail.startTask', {
      title: 'range takes a step',
      description: 'range(0, 4, 2) should give [0, 2, 4]',
    })) as string;
    const tests = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(repo, 'test.js')));
    place(tests, '[0, 1, 2]); });\n');
    await paste(tests, "test('range with a step', () => { assert.deepStrictEqual(range(0, 4, 2), [0, 2, 4]); });\n");
    await save(tests);
    assert.equal(await run('node --test'), 1, 'the new test fails before the fix');
    const code = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(repo, 'src/range.js')));
    place(code, 'function range(start, end');
    await typeText(code, ', step = 1');
    place(code, 'i++', true);
    await typeText(code, 'i += step');
    await save(code);
    assert.equal(await run('node --test'), 0, 'every test passes after the fix');
    assert.equal(await run('git commit -qam "range takes a step"'), 0);
    await flush();
    await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved', note: '' });
    await flush();
  });

  it('plays a pytest task: a new test in tests.py fails, then passes with the fix', async function () {
    if (!hasPytest) this.skip();
    pyTask = (await vscode.commands.executeCommand('codetrail.startTask', {
      title: 'span includes its end',
      description: 'span(2, 2) should be [2]',
    })) as string;
    const tests = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(repo, 'tests.py')));
    place(tests, 'span(3, 1) == []\n');
    await paste(tests, '\n\ndef test_one():\n    assert span(2, 2) == [2]\n');
    await save(tests);
    assert.equal(await run('python3 -m pytest tests.py'), 1, 'the new test fails before the fix');
    const code = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(repo, 'rangelib.py')));
    place(code, 'range(a, b');
    await typeText(code, ' + 1');
    await save(code);
    assert.equal(await run('python3 -m pytest tests.py'), 0, 'the tests pass after the fix');
    assert.equal(await run('git commit -qam "span includes its end"'), 0);
    await flush();
    await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved', note: '' });
    await flush();
  });

  it('exports instances whose test patch is the root-level test file; validate --run-tests accepts them, with PASS_TO_PASS from the runner', async () => {
    for (const id of [nodeTask, ...(pyTask ? [pyTask] : [])]) await codetrailCli('approve', '--store', store, id);
    const out = join(mkdtempSync(join(tmpdir(), 'swebench-more-')), 'out');
    await codetrailCli('export', '--store', store, '--format', 'swebench', '--out', out, '--json');
    const dir = join(out, 'data', 'swebench');
    const rows = () =>
      readdirSync(dir).flatMap((f) =>
        readFileSync(join(dir, f), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, string>),
      );
    const rowOf = (task: string) => rows().find((r) => r.instance_id!.endsWith(`-${task}`))!;
    const exported = rowOf(nodeTask);
    assert.ok(exported, `a row for ${nodeTask}`);
    assert.match(exported.test_patch!, /^diff --git a\/test\.js b\/test\.js/, 'the root-level test.js is the test patch');
    assert.doesNotMatch(exported.patch!, /test\.js/);
    assert.match(exported.patch!, /src\/range\.js/);
    assert.ok((JSON.parse(exported.FAIL_TO_PASS!) as string[]).includes('- range with a step'), exported.FAIL_TO_PASS);
    if (pyTask) {
      const py = rowOf(pyTask);
      assert.match(py.test_patch!, /^diff --git a\/tests\.py b\/tests\.py/);
      assert.match(py.patch!, /rangelib\.py/);
      assert.equal(py.log_parser, 'parse_log_pytest');
    }

    // The tasks started later in the window's session carry the same consent basis as the first.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      tasks: { task_id: string; consent_at: string | null; policy_hash: string | null }[];
    };
    assert.equal(manifest.tasks.length, pyTask ? 3 : 2);
    const bases = new Set(manifest.tasks.map((t) => `${t.consent_at} ${t.policy_hash}`));
    assert.equal(bases.size, 1, [...bases].join(' | '));
    assert.ok(manifest.tasks.every((t) => t.consent_at !== null && t.policy_hash !== null));

    const validated = JSON.parse(await codetrailCli('validate', out, '--repo', repo, '--run-tests', '--json'));
    assert.equal(validated.invalidCount, 0, JSON.stringify(validated.instances));
    assert.equal(validated.validCount, pyTask ? 3 : 2);
    const checked = rowOf(nodeTask);
    assert.deepEqual(JSON.parse(checked.FAIL_TO_PASS!), ['- range with a step']);
    const passToPass = JSON.parse(checked.PASS_TO_PASS!) as string[];
    assert.ok(passToPass.includes('- range counts up'), `the old root-level test keeps passing: ${checked.PASS_TO_PASS}`);
    assert.ok(passToPass.includes('- range includes both ends'), checked.PASS_TO_PASS);
    if (pyTask) {
      const py = rowOf(pyTask);
      assert.deepEqual(JSON.parse(py.FAIL_TO_PASS!), ['tests.py::test_one']);
      assert.deepEqual(JSON.parse(py.PASS_TO_PASS!), ['tests.py::test_nothing']);
    }
  });
});
