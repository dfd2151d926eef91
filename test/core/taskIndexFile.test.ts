import { strict as assert } from 'node:assert';
import { appendFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { eventsByTask, verifyStore, verifyTask } from '../../src/core/replay/verify';
import { verifyPlannedStore } from '../../src/core/replay/verifyStream';
import { indexStore } from '../../src/core/review/taskIndex';
import { INDEX_FILE, planStore, refreshTaskIndex } from '../../src/core/review/taskIndexFile';
import { rewriteTask } from '../../src/core/review/taskRewrite';
import { summarizeTask, type TaskSummary } from '../../src/core/review/taskSummary';
import { removeRecords } from '../../src/core/store/rewrite';
import { captureSession, recordRangeTask, REPO_ID } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

/** What the view listed before the index: every task of the store replayed from a full read. */
async function fullScan(store: string): Promise<Map<string, TaskSummary>> {
  const { tasks } = await eventsByTask(store, () => undefined);
  const out = new Map<string, TaskSummary>();
  for (const [task, events] of tasks) out.set(task, summarizeTask(task, events, (await verifyTask(task, events)).status));
  return out;
}

async function assertIndexMatchesScan(store: string) {
  const index = await refreshTaskIndex(store);
  assert.deepEqual(Object.fromEntries([...index.tasks].sort()), Object.fromEntries([...(await fullScan(store))].sort()));
  return index;
}

/** One window session recording `n` tasks, closed (its segments compressed) unless `open`. */
async function recordSession(store: string, n: number, { open = false } = {}) {
  const session = captureSession(store);
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(await recordRangeTask(session, { approve: i % 2 === 0 }));
  if (!open) await session.dispose();
  return { session, tasks };
}

describe('task index beside the store', () => {
  const tmp = useTempDir();

  it('is built on first read and then believed: a second refresh reads no segment', async () => {
    await recordSession(tmp(), 3);
    await recordSession(tmp(), 2);
    const first = await assertIndexMatchesScan(tmp());
    assert.equal(first.tasks.size, 5);
    assert.equal(first.refreshed.rebuilt, true);
    const again = await assertIndexMatchesScan(tmp());
    assert.deepEqual(again.refreshed, { segmentsRead: 0, tasksReplayed: 0, rebuilt: false });
    assert.equal((await indexStore(tmp()))[0]!.tasks.length, 5);
  });

  it('reads only what an append changed: the open segment and its tasks', async () => {
    await recordSession(tmp(), 3);
    const { session } = await recordSession(tmp(), 1, { open: true });
    await refreshTaskIndex(tmp());
    const task = await recordRangeTask(session);
    const after = await assertIndexMatchesScan(tmp());
    assert.equal(after.refreshed.segmentsRead, 1);
    assert.equal(after.refreshed.tasksReplayed, 2);
    assert.ok(after.tasks.has(task));
    await session.dispose(); // compressed: the plain segment gone, its .gz new
    assert.equal((await assertIndexMatchesScan(tmp())).tasks.size, 5);
  });

  it('follows rewrites: a deleted task leaves it, a rewritten task is replayed again', async () => {
    const { tasks } = await recordSession(tmp(), 3);
    await refreshTaskIndex(tmp());
    await removeRecords(tmp(), { task: tasks[0]! });
    const afterDelete = await assertIndexMatchesScan(tmp());
    assert.ok(!afterDelete.tasks.has(tasks[0]!));
    assert.equal(afterDelete.tasks.size, 2);
    // Approving through a rewrite flow: the index is brought up to date by the rewrite itself.
    await rewriteTask(tmp(), tasks[1]!, (events) => events.filter((e) => e.kind !== 'task.review'));
    const index = JSON.parse(await readFile(join(tmp(), INDEX_FILE), 'utf8')) as { tasks: Record<string, TaskSummary> };
    assert.equal(index.tasks[tasks[1]!]!.approved, false);
    const afterRewrite = await assertIndexMatchesScan(tmp());
    assert.equal(afterRewrite.refreshed.segmentsRead, 0);
  });

  for (const [name, damage] of [
    ['not JSON', () => '{"v":1,'],
    ['another version', (t: string) => t.replace('"v":1', '"v":2')],
    ['a summary of the wrong shape', (t: string) => t.replace(/"approved":(true|false)/, '"approved":"yes"')],
    [
      'a summary for a task no segment holds',
      (t: string) => {
        const index = JSON.parse(t) as { tasks: Record<string, TaskSummary> };
        index.tasks.t_forged = { ...Object.values(index.tasks)[0]!, task: 't_forged' };
        return JSON.stringify(index);
      },
    ],
  ] as const) {
    it(`is rebuilt, not believed, when it holds ${name}`, async () => {
      await recordSession(tmp(), 2);
      await refreshTaskIndex(tmp());
      const path = join(tmp(), INDEX_FILE);
      const damaged = damage(await readFile(path, 'utf8'));
      await writeFile(path, damaged);
      const index = await assertIndexMatchesScan(tmp());
      assert.equal(index.refreshed.rebuilt, true);
      assert.notEqual(await readFile(path, 'utf8'), damaged);
    });
  }

  it('does not believe an index that came with a copied store (its files are not the ones it saw)', async () => {
    const store = join(tmp(), 'store');
    await recordSession(store, 2);
    await refreshTaskIndex(store);
    // Forged titles in an index that otherwise checks out: the copy's files have other identities.
    const path = join(store, INDEX_FILE);
    await writeFile(path, (await readFile(path, 'utf8')).replaceAll('Make range inclusive', 'Forged'));
    const copy = join(tmp(), 'copy');
    await cp(store, copy, { recursive: true, preserveTimestamps: true });
    const index = await assertIndexMatchesScan(copy);
    assert.ok([...index.tasks.values()].every((t) => t.title === 'Make range inclusive'));
    assert.equal(index.refreshed.tasksReplayed, 2);
  });

  it('equals a full scan after any sequence of appends, deletions, rewrites and damage', async function () {
    this.timeout(120_000);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('session' as const), tasks: fc.integer({ min: 1, max: 3 }), open: fc.boolean() }),
      fc.record({ kind: fc.constant('delete-task' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('delete-session' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('unapprove' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('damage' as const) }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 5 }), async (ops) => {
        const store = join(tmp(), `run${run++}`);
        await mkdir(store);
        const tasks: string[] = [];
        const sessions: string[] = [];
        const open: { dispose(): Promise<void> }[] = [];
        for (const o of ops) {
          if (o.kind === 'session') {
            const { session, tasks: made } = await recordSession(store, o.tasks, { open: o.open });
            tasks.push(...made);
            sessions.push(session.sessionId);
            if (o.open) open.push(session);
          } else if (o.kind === 'damage') {
            await writeFile(join(store, INDEX_FILE), 'x').catch(() => undefined);
          } else if (tasks.length > 0) {
            const task = tasks[o.pick % tasks.length]!;
            if (o.kind === 'delete-task')
              await removeRecords(store, { task }).catch(() => undefined); // refused while a window still writes it
            else if (o.kind === 'delete-session') await removeRecords(store, { session: sessions[o.pick % sessions.length]! }).catch(() => undefined);
            else await rewriteTask(store, task, (events) => events.filter((e) => e.kind !== 'task.review')).catch(() => undefined);
          }
          await assertIndexMatchesScan(store);
        }
        for (const s of open) await s.dispose();
        await assertIndexMatchesScan(store);
      }),
      { numRuns: 25 },
    );
  });

  it('verify over the plan, one task at a time, says what verify over the whole store says', async () => {
    await recordSession(tmp(), 2);
    const { session } = await recordSession(tmp(), 2, { open: true });
    session.record(REPO_ID, 'window.focus', { focused: true }, 'user'); // outside any task
    await session.flush();
    const dir = join(tmp(), 'repos', REPO_ID);
    const plain = (await readdir(dir)).find((n) => n.endsWith('.jsonl'))!;
    await appendFile(join(dir, plain), '{"v":1,"kind":"edit"}\n{"torn');
    await refreshTaskIndex(tmp()); // the plan of one task then comes from the index
    await recordRangeTask(session);
    const whole = await verifyStore(tmp());
    const planned = await verifyPlannedStore(await planStore(tmp()));
    assert.equal(whole.tasks.length, 5);
    assert.ok(whole.summary.eventsOutsideTasks > 0);
    assert.equal(whole.issues.length, 2);
    assert.deepEqual(planned, whole);
    assert.deepEqual(
      await verifyPlannedStore(await planStore(tmp()), { tasks: [whole.tasks[1]!.task] }),
      await verifyStore(tmp(), { tasks: [whole.tasks[1]!.task] }),
    );
    await session.dispose();
  });
});
