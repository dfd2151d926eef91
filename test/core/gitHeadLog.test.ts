import { strict as assert } from 'node:assert';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyReflog, parseReflogLine, readNewReflogEntries, type ReflogMove } from '../../src/core/git/headLog';
import { useTempDir } from '../helpers/tmp';
import { commitAll, git, initRepo, write } from '../helpers/gitFixture';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('git HEAD log', () => {
  const tmp = useTempDir();

  describe('parsing a line', () => {
    it('keeps the ids, time and message, and drops who made the move', () => {
      const entry = parseReflogLine(`${A} ${B} Ada <Lovelace> Byron <ada@example.com> 1700000000 -0130\tcommit: fix <the> bug\tnow`);
      assert.deepEqual(entry, { old: A, new: B, time: 1_700_000_000_000, message: 'commit: fix <the> bug\tnow' });
      assert.ok(!JSON.stringify(entry).includes('Ada') && !JSON.stringify(entry).includes('example.com'));
    });

    it('accepts an empty message and SHA-256 ids; rejects what is not a reflog line', () => {
      const long = 'c'.repeat(64);
      assert.deepEqual(parseReflogLine(`${'0'.repeat(64)} ${long} A <a@b> 1 +0000`), { old: '0'.repeat(64), new: long, time: 1000, message: '' });
      assert.equal(parseReflogLine(''), undefined);
      assert.equal(parseReflogLine(`${A} nothex A <a@b> 1 +0000\tcommit: x`), undefined);
      assert.equal(parseReflogLine(`${A} ${B} A <a@b> soon +0000\tcommit: x`), undefined);
    });
  });

  it('classifies the moves real git commands make', async () => {
    const remote = join(tmp(), 'remote.git');
    git(tmp(), ['init', '-q', '--bare', '-b', 'main', remote]);
    const root = initRepo(join(tmp(), 'repo'));
    let offset = 0;
    /** Runs the commands and returns how the reflog lines they appended are classified. */
    const moves = async (...commands: string[][]): Promise<ReflogMove[]> => {
      for (const args of commands) git(root, args, {}, args[0] === 'merge' || args[0] === 'cherry-pick');
      const { entries, nextOffset, restarted } = await readNewReflogEntries(root, offset);
      assert.equal(restarted, false);
      offset = nextOffset;
      return entries.map(classifyReflog);
    };
    const kinds = async (...commands: string[][]) => (await moves(...commands)).map((m) => m.kind);

    write(root, 'f.txt', '1\n');
    git(root, ['add', '.']);
    assert.deepEqual(await kinds(['commit', '-q', '-m', 'first']), ['commit']);
    write(root, 'f.txt', '2\n');
    assert.deepEqual(await kinds(['commit', '-q', '-am', 'second']), ['commit']);
    assert.deepEqual(await kinds(['commit', '-q', '--amend', '-m', 'second, amended']), ['amend']);
    assert.deepEqual(await moves(['checkout', '-q', '-b', 'feature']), [{ kind: 'checkout', from: 'main', to: 'feature' }]);
    write(root, 'g.txt', 'feature\n');
    git(root, ['add', '.']);
    assert.deepEqual(await kinds(['commit', '-q', '-m', 'feature work']), ['commit']);
    assert.deepEqual(await moves(['switch', '-q', 'main']), [{ kind: 'checkout', from: 'feature', to: 'main' }]);
    assert.deepEqual(await kinds(['merge', '-q', 'feature']), ['merge'], 'fast-forward');

    // A merge with a conflict, finished by `git commit`: "commit (merge)".
    git(root, ['checkout', '-q', '-b', 'left']);
    write(root, 'f.txt', 'left\n');
    commitAll(root, 'left');
    git(root, ['checkout', '-q', 'main']);
    write(root, 'f.txt', 'right\n');
    commitAll(root, 'right');
    await moves();
    assert.deepEqual(await kinds(['merge', '-q', 'left']), [], 'a conflict does not move HEAD');
    write(root, 'f.txt', 'resolved\n');
    git(root, ['add', '.']);
    assert.deepEqual(await kinds(['commit', '-q', '--no-edit']), ['merge']);

    // Rebase: start, picks, finish all read as rebase.
    git(root, ['checkout', '-q', '-b', 'topic', 'HEAD~2']);
    write(root, 'h.txt', 'topic\n');
    commitAll(root, 'topic');
    await moves();
    const rebase = await kinds(['rebase', '-q', 'main']);
    assert.ok(rebase.length >= 2 && rebase.every((k) => k === 'rebase'), rebase.join());
    git(root, ['checkout', '-q', 'main']);
    await moves();

    assert.deepEqual(await kinds(['reset', '-q', '--hard', 'HEAD~1']), ['reset']);
    const topic = git(root, ['rev-parse', 'topic']).trim();
    assert.deepEqual(await kinds(['cherry-pick', topic]), ['cherry-pick']);
    assert.deepEqual(await kinds(['revert', '--no-edit', 'HEAD']), ['revert']);

    // Pull from a local bare remote that has moved on.
    git(root, ['remote', 'add', 'origin', remote]);
    git(root, ['push', '-q', '-u', 'origin', 'main']);
    const other = join(tmp(), 'other');
    git(tmp(), ['clone', '-q', remote, other]);
    write(other, 'from-other.txt', 'x\n');
    commitAll(other, 'from elsewhere');
    git(other, ['push', '-q', 'origin', 'main']);
    await moves();
    assert.deepEqual(await kinds(['pull', '-q', '--ff-only']), ['pull']);
    assert.deepEqual(await kinds(['checkout', '-q', '--detach', 'HEAD~1']), ['checkout']);
  });

  it('reads only what was appended, leaves a half-written line for later, and starts over when the log was rewritten', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    assert.deepEqual(await readNewReflogEntries(root, 0), { entries: [], nextOffset: 0, restarted: false }, 'no reflog yet');
    write(root, 'f.txt', '1\n');
    commitAll(root, 'one');
    write(root, 'f.txt', '2\n');
    commitAll(root, 'two');
    const log = join(root, '.git', 'logs', 'HEAD');

    const all = await readNewReflogEntries(root, 0);
    assert.deepEqual(
      all.entries.map((e) => e.message),
      ['commit (initial): one', 'commit: two'],
    );
    assert.equal(all.nextOffset, readFileSync(log).length);

    const half = `${A} ${B} Ada <ada@example.com> 1700000000 +0000\tcheckout: moving from main`;
    appendFileSync(log, half);
    assert.deepEqual(await readNewReflogEntries(root, all.nextOffset), { entries: [], nextOffset: all.nextOffset, restarted: false });
    appendFileSync(log, ' to feature\n');
    const next = await readNewReflogEntries(root, all.nextOffset);
    assert.deepEqual(
      next.entries.map((e) => e.message),
      ['checkout: moving from main to feature'],
    );

    writeFileSync(log, readFileSync(log).subarray(0, all.nextOffset - 10)); // e.g. `git reflog expire`
    const again = await readNewReflogEntries(root, next.nextOffset);
    assert.equal(again.restarted, true);
    assert.deepEqual(
      again.entries.map((e) => e.message),
      ['commit (initial): one'],
    );
  });

  it('finds the log of a linked worktree, where .git is a file', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'f.txt', '1\n');
    commitAll(root, 'one');
    const wt = join(tmp(), 'wt');
    git(root, ['worktree', 'add', '-q', '-b', 'wt-branch', wt]);
    write(wt, 'f.txt', '2\n');
    commitAll(wt, 'in the worktree');
    const { entries } = await readNewReflogEntries(wt, 0);
    assert.deepEqual(entries.map((e) => e.message).at(-1), 'commit: in the worktree');
    const main = await readNewReflogEntries(root, 0);
    assert.ok(!main.entries.some((e) => e.message.includes('in the worktree')));
  });
});
