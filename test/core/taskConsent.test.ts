// Every task carries its consent basis, not only the task its window's session began with: a
// second task started later in the same session exports the same policy hash and consent time,
// in the manifest, the dataset card and the rows, and merge recomputes them from its records.
import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodetrailError } from '../../src/core/base/errors';
import { exportStore } from '../../src/core/export/exporter';
import { MANIFEST, sealOf, type Manifest } from '../../src/core/export/manifest';
import { mergeExports } from '../../src/core/export/merge';
import type { EventRecord } from '../../src/core/schema/events';
import { readStore } from '../../src/core/store/storeReader';
import { captureSession, recordRangeTask, REPO_ID } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

// What the test helper's capture session stamps on session.start (test/helpers/taskStore.ts).
const POLICY_HASH = 'f'.repeat(64);
const CONSENT_AT = new Date(1_700_000_000_000).toISOString();

describe('two tasks in one session: each carries the consent basis', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  let store: string;
  let first: string;
  let second: string;

  beforeEach(async () => {
    store = join(tmp(), 'store');
    const session = captureSession(store);
    // The session starts before any task: the engineer looks around first.
    session.record(REPO_ID, 'selection', { file: 'src/range.js', kind: 'mouse', selections: [{ anchor: [0, 0], active: [0, 0] }] }, 'user');
    first = await recordRangeTask(session);
    second = await recordRangeTask(session);
    await session.dispose();
  });

  const readManifest = async (dir: string) => JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;

  it('one session, its consent basis restated in each task', async () => {
    const records: EventRecord[] = [];
    for await (const { record } of readStore(store, () => undefined)) records.push(record);
    assert.equal(new Set(records.map((r) => r.session)).size, 1, 'starting a task does not start a new session');
    for (const task of [first, second]) {
      const starts = records.filter((r) => r.task === task && r.kind === 'session.start');
      assert.equal(starts.length, 1, `one session.start in task ${task}`);
      assert.equal(starts[0]!.kind === 'session.start' && starts[0]!.data.reason, 'task');
    }
    assert.equal(records.filter((r) => r.kind === 'session.start' && r.task === null).length, 1, 'the session began outside the tasks');
  });

  it('the manifest, the card and the rows of both tasks carry the policy hash and consent time', async () => {
    const out = join(tmp(), 'trajectories');
    await exportStore({ store, out, format: 'trajectories', version: 'test' });
    const manifest = await readManifest(out);
    assert.deepEqual(
      manifest.tasks.map((t) => [t.task_id, t.policy_hash, t.consent_at]).sort(),
      [first, second].sort().map((id) => [id, POLICY_HASH, CONSENT_AT]),
    );
    const card = await readFile(join(out, 'README.md'), 'utf8');
    assert.match(card, /consent time recorded for 2 of 2 task\(s\), under 1 policy version/);
    const dir = join(out, 'data', 'trajectories');
    const rows = (await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8'))))
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { task_id: string; provenance: { policy_hash: string; consent_at: string } });
    assert.equal(rows.length, 2);
    for (const row of rows) assert.deepEqual([row.provenance.policy_hash, row.provenance.consent_at], [POLICY_HASH, CONSENT_AT], row.task_id);
  });

  it("merge recomputes the second task's consent basis from its records: a manifest that drops it is refused", async () => {
    const out = join(tmp(), 'raw');
    await exportStore({ store, out, format: 'raw', version: 'test' });
    const merged = await mergeExports({ out: join(tmp(), 'merged'), inputs: [out], version: 'test' });
    assert.equal(merged.tasks, 2);
    // A resealed manifest saying the second task has no consent time: its own records contradict it.
    const m = await readManifest(out);
    Object.assign(
      m.tasks.find((t) => t.task_id === second)!,
      { consent_at: null },
    );
    m.seal = sealOf(m);
    await writeFile(join(out, MANIFEST), JSON.stringify(m, null, 2));
    await assert.rejects(
      mergeExports({ out: join(tmp(), 'merged-again'), inputs: [out], version: 'test' }),
      (err: unknown) => err instanceof CodetrailError && err.message.includes(second) && err.message.includes('consent_at') && err.message.includes(CONSENT_AT),
    );
  });
});
