import { strict as assert } from 'node:assert';
import { readdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { newUlid } from '../../src/core/base/ids';
import { repoDir } from '../../src/core/store/layout';
import { enforceRetention } from '../../src/core/store/retention';
import { removeRecords } from '../../src/core/store/rewrite';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { readStore } from '../../src/core/store/storeReader';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

async function all(store: string) {
  const out = [];
  for await (const r of readStore(store, () => assert.fail('no read issue expected'))) out.push(r.record);
  return out;
}

/** Every byte under the store, decompressed. */
async function bytes(store: string): Promise<string> {
  const dir = repoDir(store, REPO);
  let text = '';
  for (const name of await readdir(dir)) {
    const raw = await readFile(join(dir, name));
    text += name.endsWith('.gz') ? gunzipSync(raw).toString() : raw.toString();
  }
  return text;
}

describe('deleting recordings for good', () => {
  const tmp = useTempDir();

  it('removes a task from plain and compressed segments; the bytes are gone and the rest is intact', async () => {
    const task = newUlid();
    const writer = new SegmentWriter({ dir: repoDir(tmp(), REPO), sessionId: SESSION, rotateBytes: 400 });
    const keep = [];
    for (let i = 0; i < 12; i++) {
      const inTask = i % 3 === 0;
      const r = editRecord('a.ts', inTask ? `SECRETWORD${i}` : `kept ${i}`, { task: inTask ? task : null });
      if (!inTask) keep.push(r);
      writer.append(JSON.stringify(r));
      await writer.flush();
    }
    await writer.close();
    assert.ok(
      (await readdir(repoDir(tmp(), REPO))).some((n) => n.endsWith('.gz')),
      'some segments are compressed',
    );
    const report = await removeRecords(tmp(), { task });
    assert.equal(report.recordsRemoved, 4);
    assert.deepEqual(await all(tmp()), keep);
    assert.ok(!(await bytes(tmp())).includes('SECRETWORD'));
    assert.ok(!(await readdir(repoDir(tmp(), REPO))).some((n) => n.includes('.tmp')));
  });

  it('a writer reopened for the same session never appends to a rewritten or compressed segment', async () => {
    const dir = repoDir(tmp(), REPO);
    const first = new SegmentWriter({ dir, sessionId: SESSION, rotateBytes: 10 });
    first.append(JSON.stringify(editRecord('a.ts', 'one')));
    await first.close();
    const again = new SegmentWriter({ dir, sessionId: SESSION });
    again.append(JSON.stringify(editRecord('a.ts', 'two')));
    await again.close();
    const names = (await readdir(dir)).sort();
    assert.equal(names.length, 2, names.join(', '));
    assert.equal((await all(tmp())).length, 2);
  });

  it('retention deletes segments older than the shortest applicable limit', async () => {
    const dir = repoDir(tmp(), REPO);
    const old = new SegmentWriter({ dir, sessionId: newUlid() });
    old.append(JSON.stringify(editRecord('a.ts', 'old')));
    await old.close();
    const fresh = new SegmentWriter({ dir, sessionId: newUlid() });
    fresh.append(JSON.stringify(editRecord('a.ts', 'fresh')));
    await fresh.close();
    const [oldName] = (await readdir(dir)).sort();
    const tenDaysAgo = (Date.now() - 10 * 86_400_000) / 1000;
    await utimes(join(dir, oldName!), tenDaysAgo, tenDaysAgo);
    assert.deepEqual(await enforceRetention(tmp(), [{ repoId: REPO, maxAgeDays: 30 }]), []);
    assert.deepEqual(await enforceRetention(tmp(), [{ repoId: 'r_ffffffffffffffff', maxAgeDays: 1 }]), [], 'another repository’s rule does not apply');
    const deleted = await enforceRetention(tmp(), [{ repoId: REPO, maxAgeDays: 30 }, { maxAgeDays: 7 }]);
    assert.deepEqual(deleted, [join(dir, oldName!)]);
    assert.deepEqual(
      (await all(tmp())).map((r) => r.kind === 'edit' && r.data.changes[0]!.text),
      ['fresh'],
    );
  });
});
