import { strict as assert } from 'node:assert';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodetrailError } from '../../src/core/errors';
import { repoDir } from '../../src/core/store/layout';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { readStore } from '../../src/core/store/storeReader';
import type { ReadIssue } from '../../src/core/store/segmentReader';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { mountTinyDisk } from '../helpers/tinyDisk';

describe('store on a full disk (a real 256 KiB tmpfs)', () => {
  let disk: ReturnType<typeof mountTinyDisk>;
  before(function () {
    disk = mountTinyDisk(256);
    if (!disk) this.skip();
  });
  after(() => disk?.unmount());

  it('fails with store-full, keeps the batch, leaves no torn record, and succeeds once space returns', async () => {
    const store = disk!.path;
    const writer = new SegmentWriter({ dir: repoDir(store, REPO), sessionId: SESSION });
    const first = editRecord('a.ts', 'first');
    writer.append(JSON.stringify(first));
    await writer.flush();
    // Fill the disk with another file, leaving less room than the next batch needs.
    const filler = join(store, 'filler');
    await writeFile(filler, Buffer.alloc(1)).catch(() => undefined);
    for (let size = 128 * 1024; size >= 512; size = Math.floor(size / 2)) {
      await writeFile(join(store, `filler-${size}`), Buffer.alloc(size)).catch(() => undefined);
    }
    const batch = Array.from({ length: 20 }, (_, i) => editRecord('a.ts', `payload ${i} `.repeat(50)));
    for (const r of batch) writer.append(JSON.stringify(r));
    await assert.rejects(writer.flush(), (err: unknown) => err instanceof CodetrailError && err.code === 'store-full');
    assert.equal(writer.pendingCount, batch.length, 'nothing of the failed batch is dropped');

    const issuesWhileFull: ReadIssue[] = [];
    const whileFull = [];
    for await (const r of readStore(store, (i) => issuesWhileFull.push(i))) whileFull.push(r.record);
    assert.deepEqual(whileFull, [first], 'what was written before is intact');
    assert.deepEqual(issuesWhileFull, [], 'no torn record was left behind');

    for (const name of await readdir(store)) if (name.startsWith('filler')) await rm(join(store, name));
    await writer.flush();
    await writer.close();
    const issues: ReadIssue[] = [];
    const all = [];
    for await (const r of readStore(store, (i) => issues.push(i))) all.push(r.record);
    assert.deepEqual(issues, []);
    assert.deepEqual(all, [first, ...batch]);
  });
});
