import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { CodetrailError } from '../../src/core/base/errors';
import { repoDir } from '../../src/core/store/layout';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { readStore } from '../../src/core/store/storeReader';
import type { ReadIssue } from '../../src/core/store/segmentReader';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { fillDisk, freeDisk, mountTinyDisk } from '../helpers/tinyDisk';

describe('a full disk (a real 256 KiB tmpfs)', () => {
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
    await fillDisk(store);
    const batch = Array.from({ length: 20 }, (_, i) => editRecord('a.ts', `payload ${i} `.repeat(50)));
    for (const r of batch) writer.append(JSON.stringify(r));
    await assert.rejects(writer.flush(), (err: unknown) => err instanceof CodetrailError && err.code === 'store-full');
    assert.equal(writer.pendingCount, batch.length, 'nothing of the failed batch is dropped');

    const issuesWhileFull: ReadIssue[] = [];
    const whileFull = [];
    for await (const r of readStore(store, (i) => issuesWhileFull.push(i))) whileFull.push(r.record);
    assert.deepEqual(whileFull, [first], 'what was written before is intact');
    assert.deepEqual(issuesWhileFull, [], 'no torn record was left behind');

    await freeDisk(store);
    await writer.flush();
    await writer.close();
    const issues: ReadIssue[] = [];
    const all = [];
    for await (const r of readStore(store, (i) => issues.push(i))) all.push(r.record);
    assert.deepEqual(issues, []);
    assert.deepEqual(all, [first, ...batch]);
  });

  it('pauses recording when the disk fills, keeps what it had, and resumes in a new session when there is room', async () => {
    const { captureSession, REPO_ID } = await import('../helpers/taskStore');
    const store = join(disk!.path, 'store');
    const states: boolean[] = [];
    const session = captureSession(store, (full) => states.push(full));
    const note = (text: string) =>
      session.record(
        REPO_ID,
        'terminal.command',
        { terminal: 't1', commandLine: text, confidence: 'high', cwd: '.', startTs: 1, endTs: 2, exitCode: 0 },
        'user',
      );
    note('before');
    await session.flush();
    const firstSession = session.sessionId;
    // Fill the disk around the store.
    await fillDisk(disk!.path);
    for (let i = 0; i < 50; i++) note(`while filling ${i} ${'x'.repeat(200)}`);
    await assert.rejects(session.flush(), (err: unknown) => err instanceof CodetrailError && err.code === 'store-full');
    assert.equal(session.storeFull, true);
    assert.deepEqual(states, [true]);
    assert.equal(note('while full'), '', 'nothing new is recorded while the disk is full');

    await freeDisk(disk!.path);
    await session.flush();
    assert.deepEqual(states, [true, false]);
    note('after');
    await session.dispose();

    const issues: ReadIssue[] = [];
    const lines = [];
    for await (const r of readStore(store, (i) => issues.push(i))) lines.push(r.record);
    assert.deepEqual(issues, [], 'no torn record');
    const commands = lines.flatMap((r) => (r.kind === 'terminal.command' ? [r.data.commandLine] : []));
    assert.equal(commands[0], 'before');
    assert.equal(commands.filter((c) => c.startsWith('while filling')).length, 50, 'what was buffered when the disk filled is written once there is room');
    assert.ok(!commands.includes('while full'));
    assert.equal(commands.at(-1), 'after');
    const after = lines.find((r) => r.kind === 'terminal.command' && r.data.commandLine === 'after')!;
    assert.notEqual(after.session, firstSession, 'recording resumes in a new session');
  });
});
