// `codetrail validate`: real repositories whose tests sit in a root-level file, a bug fix recorded
// with the runs Codetrail's own parser read from real test output, exported, then each instance
// run for real (node --test, pytest) in a throwaway worktree and graded by the harness's rules.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportStore } from '../../src/core/export/exporter';
import { checkManifest, type Manifest } from '../../src/core/export/manifest';
import { diffBetween } from '../../src/core/git/arrivedWork';
import { parseTestOutput } from '../../src/core/testRuns/parse';
import type { TestRunnerId } from '../../src/core/testRuns/detect';
import { codetrail } from '../helpers/cli';
import { commitAll, git, initRepo, write } from '../helpers/gitFixture';
import { CaptureSession } from '../../src/core/capture/captureSession';
import { newUlid } from '../../src/core/base/ids';
import { Recorder } from '../../src/core/capture/recorder';
import { Redactor } from '../../src/core/redact/storeRedactor';
import { LOG_PARSERS, resolved } from '../../src/core/export/swebenchGrading';
import { END_TEST_OUTPUT, START_TEST_OUTPUT, TESTBED } from '../../src/core/export/swebenchHarness';
import { REPO_ID } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

interface Project {
  files: Record<string, string>;
  /** The test the engineer adds, and the fix. */
  test: [string, string];
  fix: [string, string];
  command: string;
  runner: TestRunnerId;
}

const NODE: Project = {
  files: {
    'src/range.js': 'exports.range = (a, b) => { const out = []; for (let i = a; i < b; i++) out.push(i); return out; };\n',
    'test.js':
      "const test = require('node:test');\nconst assert = require('node:assert');\nconst { range } = require('./src/range');\ntest('range of nothing', () => assert.deepEqual(range(3, 1), []));\n",
  },
  test: ['test.js', "test('range of one', () => assert.deepEqual(range(2, 2), [2]));\n"],
  fix: ['src/range.js', 'exports.range = (a, b) => { const out = []; for (let i = a; i <= b; i++) out.push(i); return out; };\n'],
  command: 'node --test',
  runner: 'node-test',
};

const PYTHON: Project = {
  files: {
    'rangelib.py': 'def span(a, b):\n    return list(range(a, b))\n',
    'tests.py': 'from rangelib import span\n\n\ndef test_nothing():\n    assert span(3, 1) == []\n',
    'requirements.txt': 'pytest\n',
  },
  test: ['tests.py', '\n\ndef test_one():\n    assert span(2, 2) == [2]\n'],
  fix: ['rangelib.py', 'def span(a, b):\n    return list(range(a, b + 1))\n'],
  command: 'python3 -m pytest tests.py',
  runner: 'pytest',
};

const hasPytest = spawnSync('python3', ['-m', 'pytest', '--version']).status === 0;

describe('codetrail validate', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  function run(command: string, cwd: string): string {
    const r = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8' });
    return r.stdout + r.stderr;
  }

  /** Records the engineer's task in `repo` (test first, seen failing by the real runner, then the fix); returns the export. */
  /** A capture session as the extension makes one, under a policy that may publish the repository's name. */
  function captureSession(store: string, repoName?: string): CaptureSession {
    const recorder = new Recorder({ storePath: store, sessionId: newUlid(), contributorId: 'c_0000000000000001' });
    return new CaptureSession(recorder, {
      flushIntervalMs: 60_000,
      idleMs: 60_000,
      sessionInfo: () => ({
        policyHash: 'f'.repeat(64),
        consentAt: 1_700_000_000_000,
        captureLevel: 'full',
        redactionRules: 'test',
        extensionVersion: '0',
        vscodeVersion: '0',
        ...(repoName ? { repoName } : {}),
      }),
      redactor: new Redactor('test-salt'),
    });
  }

  async function recordAndExport(
    p: Project,
    extraFailing: string[] = [],
    { repoName, failingRun = true }: { repoName?: string; failingRun?: boolean } = {},
  ): Promise<{ repo: string; out: string }> {
    const repo = initRepo(join(tmp(), 'repo'));
    for (const [name, text] of Object.entries(p.files)) write(repo, name, text);
    const base = commitAll(repo, 'initial');
    write(repo, p.test[0], p.files[p.test[0]]! + p.test[1]);
    const failing = parseTestOutput(run(p.command, repo), p.runner);
    assert.ok(failing && failing.failingTests.length === 1, `the new test fails before the fix: ${JSON.stringify(failing)}`);
    write(repo, p.fix[0], p.fix[1]);
    const passing = parseTestOutput(run(p.command, repo), p.runner);
    assert.equal(passing?.failed, 0);
    const last = commitAll(repo, 'fix');
    git(repo, ['clean', '-fdxq']);

    const store = join(tmp(), 'store');
    const session = captureSession(store, repoName);
    session.startTask([REPO_ID], { title: 'Include the end', description: 'span(2, 2) should be [2]', auto: false, branch: 'main' });
    session.record(
      REPO_ID,
      'git.state',
      { reason: 'task', head: base, branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [] },
      'system',
    );
    const testRun = (r: NonNullable<typeof failing>, exitCode: number, extra: string[]) =>
      session.record(
        REPO_ID,
        'test.run',
        {
          source: 'terminal',
          command: p.command,
          runner: p.runner,
          exitCode,
          passed: r.passed,
          failed: r.failed + extra.length,
          skipped: r.skipped,
          failingTests: [...r.failingTests, ...extra],
          durationMs: 100,
        },
        'user',
      );
    if (failingRun) testRun(failing, 1, extraFailing);
    testRun(passing!, 0, []);
    session.record(
      REPO_ID,
      'git.commit',
      {
        sha: last,
        parents: [base],
        branch: 'main',
        message: 'fix',
        author: 'p_0000000000000000',
        authorTime: Date.now(),
        baseDiff: (await diffBetween(repo, base, last))!,
        files: [],
      },
      'user',
    );
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    await session.flush();
    await session.dispose();
    const out = join(tmp(), 'export');
    await exportStore({ store, out, format: 'swebench', version: 'test', includeUnapproved: true });
    return { repo, out };
  }

  const rows = (out: string) => {
    const dir = join(out, 'data', 'swebench');
    return readdirSync(dir).flatMap((n) =>
      readFileSync(join(dir, n), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    );
  };
  const manifest = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;

  it("never runs the repository's code unless asked", async () => {
    const { repo, out } = await recordAndExport(NODE);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const r = await codetrail(['validate', out, '--repo', repo]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--run-tests/);
    assert.equal(readFileSync(join(out, 'manifest.json'), 'utf8'), before);
  });

  it("node --test, tests in a root-level test.js: valid, FAIL_TO_PASS and PASS_TO_PASS from the runner's own report", async () => {
    const { repo, out } = await recordAndExport(NODE);
    const [exported] = rows(out);
    assert.match(exported.test_patch, /^diff --git a\/test\.js/, 'the root-level test.js is the test patch');
    const r = await codetrail(['validate', out, '--repo', repo, '--run-tests', '--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [row] = rows(out);
    assert.deepEqual(JSON.parse(row.FAIL_TO_PASS), ['- range of one']);
    assert.deepEqual(JSON.parse(row.PASS_TO_PASS), ['- range of nothing']);
    const env = JSON.parse(row.environment);
    assert.equal(env.runtimes.node, execFileSync('node', ['--version'], { encoding: 'utf8' }).trim(), 'the node that ran the tests');
    const m = manifest(out);
    assert.equal(await checkManifest(out, m), undefined, 'checksums renewed');
    assert.deepEqual([m.validation?.valid, m.validation?.invalid, m.validation?.harness.version], [1, 0, '5.0.2']);
    // The rewritten card still says who wrote the lines: those of the valid row's own authorship.
    const authored = JSON.parse(row.authorship);
    assert.ok(readFileSync(join(out, 'README.md'), 'utf8').includes(`Of the ${authored.added} line(s) the exported tasks' commits added`));
    assert.equal(git(repo, ['worktree', 'list']).trim().split('\n').length, 1, 'the throwaway worktree is gone');
  });

  it('pytest, tests in a root-level tests.py: valid, with pytest ids', async function () {
    if (!hasPytest) this.skip();
    const { repo, out } = await recordAndExport(PYTHON);
    const r = await codetrail(['validate', out, '--repo', repo, '--run-tests', '--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [row] = rows(out);
    assert.equal(row.log_parser, 'parse_log_pytest');
    assert.deepEqual(JSON.parse(row.FAIL_TO_PASS), ['tests.py::test_one']);
    assert.deepEqual(JSON.parse(row.PASS_TO_PASS), ['tests.py::test_nothing']);
    const env = JSON.parse(row.environment);
    assert.match(env.runtimes.pytest, /^pytest \d/);
    assert.deepEqual(Object.keys(env.lockfiles), ['requirements.txt']);
    assert.equal(env.lockfiles['requirements.txt'], createHash('sha256').update('pytest\n').digest('hex'));
  });

  it('an instance whose FAIL_TO_PASS test passes without the fix is removed and listed with why', async () => {
    const { repo, out } = await recordAndExport(NODE, ['range of nothing']);
    assert.deepEqual(JSON.parse(rows(out)[0].FAIL_TO_PASS).sort(), ['- range of nothing', '- range of one']);
    const r = await codetrail(['validate', out, '--repo', repo, '--run-tests', '--json']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(rows(out), []);
    const m = manifest(out);
    assert.equal(m.excluded?.length, 1);
    assert.match(m.excluded![0]!.reason, /^validation: with the test patch alone, FAIL_TO_PASS test\(s\) do not fail: - range of nothing/);
    assert.equal(await checkManifest(out, m), undefined);
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }), '', 'the clone is untouched');
  });

  it('a task whose runs never showed a test failing then passing makes no row, and the manifest says why', async () => {
    const { out } = await recordAndExport(NODE, [], { failingRun: false });
    assert.deepEqual(rows(out), []);
    const m = manifest(out);
    assert.equal(m.excluded?.length, 1);
    assert.match(m.excluded![0]!.reason, /FAIL_TO_PASS would be empty/);
  });

  it('the row has the keys the harness reads, names the published repository, and its eval_script grades as the harness grades', async () => {
    const { repo, out } = await recordAndExport(NODE, [], { repoName: 'acme/range-lib' });
    assert.equal((await codetrail(['validate', out, '--repo', repo, '--run-tests'])).code, 0);
    const [row] = rows(out);
    // swebench/types.py SWEbenchInstance, and what harness/utils.py make_test_spec reads.
    for (const key of [
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
    ]) {
      assert.equal(typeof row[key], 'string', key);
    }
    assert.equal(row.repo, 'acme/range-lib');
    assert.match(row.instance_id, /^acme__range-lib-/);
    assert.doesNotMatch(row.harness_notes, /owner must supply "org\/repo"/);
    assert.equal(row.eval_type, 'pass_and_fail');
    // parse_eval_script drops these two lines; record_test_exit_code needs the end marker on a line of its own.
    const script = row.eval_script.split('\n');
    assert.deepEqual(script.slice(0, 2), ['#!/bin/bash', 'set -uxo pipefail']);
    assert.ok(script.some((l: string) => l.includes(END_TEST_OUTPUT)));

    // As run_evaluation does: the checkout at base_commit, the patch applied (or not), eval.sh run, the log sliced at the markers.
    const grade = (withPatch: boolean) => {
      const dir = join(tmp(), withPatch ? 'gold' : 'none');
      git(tmp(), ['clone', '-q', repo, dir]);
      git(dir, ['checkout', '-q', row.base_commit]);
      if (withPatch) {
        write(dir, '../gold.diff', row.patch);
        git(dir, ['apply', '../gold.diff']);
      }
      const script = row.eval_script.replace(`cd ${TESTBED}`, `cd '${dir}'`);
      // One stream, as `docker exec` gives it: set -x writes the markers to stderr, the runner to stdout.
      const content = spawnSync('bash', ['-c', `exec 2>&1\n${script}`], { encoding: 'utf8' }).stdout;
      assert.ok(content.includes(START_TEST_OUTPUT) && content.includes(END_TEST_OUTPUT), content);
      const sliced = content.split(START_TEST_OUTPUT)[1]!.split(END_TEST_OUTPUT)[0]!;
      return resolved(LOG_PARSERS[row.log_parser]!(sliced), JSON.parse(row.FAIL_TO_PASS), JSON.parse(row.PASS_TO_PASS));
    };
    assert.equal(grade(true), true, 'the gold patch resolves the instance');
    assert.equal(grade(false), false, 'no patch does not');
  });

  it('a hostile export is refused before anything runs: a path outside it, a symbolic link, a tampered row', async () => {
    const { repo, out } = await recordAndExport(NODE);
    const original = readFileSync(join(out, 'manifest.json'), 'utf8');
    const m = JSON.parse(original) as Manifest;
    const shard = m.configs[0]!.files[0]!;
    const attempts: [string, () => void][] = [
      [
        'a config file outside the export',
        () => writeFileSync(join(out, 'manifest.json'), JSON.stringify({ ...m, configs: [{ ...m.configs[0], files: ['../outside.jsonl'] }] })),
      ],
      [
        'a shard replaced by a link',
        () => {
          const text = readFileSync(join(out, shard), 'utf8');
          write(tmp(), 'elsewhere.jsonl', text);
          rmSync(join(out, shard));
          symlinkSync(join(tmp(), 'elsewhere.jsonl'), join(out, shard));
        },
      ],
      [
        'a row edited after export',
        () => writeFileSync(join(out, shard), readFileSync(join(out, shard), 'utf8').replace('node --test', `touch '${join(repo, 'pwned')}'; node --test`)),
      ],
    ];
    const pristine = join(tmp(), 'pristine');
    cpSync(out, pristine, { recursive: true });
    for (const [what, tamper] of attempts) {
      tamper();
      const r = await codetrail(['validate', out, '--repo', repo, '--run-tests', '--json']);
      assert.equal(r.code, 3, `${what}: ${r.stdout} ${r.stderr}`);
      assert.equal(existsSync(join(repo, 'pwned')), false, `${what}: nothing ran`);
      rmSync(out, { recursive: true, force: true });
      cpSync(pristine, out, { recursive: true });
    }
    assert.equal(readFileSync(join(out, 'manifest.json'), 'utf8'), original);
  });
});
