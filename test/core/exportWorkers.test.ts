// `export --jobs N`: worker threads that each read a chunk of the store and make its rows. The
// export must be the same file for file as one made in a single thread: rows in the same order and
// shards, the same manifest (but for when it was made), the same read problems reported in order.
import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { chunkPlan, ExportWorkers } from '../../src/core/export/exportWorkers';
import { exportStore, type ExportSummary } from '../../src/core/export/exporter';
import { EXPORT_FORMATS } from '../../src/core/export/formats';
import { planStore } from '../../src/core/review/taskIndexFile';
import type { PlannedSegment } from '../../src/core/store/taskStream';
import { captureSession, recordAroundTask, recordRangeTask, REPO_ID } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

/** Every file under `dir` by its path in it; manifest.json without its time and seal (which covers the time). */
async function files(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    let text = await readFile(path, 'utf8');
    if (entry.name === 'manifest.json') {
      const { created_at: _at, seal: _seal, ...rest } = JSON.parse(text) as Record<string, unknown>;
      text = JSON.stringify(rest);
    }
    out.set(relative(dir, path), text);
  }
  return out;
}

const withoutOut = ({ out: _out, ...summary }: ExportSummary) => summary;

describe('export with worker threads (--jobs)', function () {
  // Twelve exports, ten of them starting two worker threads each: seconds on a loaded machine.
  this.timeout(120_000);
  const tmp = useTempDir();
  const store = () => join(tmp(), 'store');

  /**
   * Task A begun, six small tasks (every other one not approved), then A resumed in a later
   * session: A's first and last segments are chunks apart. And a line no reader takes.
   */
  async function manyTasks(): Promise<void> {
    const session = captureSession(store());
    await recordAroundTask(session, async () => {
      for (let i = 0; i < 6; i++) {
        session.endSession('window', 'window');
        await recordRangeTask(session, { approve: i % 2 === 0 });
      }
    });
    // A segment of its own (the others are gzipped) whose one line no reader takes.
    const [first] = await planStore(store());
    const between = first!.segment.sessionId.slice(0, 25) + 'Z';
    await writeFile(join(dirname(first!.segment.path), `${between}-0000.jsonl`), '{"not": "a record"}\n');
  }

  it('every format, approved tasks or all: the same files, summary and read problems as in one thread', async () => {
    await manyTasks();
    const plan = await planStore(store());
    assert.ok(plan.length >= 8, `segments: ${plan.length}`);
    const run = ExportWorkers.prototype.run;
    let chunks = 0;
    ExportWorkers.prototype.run = function (chunk) {
      chunks += 1;
      return run.call(this, chunk);
    };
    try {
      for (const format of EXPORT_FORMATS)
        for (const includeUnapproved of [false, true]) {
          const name = `${format}-${includeUnapproved ? 'all' : 'approved'}`;
          const one = await exportStore({ store: store(), out: join(tmp(), `${name}-0`), format, version: 'test', includeUnapproved, jobs: 0 });
          chunks = 0;
          const two = await exportStore({ store: store(), out: join(tmp(), `${name}-2`), format, version: 'test', includeUnapproved, jobs: 2 });
          // ProgSnap2 writes its code states as it goes: it stays in this thread.
          if (format === 'progsnap2') assert.equal(chunks, 0);
          else assert.ok(chunks >= 4, `${name}: ${chunks} chunks`);
          assert.equal(one.tasks + one.skippedUnapproved, 7, `${name}: every task read`);
          assert.equal(one.issues.length, 1, `${name}: the line no reader takes`);
          assert.deepEqual(withoutOut(two), withoutOut(one), name);
          assert.deepEqual(await files(two.out), await files(one.out), name);
        }
    } finally {
      ExportWorkers.prototype.run = run;
    }
  });

  it('a plan is cut into consecutive chunks covering every segment, each the last segment of enough tasks', () => {
    const segment = (n: number) => ({ repoId: REPO_ID, sessionId: `s${n}`, seq: 0, path: `/nowhere/${n}` });
    const tasks = [['a'], ['a', 'b'], [], ['c'], ['b', 'd'], ['e'], []];
    const plan: PlannedSegment[] = tasks.map((t, i) => ({ segment: segment(i), tasks: new Set(t) }));
    // Tasks end at: a → 1, c → 3, b and d → 4, e → 5.
    assert.deepEqual(chunkPlan(plan, 1), [
      { from: 0, to: 2 },
      { from: 2, to: 4 },
      { from: 4, to: 5 },
      // After the last task's end: nothing to export alone.
      { from: 5, to: 7 },
    ]);
    assert.deepEqual(chunkPlan(plan, 3), [
      { from: 0, to: 5 },
      { from: 5, to: 7 },
    ]);
    assert.deepEqual(chunkPlan(plan, 100), [{ from: 0, to: 7 }]);
    assert.deepEqual(chunkPlan(plan.slice(2, 3), 1), [{ from: 0, to: 1 }]);
    assert.deepEqual(chunkPlan([], 1), []);
  });

  it("a worker's failure fails the export with its message", async () => {
    await manyTasks();
    const plan = await planStore(store());
    // ProgSnap2 makes no JSON rows: a worker given it refuses each chunk.
    const workers = new ExportWorkers(1, { plan, format: 'progsnap2', options: {}, includeUnapproved: false });
    try {
      await assert.rejects(workers.run({ from: 0, to: plan.length }), /does not make JSON rows/);
    } finally {
      await workers.close();
    }
    await assert.rejects(workers.run({ from: 0, to: 1 }), /closed/);
  });
});
