import { strict as assert } from 'node:assert';
import { mkdir, readdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { MAX_NAME_BYTES, relativePathProblem, resolveInside } from '../../src/core/base/confine';
import { CodetrailError } from '../../src/core/base/errors';
import { repoDir } from '../../src/core/store/layout';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { readStore } from '../../src/core/store/storeReader';
import { recoverStore, replaceSegments } from '../../src/core/store/transaction';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

/** Path pieces an attacker would try, mixed with ordinary ones. */
const piece = fc.oneof(
  fc.constantFrom('..', '.', '', 'a', 'repos', REPO, 'link', 'inlink', 'x.jsonl', `${SESSION}-0001.jsonl`, '..\\..\\x', 'C:', 'a\0b', '/etc', '~', '%2e%2e'),
  fc.string({ maxLength: 8 }),
  fc.string({ minLength: MAX_NAME_BYTES + 1, maxLength: MAX_NAME_BYTES + 40 }),
);
const hostilePath = fc
  .tuple(fc.constantFrom('', '/', '//', '\\', 'C:\\'), fc.array(piece, { minLength: 1, maxLength: 6 }), fc.constantFrom('/', '\\'))
  .map(([lead, parts, s]) => lead + parts.join(s));

/** A root holding a link that leads out of it, one that stays inside, and files outside to watch. */
async function layout(base: string) {
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  await mkdir(join(root, 'sub'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'keep.txt'), 'precious');
  await symlink(outside, join(root, 'link'));
  await symlink(join(root, 'sub'), join(root, 'inlink'));
  return { root, outside };
}

describe('confinement of paths named by untrusted input', () => {
  const tmp = useTempDir();

  it('relativePathProblem refuses .., absolute paths, backslashes, NUL and over-long names', () => {
    for (const bad of [
      '..',
      'a/../..',
      '../x',
      '/etc/passwd',
      'C:/x',
      'a\\b',
      '..\\x',
      'a\0b',
      'a//b',
      './a',
      'x'.repeat(MAX_NAME_BYTES + 1),
      'a/'.repeat(3000),
    ]) {
      assert.notEqual(relativePathProblem(bad), undefined, JSON.stringify(bad.slice(0, 30)));
    }
    for (const good of ['a', 'a/b.c', 'CodeStates/0123/src/x.ts', '.hidden/file', 'a..b']) assert.equal(relativePathProblem(good), undefined, good);
  });

  it('property: whatever the path, resolveInside returns a path inside the real root or refuses it', async () => {
    const { root } = await layout(tmp());
    const realRoot = await realpath(root);
    await fc.assert(
      fc.asyncProperty(hostilePath, async (rel) => {
        let landed: string;
        try {
          landed = await resolveInside(root, rel, 'test input');
        } catch (err) {
          assert.ok(err instanceof CodetrailError && err.code === 'bad-input', String(err));
          return;
        }
        const r = relative(realRoot, landed);
        assert.ok(r !== '' && !r.startsWith('..') && !r.startsWith(sep), `${JSON.stringify(rel)} landed at ${landed}`);
        assert.ok(!rel.includes('\0') && !rel.includes('\\') && !rel.split('/').includes('..'));
      }),
      { numRuns: 400 },
    );
  });

  it('a link inside the root that leads out is refused; one that stays inside is allowed', async () => {
    const { root } = await layout(tmp());
    await assert.rejects(resolveInside(root, 'link/keep.txt', 't'), /outside/);
    await assert.rejects(resolveInside(root, 'link/new/deeper.txt', 't'), /outside/);
    assert.equal(await resolveInside(root, 'inlink/a.txt', 't'), join(await realpath(root), 'sub', 'a.txt'));
  });

  it('property: no rewrite journal, however hostile, changes a byte outside the store when the store is read', async () => {
    const base = tmp();
    const { root: store, outside } = await layout(base);
    const writer = new SegmentWriter({ dir: repoDir(store, REPO), sessionId: SESSION });
    writer.append(JSON.stringify(editRecord('a.ts', 'x')));
    await writer.flush();
    await writer.discard();
    await symlink(outside, join(store, 'repos', 'r_out'));
    const entry = fc.record({
      path: fc.oneof(
        hostilePath,
        hostilePath.map((p) => `${store}/${p}`),
        fc.constantFrom(`${store}/repos/r_out/${SESSION}-0001.jsonl`, `${store}/repos/../../outside/keep.txt`, join(outside, 'keep.txt')),
      ),
      temp: fc.oneof(fc.constant(null), hostilePath),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 3 }), async (entries) => {
        await writeFile(join(store, 'rewrite.journal.json'), JSON.stringify({ v: 1, entries }));
        await recoverStore(store).catch((err: unknown) => assert.ok(err instanceof CodetrailError, String(err)));
        assert.deepEqual(await readdir(outside), ['keep.txt']);
        assert.equal(await readFile(join(outside, 'keep.txt'), 'utf8'), 'precious');
      }),
      { numRuns: 150 },
    );
  });

  it('a rewrite through the journal still works (relative entries), and its journal is gone after', async () => {
    const store = tmp();
    const writer = new SegmentWriter({ dir: repoDir(store, REPO), sessionId: SESSION });
    const kept = editRecord('a.ts', 'kept');
    writer.append(JSON.stringify(editRecord('a.ts', 'dropped')));
    writer.append(JSON.stringify(kept));
    await writer.flush();
    await writer.discard();
    const [name] = await readdir(repoDir(store, REPO));
    await replaceSegments(store, [{ path: join(repoDir(store, REPO), name!), lines: [JSON.stringify(kept)] }]);
    const ids = [];
    for await (const r of readStore(store, () => assert.fail('no issue'))) ids.push(r.record.id);
    assert.deepEqual(ids, [kept.id]);
    assert.ok(!(await readdir(store)).includes('rewrite.journal.json'));
  });

  it('the segment writer refuses a repository folder that is a link out of the store', async () => {
    const { root: store, outside } = await layout(tmp());
    await mkdir(join(store, 'repos'));
    await symlink(outside, repoDir(store, REPO));
    const writer = new SegmentWriter({ dir: repoDir(store, REPO), store, sessionId: SESSION });
    writer.append(JSON.stringify(editRecord('a.ts', 'x')));
    await assert.rejects(writer.flush(), /outside the Codetrail store/);
    await writer.discard();
    assert.deepEqual(await readdir(outside), ['keep.txt']);
  });

  it('a writer mark planted as a link is not written through', async () => {
    const { root: store, outside } = await layout(tmp());
    const dir = repoDir(store, REPO);
    await mkdir(dir, { recursive: true });
    await symlink(join(outside, 'keep.txt'), join(dir, `${SESSION}-0000.jsonl.writer`));
    const writer = new SegmentWriter({ dir, store, sessionId: SESSION });
    writer.append(JSON.stringify(editRecord('a.ts', 'x')));
    await writer.flush();
    await writer.discard();
    assert.equal(await readFile(join(outside, 'keep.txt'), 'utf8'), 'precious');
  });
});
