// Work that arrives from others during a task (pull, fetch + merge, rebase, cherry-pick), in real
// git repositories: it moves the task's base, and exports carry only the engineer's own changes.
// Each HEAD move is read from the real reflog and handled as GitCapture handles it.
import { strict as assert } from 'node:assert';
import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { arrivedWork, diffBetween, engineerIdentity, mayBringOthersWork, type Arrival } from '../../src/core/git/arrivedWork';
import { classifyReflog, readNewReflogEntries } from '../../src/core/git/headLog';
import { identityHasher } from '../../src/core/git/identityHash';
import { exportStore } from '../../src/core/export/exporter';
import { commitAll, git, initRepo, write } from '../helpers/gitFixture';
import { captureSession, REPO_ID } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

const hash = identityHasher('test-salt');
const ENGINEER = { GIT_AUTHOR_NAME: 'Eng', GIT_AUTHOR_EMAIL: 'eng@example.com', GIT_COMMITTER_NAME: 'Eng', GIT_COMMITTER_EMAIL: 'eng@example.com' };
const BUGGY = 'exports.range = (a, b) => { const out = []; for (let i = a; i < b; i++) out.push(i); return out; };\n';
const FIXED = BUGGY.replace('i < b', 'i <= b');
const TESTS =
  "const test = require('node:test');\nconst assert = require('node:assert');\nconst { range } = require('./src/range');\ntest('range of two', () => assert.deepEqual(range(1, 2), [1, 2]));\n";
const NEW_TEST = "test('range of one', () => assert.deepEqual(range(2, 2), [2]));\n";
const UPSTREAM_LINE = 'Upstream docs line, written by someone else.';

interface Move {
  kind: string;
  old: string;
  new: string;
  message: string;
  arrived: Arrival | undefined;
  /** The task's base after this move. */
  base: string;
}

describe("others' work arriving during a task", () => {
  const tmp = useTempDir();
  let upstream: string;
  let clone: string;
  let base: string;
  let offset: number;

  beforeEach(() => {
    upstream = initRepo(join(tmp(), 'upstream'));
    write(upstream, 'src/range.js', BUGGY);
    write(upstream, 'test.js', TESTS);
    write(upstream, 'README.md', '# range\n');
    base = commitAll(upstream, 'initial');
    clone = join(tmp(), 'clone');
    git(tmp(), ['clone', '-q', upstream, clone]);
    git(clone, ['config', 'user.name', 'Eng']);
    git(clone, ['config', 'user.email', 'eng@example.com']);
    git(clone, ['config', 'pull.rebase', 'false']);
    offset = statSync(join(clone, '.git', 'logs', 'HEAD')).size;
  });

  const engineerCommits = (file: string, text: string, message: string) => {
    write(clone, file, text);
    return commitAll(clone, message, ENGINEER);
  };
  const upstreamCommits = () => {
    write(upstream, 'README.md', `# range\n\n${UPSTREAM_LINE}\n`);
    return commitAll(upstream, 'docs');
  };

  /** The HEAD moves since the task started, each with what GitCapture would find arrived. */
  async function moves(): Promise<Move[]> {
    const engineer = await engineerIdentity(clone, hash);
    assert.equal(engineer, hash('eng@example.com'));
    const { entries } = await readNewReflogEntries(clone, offset);
    const out: Move[] = [];
    let current = base;
    for (const entry of entries) {
      const kind = classifyReflog(entry).kind;
      const arrived = mayBringOthersWork(kind) ? await arrivedWork(clone, { from: entry.old, to: entry.new, base: current }, engineer!, hash) : undefined;
      if (arrived?.base) current = arrived.base;
      out.push({ kind, old: entry.old, new: entry.new, message: entry.message, arrived, base: current });
    }
    return out;
  }

  it("git pull (a merge): the base moves to the upstream commit; the later diff holds only the engineer's changes", async () => {
    engineerCommits('src/range.js', FIXED, 'fix');
    const docs = upstreamCommits();
    git(clone, ['pull', '-q', '--no-edit'], ENGINEER);
    const last = engineerCommits('test.js', TESTS + NEW_TEST, 'test');
    const m = await moves();
    const pull = m.find((x) => x.kind === 'pull');
    assert.deepEqual(pull?.arrived, { commits: 1, base: docs });
    const diff = (await diffBetween(clone, m.at(-1)!.base, last))!;
    assert.match(diff, /i <= b/);
    assert.match(diff, /range of one/);
    assert.doesNotMatch(diff, /Upstream docs line/);
    assert.match((await diffBetween(clone, base, last))!, /Upstream docs line/, 'against the first base the upstream change would be in');
  });

  it("git pull --rebase: the base moves at the rebase start; the engineer's replayed commits are theirs", async () => {
    engineerCommits('src/range.js', FIXED, 'fix');
    const docs = upstreamCommits();
    git(clone, ['pull', '-q', '--rebase'], ENGINEER);
    const m = await moves();
    const arrivals = m.filter((x) => x.arrived);
    assert.equal(arrivals.length, 1, JSON.stringify(m));
    assert.deepEqual(arrivals[0]!.arrived, { commits: 1, base: docs });
    assert.match(arrivals[0]!.message, /^pull .*--rebase \(start\)/);
    const diff = (await diffBetween(clone, m.at(-1)!.base, git(clone, ['rev-parse', 'HEAD']).trim()))!;
    assert.match(diff, /i <= b/);
    assert.doesNotMatch(diff, /Upstream docs line/);
  });

  it('fetch + merge (fast-forward) before the engineer commits: the base is the fetched commit', async () => {
    const docs = upstreamCommits();
    git(clone, ['fetch', '-q']);
    git(clone, ['merge', '-q', 'origin/main']);
    const m = await moves();
    assert.deepEqual(
      m.map((x) => [x.kind, x.arrived]),
      [['merge', { commits: 1, base: docs }]],
    );
  });

  it("cherry-picking someone else's commit on top of the engineer's: marked, and not split off", async () => {
    engineerCommits('src/range.js', FIXED, 'fix');
    const docs = upstreamCommits();
    git(clone, ['fetch', '-q']);
    git(clone, ['cherry-pick', docs], ENGINEER);
    const m = await moves();
    const pick = m.find((x) => x.kind === 'cherry-pick');
    assert.deepEqual(pick?.arrived, { commits: 1, base: null });
    assert.equal(pick?.base, base, 'the base stays where it was');
  });

  it("the engineer's own commits pulled from elsewhere are not others' work", async () => {
    const other = join(tmp(), 'laptop');
    git(tmp(), ['clone', '-q', upstream, other]);
    write(other, 'src/range.js', FIXED);
    commitAll(other, 'fix on the laptop', ENGINEER);
    git(clone, ['pull', '-q', other, 'main']);
    const m = await moves();
    assert.deepEqual(
      m.map((x) => [x.kind, x.arrived]),
      [['pull', undefined]],
    );
  });

  it("a task that pulls an upstream commit mid-way exports patches without that commit's changes", async () => {
    const fix = engineerCommits('src/range.js', FIXED, 'fix');
    const docs = upstreamCommits();
    git(clone, ['pull', '-q', '--no-edit'], ENGINEER);
    const last = engineerCommits('test.js', TESTS + NEW_TEST, 'test');
    const m = await moves();

    // The records GitCapture writes for these moves, around a failing and a passing test run.
    const store = join(tmp(), 'store');
    const session = captureSession(store);
    const taskId = session.startTask([REPO_ID], { title: 'Make range inclusive', description: 'range(2, 2) should be [2]', auto: false, branch: 'main' });
    session.record(
      REPO_ID,
      'git.state',
      { reason: 'task', head: base, branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [] },
      'system',
    );
    let current = base;
    for (const move of m) {
      if (move.kind === 'commit') {
        const baseDiff = (await diffBetween(clone, current, move.new))!;
        session.record(
          REPO_ID,
          'git.commit',
          {
            sha: move.new,
            parents: [move.old],
            branch: 'main',
            message: move.message,
            author: hash('eng@example.com'),
            authorTime: Date.now(),
            baseDiff,
            files: [],
          },
          'user',
        );
      } else {
        session.record(
          REPO_ID,
          'git.head',
          { kind: move.kind as 'pull', from: move.old, to: move.new, message: move.message, ...(move.arrived ? { arrived: move.arrived } : {}) },
          'user',
        );
      }
      current = move.base;
      if (move.new === fix) {
        session.record(
          REPO_ID,
          'test.run',
          {
            source: 'terminal',
            command: 'node --test',
            runner: 'node-test',
            exitCode: 1,
            passed: 1,
            failed: 1,
            skipped: 0,
            failingTests: ['range of one'],
            durationMs: 100,
          },
          'user',
        );
      }
    }
    session.record(
      REPO_ID,
      'test.run',
      { source: 'terminal', command: 'node --test', runner: 'node-test', exitCode: 0, passed: 2, failed: 0, skipped: 0, failingTests: [], durationMs: 100 },
      'user',
    );
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    await session.flush();
    await session.dispose();

    const out = async (format: 'swebench' | 'trajectories') => {
      const dir = join(tmp(), `out-${format}`);
      await exportStore({ store, out: dir, format, version: 'test', includeUnapproved: true });
      const shard = (await readdir(join(dir, 'data', format))).find((n) => n.endsWith('.jsonl'))!;
      return JSON.parse((await readFile(join(dir, 'data', format, shard), 'utf8')).trim().split('\n')[0]!);
    };
    const trajectory = await out('trajectories');
    assert.equal(trajectory.task_id, taskId);
    assert.equal(trajectory.base_commit, base);
    assert.equal(trajectory.patch_base_commit, docs);
    assert.deepEqual(
      trajectory.arrived.map((a: { kind: string; commits: number; base: string }) => [a.kind, a.commits, a.base]),
      [['pull', 1, docs]],
    );
    assert.ok(
      trajectory.steps.some((s: { kind: string; detail: string }) => s.kind === 'git' && /1 commit\(s\) by others arrived/.test(s.detail)),
      'the pull is marked in the steps',
    );
    assert.doesNotMatch(trajectory.final_patch, /Upstream docs line/);

    const row = await out('swebench');
    assert.equal(row.base_commit, docs);
    assert.doesNotMatch(row.patch + row.test_patch, /Upstream docs line/);
    assert.match(row.patch, /i <= b/);
    assert.match(row.test_patch, /range of one/, 'the root-level test.js is the test patch');
    // Both patches apply at base_commit and rebuild the engineer's last commit exactly.
    const check = join(tmp(), 'check');
    git(tmp(), ['clone', '-q', clone, check]);
    git(check, ['checkout', '-q', row.base_commit]);
    write(check, '.p1', row.patch);
    write(check, '.p2', row.test_patch);
    git(check, ['apply', '.p1']);
    git(check, ['apply', '.p2']);
    assert.equal(git(check, ['diff', '--stat', last, '--', 'src', 'test.js', 'README.md']).trim(), '');
  });
});
