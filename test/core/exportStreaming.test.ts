// Export reads a store one task at a time and replays each task once, in every format: a task
// left open while another is done (resumed in a later session) is still exported whole, once.
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportStore } from '../../src/core/export/exporter';
import { EXPORT_FORMATS } from '../../src/core/export/formats';
import type { Manifest } from '../../src/core/export/manifest';
import { Replayer } from '../../src/core/replay/replayer';
import { eventsByTask } from '../../src/core/replay/verify';
import { captureSession, recordAroundTask, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

describe('export streams tasks and replays each once', () => {
  const tmp = useTempDir();
  const store = () => join(tmp(), 'store');

  /** Task A is started, B is recorded whole, then A is resumed in a new session and finished. */
  async function interleaved(): Promise<{ a: string; b: string }> {
    const session = captureSession(store());
    let b = '';
    const a = await recordAroundTask(session, async () => void (b = await recordRangeTask(session)));
    return { a, b };
  }

  it('every format: one replay per task, every record of every task exported once', async () => {
    const { a, b } = await interleaved();
    const { tasks } = await eventsByTask(store(), () => undefined);
    assert.equal(new Set(tasks.get(a)!.map((e) => e.session)).size, 2, 'task A spans two sessions');
    const inTasks = tasks.get(a)!.length + tasks.get(b)!.length;

    const apply = Replayer.prototype.apply;
    let applied = 0;
    Replayer.prototype.apply = function (...args) {
      applied += 1;
      return apply.apply(this, args);
    };
    try {
      for (const format of EXPORT_FORMATS) {
        for (const maxGenerated of [undefined, 1]) {
          applied = 0;
          const out = join(tmp(), `out-${format}-${maxGenerated ?? 'all'}`);
          const summary = await exportStore({ store: store(), out, format, version: 'test', ...(maxGenerated === undefined ? {} : { maxGenerated }) });
          assert.equal(summary.tasks, 2, format);
          assert.equal(summary.events, inTasks, format);
          assert.equal(applied, inTasks, `${format}${maxGenerated === undefined ? '' : ' --max-generated'}: one replay per task`);
          const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
          assert.deepEqual(
            manifest.tasks.map((t) => t.task_id),
            [a, b],
            'the manifest lists tasks in the order they start',
          );
        }
      }
    } finally {
      Replayer.prototype.apply = apply;
    }

    // Raw rows: exactly the tasks' records, each once.
    const dir = join(tmp(), 'out-raw-all', 'data', 'raw');
    const ids: string[] = [];
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')))
      for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) if (line) ids.push((JSON.parse(line) as { id: string }).id);
    assert.deepEqual(ids.sort(), [...tasks.get(a)!, ...tasks.get(b)!].map((e) => e.id).sort());
  });
});
