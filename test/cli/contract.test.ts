// The command line's contract, case by case: each reproduction from issue 13 (wrong ids, wrong
// folders, exit codes, --json) runs the built CLI as a user would.
import { strict as assert } from 'node:assert';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newUlid } from '../../src/core/base/ids';
import { repoDir } from '../../src/core/store/layout';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { codetrail } from '../helpers/cli';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { captureSession, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

/** Every key of a JSON value, except the keys of maps keyed by data (counts by kind, task...). */
function keysOf(value: unknown, out: string[] = [], dataKeyed = false): string[] {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!dataKeyed) out.push(k);
      keysOf(v, out, /^by[A-Z]|^replay$/.test(k));
    }
  }
  return out;
}

function assertOneKeyStyle(json: unknown): void {
  for (const key of keysOf(json)) {
    assert.match(key, /^[a-z][a-zA-Z0-9]*$/, `key ${key} is not camelCase`);
  }
}

describe('command-line contract (exit codes, ids, folders, --json)', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  const store = () => join(tmp(), 'store');
  let good: string;
  let unapproved: string;

  beforeEach(async () => {
    const session = captureSession(store());
    good = await recordRangeTask(session, { approve: false });
    unapproved = await recordRangeTask(session, { approve: false });
    await session.dispose();
  });

  async function approvedTasks(): Promise<string[]> {
    const { stdout } = await codetrail(['tasks', '--store', store(), '--json']);
    return (JSON.parse(stdout).tasks as { task: string; approved: boolean }[]).filter((t) => t.approved).map((t) => t.task);
  }

  it('verify --task NOPE is a usage error (exit 2), not a success', async () => {
    const { code, stderr } = await codetrail(['verify', '--store', store(), '--task', 'NOPE']);
    assert.equal(code, 2);
    assert.match(stderr, /not a task id/);
  });

  it('verify --task with a well-formed id that is not in the store is a usage error naming it', async () => {
    const missing = newUlid();
    const { code, stderr } = await codetrail(['verify', '--store', store(), '--task', missing]);
    assert.equal(code, 2);
    assert.match(stderr, new RegExp(`no task ${missing}`));
  });

  it('approve GOOD NOPE approves nothing (all or nothing) and exits 2', async () => {
    const bad = await codetrail(['approve', '--store', store(), good, 'NOPE']);
    assert.equal(bad.code, 2);
    const missing = await codetrail(['approve', '--store', store(), good, newUlid()]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nothing was approved/);
    assert.deepEqual(await approvedTasks(), []);
    const ok = await codetrail(['approve', '--store', store(), good, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { store: store(), action: 'approve', tasks: [good] });
    assert.deepEqual(await approvedTasks(), [good]);
  });

  it('export --store /etc is refused as not a store (exit 3) and writes nothing', async () => {
    const out = join(tmp(), 'out');
    const { code, stdout, stderr } = await codetrail(['export', '--store', '/etc', '--format', 'raw', '--out', out]);
    assert.equal(code, 3);
    assert.equal(stdout, '');
    assert.match(stderr, /\/etc is not a Codetrail store \(a Codetrail store is a folder holding repos\//);
    await assert.rejects(stat(out));
  });

  it('a store made only of unknown-version records is unusable input (exit 3), and no empty dataset is left', async () => {
    const odd = join(tmp(), 'odd');
    const writer = new SegmentWriter({ dir: repoDir(odd, REPO), sessionId: SESSION });
    for (let i = 0; i < 3; i++) writer.append(JSON.stringify({ ...editRecord('a.ts', 'x'), v: 99 }));
    await writer.flush();
    await writer.discard();
    const out = join(tmp(), 'out');
    const { code, stderr } = await codetrail(['export', '--store', odd, '--format', 'raw', '--out', out]);
    assert.equal(code, 3, stderr);
    assert.match(stderr, /holds no record this version of codetrail can read/);
    await assert.rejects(stat(out));
    assert.equal((await codetrail(['stats', '--store', odd])).code, 3);
  });

  it('a file given as the store says what a store is, without internal file or system error names (exit 3)', async () => {
    const file = join(tmp(), 'file');
    await writeFile(file, 'x');
    for (const command of ['stats', 'verify', 'tasks']) {
      const { code, stderr } = await codetrail([command, '--store', file]);
      assert.equal(code, 3, command);
      assert.match(stderr, /is a file, not a Codetrail store/);
      assert.doesNotMatch(stderr, /ENOTDIR|rewrite\.journal|journal\.json|at .*\.js:\d+/);
    }
  });

  it("verify --repo /nope is a usage error in our words, not the git library's (exit 2)", async () => {
    const { code, stderr } = await codetrail(['verify', '--store', store(), '--repo', '/nope']);
    assert.equal(code, 2);
    assert.match(stderr, /--repo \/nope: no such folder/);
    assert.doesNotMatch(stderr, /simple-git|GitError|ENOENT/i);
  });

  it('export --out inside the store is refused (exit 2) and nothing is written into the store', async () => {
    const before = await readdir(store());
    const { code, stderr } = await codetrail(['export', '--store', store(), '--format', 'raw', '--out', join(store(), 'export'), '--include', 'unapproved']);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /overlaps the store/);
    assert.deepEqual(await readdir(store()), before);
  });

  it('export --max-generated 5 and --jobs -1 are refused while parsing (exit 2), nothing written', async () => {
    for (const [flag, value, says] of [
      ['--max-generated', '5', /--max-generated takes a share from 0 to 1, not 5/],
      ['--jobs', '-1', /--jobs takes a whole number from 0 to 64, not -1/],
    ] as const) {
      const out = join(tmp(), `refused${flag}`);
      const { code, stderr } = await codetrail(['export', '--store', store(), '--format', 'raw', '--out', out, flag, value]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, says);
      await assert.rejects(stat(out));
    }
  });

  it('export --jobs 2 (worker threads, started from the bundle) writes the rows --jobs 0 writes', async () => {
    const rows = async (jobs: string) => {
      const out = join(tmp(), `jobs${jobs}`);
      const { code, stderr } = await codetrail([
        'export',
        '--store',
        store(),
        '--format',
        'trajectories',
        '--out',
        out,
        '--include',
        'unapproved',
        '--jobs',
        jobs,
      ]);
      assert.equal(code, 0, stderr);
      const dir = join(out, 'data', 'trajectories');
      return Promise.all((await readdir(dir)).sort().map((name) => readFile(join(dir, name), 'utf8')));
    };
    const one = await rows('0');
    assert.ok(one.join('').length > 0);
    assert.deepEqual(await rows('2'), one);
  });

  it('merge --shard-rows 0 is refused while parsing (exit 2); so is merging an export with itself', async () => {
    const exp = join(tmp(), 'exp');
    assert.equal((await codetrail(['export', '--store', store(), '--format', 'raw', '--out', exp, '--include', 'unapproved'])).code, 0);
    const zero = await codetrail(['merge', join(tmp(), 'm0'), exp, '--shard-rows', '0']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--shard-rows.*at least 1/);
    await assert.rejects(stat(join(tmp(), 'm0')));
    const twice = await codetrail(['merge', join(tmp(), 'm1'), exp, `${exp}/`]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /given twice/);
    const fine = await codetrail(['merge', join(tmp(), 'm2'), exp, '--json']);
    assert.equal(fine.code, 0, fine.stderr);
    assertOneKeyStyle(JSON.parse(fine.stdout));
  });

  it('--json: every command speaks camelCase, counts are <noun>Count and plural keys are lists', async () => {
    const out = join(tmp(), 'exp');
    const runs = [
      ['stats', '--store', store(), '--json'],
      ['verify', '--store', store(), '--json'],
      ['tasks', '--store', store(), '--json'],
      ['where', '--store', store(), '--json'],
      ['export', '--store', store(), '--format', 'trajectories', '--out', out, '--include', 'unapproved', '--json'],
      ['audit', '--store', out, '--json'],
      ['approve', '--store', store(), unapproved, '--withdraw', '--json'],
    ];
    for (const args of runs) {
      const { code, stdout, stderr } = await codetrail(args);
      assert.ok(code === 0 || (args[0] === 'audit' && code === 1), `${args[0]}: ${code} ${stderr}`);
      const json = JSON.parse(stdout);
      assertOneKeyStyle(json);
      for (const [k, v] of Object.entries(json)) {
        if (/Count$/.test(k)) assert.equal(typeof v, 'number', `${args[0]}.${k}`);
        if (['tasks', 'issues', 'findings', 'files'].includes(k)) assert.ok(Array.isArray(v), `${args[0]}.${k} is a list`);
      }
    }
    const redacted = await codetrail(['redact', '--json'], { input: 'token ghp_' + 'a'.repeat(36) });
    assertOneKeyStyle(JSON.parse(redacted.stdout));
  });

  it('under --json, errors are one JSON object on stderr with the exit code of the table', async () => {
    const cases: [string[], number, string][] = [
      [['stats', '--store', join(tmp(), 'nope'), '--json'], 3, 'bad-input'],
      [['verify', '--store', store(), '--task', 'NOPE', '--json'], 2, 'usage'],
      [['export', '--store', store(), '--json'], 2, 'usage'],
      [['stats', '--bogus', '--json'], 2, 'usage'],
    ];
    for (const [args, exitCode, name] of cases) {
      const { code, stdout, stderr } = await codetrail(args);
      assert.equal(code, exitCode, args.join(' '));
      assert.equal(stdout, '');
      const { error } = JSON.parse(stderr);
      assert.equal(error.exitCode, exitCode);
      assert.equal(error.code, name);
      assert.equal(typeof error.message, 'string');
    }
  });

  it('the exit-code table: 0 success, 1 findings, 2 command line, 3 unusable input', async () => {
    assert.equal((await codetrail(['stats', '--store', store()])).code, 0);
    assert.equal((await codetrail(['stats'], { env: { ...process.env, CODETRAIL_STORE: store() } })).code, 0);
    assert.equal((await codetrail(['nosuchcommand'])).code, 2);
    assert.equal((await codetrail(['export', '--store', store(), '--format', 'nope', '--out', join(tmp(), 'o')])).code, 2);
    assert.equal((await codetrail(['stats', '--store', join(tmp(), 'missing')])).code, 3);
    const exp = join(tmp(), 'secret-export');
    await mkdir(exp);
    await writeFile(join(exp, 'notes.txt'), `key ghp_${'b'.repeat(36)}\n`);
    assert.equal((await codetrail(['audit', '--store', exp])).code, 1);
  });

  it('CODETRAIL_STORE is the store when --store is not given; `where` says so and why', async () => {
    const env = { ...process.env, CODETRAIL_STORE: store() };
    const { code, stdout } = await codetrail(['where', '--json'], { env });
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), {
      store: store(),
      source: 'environment',
      reason: 'from the environment variable CODETRAIL_STORE',
      isStore: true,
      problem: null,
    });
    const tasks = await codetrail(['tasks'], { env });
    assert.equal(tasks.code, 0);
    assert.match(tasks.stdout, new RegExp(`${good}.*open.*exact|${good}`));
    assert.match(tasks.stdout, /TASK +STARTED/);
  });

  it('without --store or CODETRAIL_STORE the store is looked for where the extension writes it', async () => {
    const home = join(tmp(), 'home');
    const defaultStore = join(home, '.local', 'share', 'code-server', 'User', 'globalStorage', 'codetrail.codetrail', 'store');
    await mkdir(join(defaultStore, 'repos'), { recursive: true });
    const env = { ...process.env, HOME: home, CODETRAIL_STORE: '', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '' };
    const { code, stdout } = await codetrail(['where', '--json'], { env });
    assert.equal(code, 0);
    const where = JSON.parse(stdout);
    assert.equal(where.store, defaultStore);
    assert.equal(where.source, 'default');
    assert.match(where.reason, /code-server/);
  });
});
