// Exports carry who wrote what: edit steps keep their origin, commits their authorship, and
// --max-generated leaves out tasks written mostly by something other than the engineer.
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportStore } from '../../src/core/export/exporter';
import { captureSession, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

describe('exports carry authorship', () => {
  const tmp = useTempDir();
  const store = () => join(tmp(), 'store');

  beforeEach(async () => {
    const session = captureSession(store());
    // The engineer types the fix in src/range.js; the new test file is written on disk by a tool.
    await recordRangeTask(session);
    await session.dispose();
  });

  it('trajectory edit steps keep their origin and commits say who wrote their added lines', async () => {
    const out = join(tmp(), 'out');
    await exportStore({ store: store(), out, format: 'trajectories', version: 'test' });
    const dir = join(out, 'data', 'trajectories');
    const [file] = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
    const row = JSON.parse((await readFile(join(dir, file!), 'utf8')).split('\n')[0]!);
    const edits = row.steps.filter((s: { kind: string }) => s.kind === 'edit');
    assert.ok(edits.length > 0);
    for (const s of edits) assert.equal(s.origin, 'typing');
    for (const s of row.steps.filter((s: { kind: string }) => s.kind !== 'edit')) assert.equal(s.origin, null);
    assert.deepEqual(row.commits[0].authored, { added: 2, typed: 1, pasted: 0, completed: 0, agent: 0, tool: 1 });
  });

  it('--max-generated leaves out tasks above the generated share', async () => {
    const low = await exportStore({ store: store(), out: join(tmp(), 'low'), format: 'trajectories', version: 'test', maxGenerated: 0.2 });
    assert.equal(low.tasks, 0);
    assert.equal(low.skippedGenerated, 1);
    const high = await exportStore({ store: store(), out: join(tmp(), 'high'), format: 'trajectories', version: 'test', maxGenerated: 0.5 });
    assert.equal(high.tasks, 1);
    assert.equal(high.skippedGenerated, 0);
  });
});
