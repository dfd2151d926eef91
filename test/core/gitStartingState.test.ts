import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { captureStartingState, sectionPaths, splitSections, unquote, type StartingState, type StartingStateOptions } from '../../src/core/git/startingState';
import { useTempDir } from '../helpers/tmp';
import { commitAll, git, initRepo, write } from '../helpers/gitFixture';

const isExcluded = (p: string) => /(^|\/)\.env/.test(p);
const OPTS: StartingStateOptions = { maxUntrackedBytes: 1000, maxTotalUntrackedBytes: 100_000, isExcluded };
const LATIN1 = (s: string) => Buffer.from(s, 'latin1');
const LONG = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';

/**
 * The proof: a fresh clone at `head` (or a fresh repository when there is none), plus the dirty
 * diff through `git apply`, plus the untracked files, must be the working tree that was captured.
 */
function rebuild(state: StartingState, source: string, into: string): void {
  if (state.head) {
    git(dirname(into), ['clone', '-q', '--no-checkout', source, into]);
    git(into, ['checkout', '-q', '--detach', state.head]);
  } else {
    initRepo(into);
  }
  if (state.dirtyDiff) {
    const patch = join(dirname(into), 'dirty.patch');
    writeFileSync(patch, state.dirtyDiff);
    git(into, ['apply', '--whitespace=nowarn', patch]);
  }
  for (const file of state.untracked) {
    if (file.content === undefined) continue;
    mkdirSync(dirname(join(into, file.path)), { recursive: true });
    if (file.symlink) symlinkSync(file.content, join(into, file.path));
    else writeFileSync(join(into, file.path), file.content);
  }
}

/** Every non-ignored file of a working tree: content (or link target) and executable bit. */
function snapshot(root: string, leaveOut: (p: string) => boolean): Map<string, string> {
  const paths = new Set(git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean));
  const files = new Map<string, string>();
  for (const path of [...paths].sort()) {
    if (leaveOut(path) || path.endsWith('/')) continue;
    const abs = join(root, path);
    if (!existsSync(abs) && !isLink(abs)) continue;
    const info = lstatSync(abs);
    if (info.isSymbolicLink()) files.set(path, `link ${readlinkSync(abs)}`);
    else if (info.isFile()) files.set(path, `${info.mode & 0o111 ? 'x' : '-'} ${readFileSync(abs).toString('base64')}`);
  }
  return files;
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

function assertRebuilds(state: StartingState, root: string, into: string): void {
  rebuild(state, root, into);
  const unreproducible = new Set(state.untracked.filter((f) => f.content === undefined).map((f) => f.path));
  const leaveOut = (p: string) => isExcluded(p) || unreproducible.has(p);
  assert.deepEqual(snapshot(into, leaveOut), snapshot(root, leaveOut));
}

describe('git starting state', () => {
  const tmp = useTempDir();

  it('rebuilds a busy working tree exactly: staged and unstaged, binary, renames, modes, symlinks, odd names', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, '.gitignore', '*.log\nbuild/\n');
    write(root, 'a.txt', 'one\ntwo\nthree\n');
    write(root, 'dir with space/ünï cödé.txt', 'héllo\n');
    write(root, 'bin.dat', Buffer.from([0, 1, 2, 3, 255, 254]));
    write(root, 'del.txt', 'to be deleted\n');
    write(root, 'rename-me.txt', LONG);
    write(root, 'run.sh', 'echo hi\n');
    write(root, 'latin1.txt', LATIN1('café\n'));
    write(root, 'crlf.txt', 'a\r\nb\r\n');
    write(root, 'noeol.txt', 'no newline');
    write(root, '.env', 'TOKEN=old\n');
    symlinkSync('a.txt', join(root, 'link'));
    const head = commitAll(root, 'base');

    write(root, 'a.txt', 'one\nTWO\nthree\n');
    git(root, ['add', 'a.txt']);
    write(root, 'a.txt', 'one\nTWO\nthree\nfour\n'); // staged, then changed again
    write(root, 'dir with space/ünï cödé.txt', 'héllo wörld\n');
    write(root, 'bin.dat', Buffer.from([0, 9, 9, 9, 255]));
    unlinkSync(join(root, 'del.txt'));
    git(root, ['mv', 'rename-me.txt', 'renamed.txt']);
    write(root, 'renamed.txt', LONG + 'one more\n');
    chmodSync(join(root, 'run.sh'), 0o755);
    write(root, 'latin1.txt', LATIN1('café crème\n'));
    write(root, 'crlf.txt', 'a\r\nb changed\r\n');
    write(root, 'noeol.txt', 'still no newline');
    write(root, '.env', 'TOKEN=s3cr3t-value\n');
    unlinkSync(join(root, 'link'));
    symlinkSync('renamed.txt', join(root, 'link'));
    write(root, 'staged-new.txt', 'new and staged\n');
    git(root, ['add', 'staged-new.txt']);
    write(root, 'notes/untracked ü.md', '# notes\n');
    write(root, 'bom.txt', '\ufeffwith a byte-order mark\n');
    write(root, 'empty.txt', '');
    write(root, 'untracked.bin', Buffer.from([0, 0, 1]));
    write(root, 'huge.txt', 'x'.repeat(5000));
    write(root, 'ignored.log', 'ignored\n');
    write(root, 'build/out.js', 'ignored\n');
    write(root, '.env.local', 'KEY=untracked-secret\n');
    symlinkSync('notes', join(root, 'notes-link'));

    const state = await captureStartingState(root, OPTS);
    assert.equal(state.head, head);
    assert.equal(state.branch, 'main');
    assert.equal(state.detached, false);
    assert.equal(state.inProgress, null);
    assert.deepEqual(state.diffOmitted, [{ path: '.env', reason: 'excluded' }]);
    assert.ok(!state.dirtyDiff.includes('s3cr3t'), 'an excluded file never enters the diff');
    assert.match(state.dirtyDiff, /diff --git a\/latin1.txt b\/latin1.txt\n[^]*?GIT binary patch/, 'Latin-1 text travels as a binary patch');
    assert.match(state.dirtyDiff, /rename from rename-me.txt/);

    const byPath = new Map(state.untracked.map((f) => [f.path, f]));
    assert.deepEqual([...byPath.keys()].sort(), ['.env.local', 'bom.txt', 'empty.txt', 'huge.txt', 'notes-link', 'notes/untracked ü.md', 'untracked.bin']);
    assert.deepEqual(byPath.get('.env.local'), { path: '.env.local', size: 21, skipped: 'excluded' });
    assert.deepEqual(byPath.get('huge.txt'), { path: 'huge.txt', size: 5000, skipped: 'too-large' });
    assert.deepEqual(byPath.get('untracked.bin'), { path: 'untracked.bin', size: 3, skipped: 'binary' });
    assert.deepEqual(byPath.get('notes-link'), { path: 'notes-link', size: 5, content: 'notes', symlink: true });
    assert.equal(byPath.get('bom.txt')?.content, '\ufeffwith a byte-order mark\n');
    assert.deepEqual(byPath.get('empty.txt'), { path: 'empty.txt', size: 0, content: '' });

    assertRebuilds(state, root, join(tmp(), 'clone'));
  });

  it('a clean tree gives an empty diff; a detached HEAD has no branch', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'a.txt', 'a\n');
    const first = commitAll(root, 'one');
    write(root, 'a.txt', 'b\n');
    commitAll(root, 'two');
    git(root, ['checkout', '-q', '--detach', first]);
    const state = await captureStartingState(root, OPTS);
    assert.deepEqual(
      { head: state.head, branch: state.branch, detached: state.detached, diff: state.dirtyDiff, untracked: state.untracked },
      { head: first, branch: null, detached: true, diff: '', untracked: [] },
    );
  });

  it('with no commits yet: no head, the branch to be born, and every indexed file as new in the diff', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'staged.txt', 'staged\n');
    write(root, 'sub dir/ü.bin', Buffer.from([0, 1, 2]));
    git(root, ['add', '.']);
    write(root, 'staged.txt', 'staged, then edited\n');
    write(root, 'loose.txt', 'untracked\n');
    const state = await captureStartingState(root, OPTS);
    assert.equal(state.head, null);
    assert.equal(state.branch, 'main');
    assert.equal(state.detached, false);
    assert.match(state.dirtyDiff, /new file mode 100644/);
    assert.deepEqual(
      state.untracked.map((f) => f.path),
      ['loose.txt'],
    );
    assertRebuilds(state, root, join(tmp(), 'clone'));
  });

  it('caps untracked content per file and in total, in git order', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'tracked.txt', 't\n');
    commitAll(root, 'one');
    for (const name of ['a', 'b', 'c', 'd']) write(root, `${name}.txt`, name.repeat(400));
    const state = await captureStartingState(root, { ...OPTS, maxTotalUntrackedBytes: 1000 });
    assert.deepEqual(
      state.untracked.map((f) => [f.path, f.content === undefined ? f.skipped : 'kept']),
      [
        ['a.txt', 'kept'],
        ['b.txt', 'kept'],
        ['c.txt', 'too-large'],
        ['d.txt', 'too-large'],
      ],
    );
  });

  it('names the operation in progress, and a conflicted tree still rebuilds', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'f.txt', 'base\n');
    commitAll(root, 'base');
    git(root, ['checkout', '-q', '-b', 'other']);
    write(root, 'f.txt', 'theirs\n');
    const theirs = commitAll(root, 'theirs');
    git(root, ['checkout', '-q', 'main']);
    write(root, 'f.txt', 'ours\n');
    commitAll(root, 'ours');

    const inProgress = async () => (await captureStartingState(root, OPTS)).inProgress;
    git(root, ['merge', 'other'], {}, true);
    const merging = await captureStartingState(root, OPTS);
    assert.equal(merging.inProgress, 'merge');
    assert.match(merging.dirtyDiff, /\+<<<<<<< HEAD/);
    assertRebuilds(merging, root, join(tmp(), 'clone'));
    git(root, ['merge', '--abort']);

    git(root, ['cherry-pick', theirs], {}, true);
    assert.equal(await inProgress(), 'cherry-pick');
    git(root, ['cherry-pick', '--abort']);

    write(root, 'f.txt', 'ours, then more\n');
    commitAll(root, 'more');
    git(root, ['revert', '--no-edit', 'HEAD~1'], {}, true);
    assert.equal(await inProgress(), 'revert');
    git(root, ['revert', '--abort']);

    git(root, ['rebase', 'other'], {}, true);
    assert.equal(await inProgress(), 'rebase');
    git(root, ['rebase', '--abort']);

    git(root, ['bisect', 'start']);
    assert.equal(await inProgress(), 'bisect');
    git(root, ['bisect', 'reset']);
    assert.equal(await inProgress(), null);
  });

  it('does not trip over submodules or nested repositories', async () => {
    const lib = initRepo(join(tmp(), 'lib'));
    write(lib, 'lib.txt', 'v1\n');
    commitAll(lib, 'lib v1');
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'a.txt', 'a\n');
    git(root, ['submodule', 'add', '-q', lib, 'lib']);
    const head = commitAll(root, 'with submodule');
    write(join(root, 'lib'), 'lib.txt', 'v2\n');
    commitAll(join(root, 'lib'), 'lib v2'); // the submodule moved on...
    write(join(root, 'lib'), 'lib.txt', 'dirty\n'); // ...and is dirty
    write(root, 'a.txt', 'changed\n');
    initRepo(join(root, 'nested'));
    write(root, 'nested/n.txt', 'n\n');

    const state = await captureStartingState(root, OPTS);
    assert.equal(state.head, head);
    assert.match(state.dirtyDiff, /Subproject commit [0-9a-f]{40}\n$/m);
    assert.ok(!state.dirtyDiff.includes('-dirty'));
    assert.deepEqual(state.untracked, [{ path: 'nested/', size: 0, skipped: 'repository' }]);
    assertRebuilds(state, root, join(tmp(), 'clone'));
  });

  it('leaves out excluded files however git spells their names, renames included', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, 'conf "q"\tdir/.env.prod', 'A=1\n');
    write(root, 'ok.txt', LONG);
    commitAll(root, 'base');
    write(root, 'conf "q"\tdir/.env.prod', 'A=2\n');
    git(root, ['mv', 'ok.txt', '.env.moved']);
    const state = await captureStartingState(root, OPTS);
    assert.equal(state.dirtyDiff, '');
    assert.deepEqual(state.diffOmitted.map((o) => o.path).sort(), ['.env.moved', 'conf "q"\tdir/.env.prod', 'ok.txt']);
  });

  it('leaves out, and names, non-UTF-8 text the repository insists on diffing as text', async () => {
    const root = initRepo(join(tmp(), 'repo'));
    write(root, '.gitattributes', 'forced.txt diff\n');
    write(root, 'forced.txt', LATIN1('café\n'));
    write(root, 'plain.txt', LATIN1('café\n'));
    commitAll(root, 'base');
    write(root, 'forced.txt', LATIN1('thé\n'));
    write(root, 'plain.txt', LATIN1('thé\n'));
    const state = await captureStartingState(root, OPTS);
    assert.deepEqual(state.diffOmitted, [{ path: 'forced.txt', reason: 'not-utf8' }]);
    assert.match(state.dirtyDiff, /^diff --git a\/plain.txt b\/plain.txt\n[^]*GIT binary patch/);
  });

  describe('diff sections', () => {
    const section = (text: string) => Buffer.from(text, 'utf8');

    it('reads paths from quoted and unquoted headers', () => {
      assert.deepEqual(sectionPaths(section('diff --git a/x y.txt b/x y.txt\nnew file mode 100644\nindex 0000000..e69de29\n')), ['x y.txt']);
      assert.deepEqual(sectionPaths(section('diff --git "a/caf\\303\\251" "b/caf\\303\\251"\nindex 1..2 100644\nGIT binary patch\n')), ['café']);
      assert.deepEqual(sectionPaths(section('diff --git a/p b/p\nindex 1..2\n--- a/p q\t\n+++ b/p q\t\n@@ -1 +1 @@\n---- a/not a header\n')), ['p q']);
      assert.deepEqual(sectionPaths(section('diff --git "a/q \\"x\\"" "b/q \\"x\\""\n--- "a/q \\"x\\""\t\n+++ "b/q \\"x\\""\t\n@@ -1 +1 @@\n')), ['q "x"']);
      assert.deepEqual(sectionPaths(section('diff --git a/a b/b\nsimilarity index 90%\nrename from a\nrename to "b\\tc"\n')), ['a', 'b\tc']);
      assert.deepEqual(sectionPaths(section('diff --git a/gone b/gone\ndeleted file mode 100644\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n')), ['gone']);
    });

    it('splits only at lines that start a section', () => {
      const diff = Buffer.from('diff --git a/a b/a\n@@ -1 +1 @@\n-diff --git a/x b/x\n+y\ndiff --git a/b b/b\n');
      assert.deepEqual(
        splitSections(diff).map((s) => s.toString().split('\n')[0]),
        ['diff --git a/a b/a', 'diff --git a/b b/b'],
      );
    });

    it('unquotes C-style escapes into UTF-8', () => {
      assert.equal(unquote('"a\\\\b\\"c\\n\\303\\274"'), 'a\\b"c\nü');
      assert.equal(unquote('plain name'), 'plain name');
    });
  });
});
