import { strict as assert } from 'node:assert';
import { symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { commitsBetween, parseRawNumstat, readBlobs, readCommit } from '../../src/core/git/commits';
import { identityHasher } from '../../src/core/git/identityHash';
import { useTempDir } from '../helpers/tmp';
import { commitAll, git, initRepo, write } from '../helpers/gitFixture';

const hash = identityHasher('test-salt');
const LONG = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';
const AT = (seconds: number) => ({ GIT_AUTHOR_DATE: `${seconds} +0200`, GIT_COMMITTER_DATE: `${seconds} +0200` });

describe('git commits', () => {
  const tmp = useTempDir();

  it('reads the root commit: no parents, every file added, binary counts null', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'a.txt', 'one\ntwo\n');
    write(root, 'dir with space/ü.bin', Buffer.from([0, 1, 2]));
    const sha = commitAll(root, 'first\n\nwith a body\n', AT(1_700_000_000));
    const info = await readCommit(root, sha, hash);
    assert.deepEqual(info, {
      sha,
      parents: [],
      branch: 'main',
      message: 'first\n\nwith a body',
      authorTime: 1_700_000_000_000,
      author: hash('ada@example.com'),
      files: [
        { path: 'a.txt', status: 'A', added: 2, deleted: 0 },
        { path: 'dir with space/ü.bin', status: 'A', added: null, deleted: null },
      ],
    });
    const json = JSON.stringify(info);
    assert.ok(!json.includes('Ada') && !json.toLowerCase().includes('example.com'), 'no raw identity');
  });

  it('reads modifications, deletions, renames, type changes and binary edits', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'keep.txt', 'a\nb\nc\n');
    write(root, 'gone.txt', 'x\n');
    write(root, 'old name.txt', LONG);
    write(root, 'becomes-link', 'target\n');
    write(root, 'img.png', Buffer.from([0, 1, 2]));
    const first = commitAll(root, 'one');
    write(root, 'keep.txt', 'a\nB\nc\nd\n');
    unlinkSync(join(root, 'gone.txt'));
    git(root, ['mv', 'old name.txt', 'new näme.txt']);
    write(root, 'new näme.txt', LONG + 'extra\n');
    unlinkSync(join(root, 'becomes-link'));
    symlinkSync('keep.txt', join(root, 'becomes-link'));
    write(root, 'img.png', Buffer.from([0, 9]));
    const second = commitAll(root, 'two');

    const info = await readCommit(root, second, hash);
    assert.deepEqual(info.parents, [first]);
    const byPath = Object.fromEntries(info.files.map((f) => [f.path, f]));
    assert.deepEqual(byPath['keep.txt'], { path: 'keep.txt', status: 'M', added: 2, deleted: 1 });
    assert.deepEqual(byPath['gone.txt'], { path: 'gone.txt', status: 'D', added: 0, deleted: 1 });
    assert.deepEqual(byPath['new näme.txt'], { path: 'new näme.txt', oldPath: 'old name.txt', status: 'R', added: 1, deleted: 0 });
    assert.equal(byPath['becomes-link']?.status, 'T');
    assert.deepEqual(byPath['img.png'], { path: 'img.png', status: 'M', added: null, deleted: null });
    assert.equal(info.files.length, 5);

    assert.equal((await readCommit(root, first, hash)).branch, null, 'not HEAD: no branch');
    git(root, ['checkout', '-q', '--detach', second]);
    assert.equal((await readCommit(root, second, hash)).branch, null, 'detached: no branch');
  });

  it("lists a merge commit's files against its first parent", async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'base.txt', 'base\n');
    commitAll(root, 'base');
    git(root, ['checkout', '-q', '-b', 'feature']);
    write(root, 'feature.txt', 'feature\n');
    commitAll(root, 'feature');
    git(root, ['checkout', '-q', 'main']);
    write(root, 'main.txt', 'main\n');
    const mainTip = commitAll(root, 'main');
    git(root, ['merge', '-q', '--no-ff', '--no-edit', 'feature']);
    const merge = git(root, ['rev-parse', 'HEAD']).trim();
    const info = await readCommit(root, merge, hash);
    assert.equal(info.parents.length, 2);
    assert.equal(info.parents[0], mainTip);
    assert.deepEqual(info.files, [{ path: 'feature.txt', status: 'A', added: 1, deleted: 0 }]);
  });

  it("reads blobs: text byte for byte, a link's target, null for binary, Latin-1, absent paths and directories", async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'a.txt', 'alpha\r\n');
    write(root, 'dir/ü b.txt', '\ufeffbom\n');
    write(root, 'bin', Buffer.from([0, 1]));
    write(root, 'latin1.txt', Buffer.from('café\n', 'latin1'));
    symlinkSync('a.txt', join(root, 'link'));
    const sha = commitAll(root, 'one');
    write(root, 'a.txt', 'changed later\n');
    commitAll(root, 'two');
    const blobs = await readBlobs(root, sha, ['a.txt', 'dir/ü b.txt', 'bin', 'latin1.txt', 'link', 'missing.txt', 'dir']);
    assert.deepEqual(Object.fromEntries(blobs), {
      'a.txt': 'alpha\r\n',
      'dir/ü b.txt': '\ufeffbom\n',
      bin: null,
      'latin1.txt': null,
      link: 'a.txt',
      'missing.txt': null,
      dir: null,
    });
    await assert.rejects(readBlobs(root, 'f'.repeat(40), ['a.txt']), 'an unknown commit is an error, not "absent"');
  });

  it('lists commits between two points, parents first', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    const shas: string[] = [];
    for (const n of [1, 2, 3]) {
      write(root, 'f.txt', `${n}\n`);
      shas.push(commitAll(root, `c${n}`, AT(1_700_000_000 + n)));
    }
    assert.deepEqual(await commitsBetween(root, null, shas[2]!), shas);
    assert.deepEqual(await commitsBetween(root, shas[0]!, shas[2]!), shas.slice(1));
    assert.deepEqual(await commitsBetween(root, shas[2]!, shas[2]!), []);

    // A side branch whose commit is older than main's: parents still come before children.
    git(root, ['checkout', '-q', '-b', 'side', shas[0]!]);
    write(root, 'side.txt', 'side\n');
    const side = commitAll(root, 'side', AT(1_600_000_000));
    git(root, ['checkout', '-q', 'main']);
    git(root, ['merge', '-q', '--no-edit', 'side'], AT(1_700_000_100));
    const merge = git(root, ['rev-parse', 'HEAD']).trim();
    const between = await commitsBetween(root, shas[0]!, merge);
    assert.equal(between.at(-1), merge);
    assert.deepEqual([...between].sort(), [shas[1]!, shas[2]!, side, merge].sort());
    assert.ok(between.indexOf(shas[1]!) < between.indexOf(shas[2]!));
  });

  it('parses raw and numstat entries together, renames with two paths', () => {
    const out = [
      ':100644 100644 aaaa bbbb M',
      'a b.txt',
      ':100644 100644 cccc dddd R087',
      'from.txt',
      'to.txt',
      ':000000 100644 0000 eeee A',
      'bin',
      '3\t1\ta b.txt',
      '2\t0\t',
      'from.txt',
      'to.txt',
      '-\t-\tbin',
      '',
    ].join('\0');
    assert.deepEqual(parseRawNumstat(out), [
      { path: 'a b.txt', status: 'M', added: 3, deleted: 1 },
      { path: 'to.txt', oldPath: 'from.txt', status: 'R', added: 2, deleted: 0 },
      { path: 'bin', status: 'A', added: null, deleted: null },
    ]);
  });
});
