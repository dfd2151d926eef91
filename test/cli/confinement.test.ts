import { strict as assert } from 'node:assert';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '../../src/core/export/manifest';
import { newUlid } from '../../src/core/base/ids';
import { repoDir } from '../../src/core/store/layout';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { codetrail } from '../helpers/cli';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

/** A store with one segment, next to a file that must survive whatever the store says. */
async function storeNextToVictim(root: string): Promise<{ store: string; victim: string }> {
  const store = join(root, 'store');
  const writer = new SegmentWriter({ dir: repoDir(store, REPO), sessionId: SESSION });
  writer.append(JSON.stringify(editRecord('a.ts', 'x')));
  await writer.flush();
  await writer.discard();
  const victim = join(root, 'victim.txt');
  await writeFile(victim, 'precious');
  return { store, victim };
}

const READ_ONLY = (store: string, out: string): string[][] => [
  ['stats', '--store', store],
  ['verify', '--store', store],
  ['export', '--store', store, '--format', 'raw', '--out', out],
  ['approve', '--store', store, newUlid()],
];

describe('confinement: a hostile store never makes a command touch anything outside it', () => {
  const tmp = useTempDir();

  for (const n of [0, 1, 2, 3]) {
    it(`a rewrite journal naming <store>/repos/../../victim.txt deletes nothing (${['stats', 'verify', 'export', 'approve'][n]})`, async () => {
      const { store, victim } = await storeNextToVictim(tmp());
      // As the issue found it: an absolute path that passes a string-prefix test.
      await writeFile(join(store, 'rewrite.journal.json'), JSON.stringify({ v: 1, entries: [{ path: `${store}/repos/../../victim.txt`, temp: null }] }));
      const args = READ_ONLY(store, join(tmp(), 'out'))[n]!;
      const { code, stderr } = await codetrail(args);
      assert.equal(await readFile(victim, 'utf8'), 'precious');
      assert.equal(code, 3, stderr);
      assert.match(stderr, /outside the store|not a segment/);
    });
  }

  it('a journal naming a segment behind a symbolic link in repos/ deletes nothing behind it', async () => {
    const { store } = await storeNextToVictim(tmp());
    const outside = join(tmp(), 'elsewhere');
    await mkdir(outside);
    const segment = `${SESSION}-0007.jsonl`;
    await writeFile(join(outside, segment), 'precious');
    await symlink(outside, join(store, 'repos', 'r_link'));
    await writeFile(join(store, 'rewrite.journal.json'), JSON.stringify({ v: 1, entries: [{ path: `${store}/repos/r_link/${segment}`, temp: null }] }));
    const { code, stderr } = await codetrail(['stats', '--store', store]);
    assert.equal(await readFile(join(outside, segment), 'utf8'), 'precious');
    assert.equal(code, 3, stderr);
  });

  it('a journal renaming a planted temporary that is a symbolic link is refused', async () => {
    const { store, victim } = await storeNextToVictim(tmp());
    const segment = `${SESSION}-0009.jsonl`;
    await symlink(victim, join(repoDir(store, REPO), `${segment}.rewrite.tmp`));
    await writeFile(
      join(store, 'rewrite.journal.json'),
      JSON.stringify({ v: 1, entries: [{ path: `${store}/repos/${REPO}/${segment}`, temp: `${store}/repos/${REPO}/${segment}.rewrite.tmp` }] }),
    );
    const { code } = await codetrail(['stats', '--store', store]);
    assert.equal(code, 3);
    assert.equal(await readFile(victim, 'utf8'), 'precious');
  });

  it('a segment that is a symbolic link to a file outside is not read', async () => {
    const { store, victim } = await storeNextToVictim(tmp());
    await writeFile(victim, JSON.stringify(editRecord('stolen.ts', 'outside secret')) + '\n');
    await symlink(victim, join(repoDir(store, REPO), `${newUlid()}-0000.jsonl`));
    const { code, stdout } = await codetrail(['stats', '--store', store, '--json']);
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout).eventCount, 1);
  });

  it('merge never reads an export file through a symbolic link (a file outside would end up in the dataset)', async () => {
    const input = join(tmp(), 'export');
    await mkdir(join(input, 'data', 'raw'), { recursive: true });
    const rows = JSON.stringify({ id: 'PRIVATE-ROW' }) + '\n';
    const outsideRows = join(tmp(), 'private.jsonl');
    await writeFile(outsideRows, rows);
    const shard = join(input, 'data', 'raw', 'train-00000-of-00001.jsonl');
    // Sealed, as a sender who knows the format would, over a file with the same bytes the link
    // then replaces: every checksum holds, so the link itself must be what is refused.
    await writeFile(shard, rows);
    await writeManifest(
      input,
      {
        format: 'raw',
        created_at: '2026-01-01T00:00:00.000Z',
        counts: { tasks: 0, rows: 1, events: 1 },
        configs: [{ name: 'raw', split: 'train', files: ['data/raw/train-00000-of-00001.jsonl'] }],
        tasks: [],
      },
      'test',
    );
    await rm(shard);
    await symlink(outsideRows, shard);
    // Either engine: DuckDB reads merge's own copy of the rows, never a path an input names.
    for (const engine of ['builtin', 'duckdb']) {
      const out = join(tmp(), `merged-${engine}`);
      const { code, stdout, stderr } = await codetrail(['merge', out, input, '--engine', engine]);
      assert.equal(code, 3, stderr);
      assert.match(stderr, /symbolic link/);
      assert.doesNotMatch(stdout + stderr, /PRIVATE-ROW/);
      const written = await readdir(out).catch(() => []);
      for (const name of written) assert.doesNotMatch(await readFile(join(out, name), 'utf8').catch(() => ''), /PRIVATE-ROW/);
    }
  });
});
