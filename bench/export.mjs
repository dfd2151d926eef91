// Export throughput against plain reading and parsing of the same store, measured in one run.
// Usage: npm run compile-tests && node bench/export.mjs [tasks] [store]
//   store: generate into this folder and keep it, or reuse it when it holds a store (before/after runs on one store)
// Prints one JSON line per measurement: events per second, the ratio to the baseline, replays per
// event (Replayer.apply calls per record in a task: 1 is one replay) and the peak heap growth.
// On a loaded machine wall times swing several-fold between runs: the ratio of CPU times (this
// process's user + system) is the steadier figure.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiled as out, countReplays, seededRandom, timed } from './lib.mjs';

const { captureSession, SimDoc, REPO_ID } = out('test/helpers/taskStore.js');
const { readStore } = out('src/core/store/storeReader.js');
const { exportStore } = out('src/core/export/exporter.js');
const { EXPORT_FORMATS } = out('src/core/export/formats.js');
const replays = countReplays();

const TASKS = Number(process.argv[2] ?? 200);
const dir = await mkdtemp(join(tmpdir(), 'codetrail-bench-export-'));
const store = process.argv[3] ?? join(dir, 'store');

// A synthetic but realistic store: per task, a file typed into in bursts, cursor moves, test runs.
if (!existsSync(store)) {
  const rand = seededRandom(42);
  const session = captureSession(store);
  const words = ['const', 'value', 'return', 'if', '(x)', '{', '}', 'await', 'items', 'map', '=>', ';', '\n  '];
  for (let t = 0; t < TASKS; t++) {
    const taskId = session.startTask([REPO_ID], { title: `task ${t}`, description: 'make it work', auto: false, branch: 'main' });
    session.record(
      REPO_ID,
      'git.state',
      { reason: 'task', head: 'b'.repeat(40), branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [] },
      'system',
    );
    const doc = new SimDoc(session, `src/file${t % 20}.ts`, 'export function f() {\n  return 1;\n}\n'.repeat(20));
    for (let b = 0; b < 120; b++) {
      const at = Math.floor(rand() * doc.text.length);
      doc.typeKeys(at, words[Math.floor(rand() * words.length)] + ' ');
      if (b % 4 === 0)
        session.record(REPO_ID, 'selection', { file: doc.file, kind: 'keyboard', selections: [{ anchor: [b % 30, 2], active: [b % 30, 2] }] }, 'user');
      if (b % 40 === 0) doc.save();
    }
    const ts = Date.now();
    session.record(
      REPO_ID,
      'terminal.command',
      { terminal: 't1', commandLine: 'npm test', confidence: 'high', cwd: '.', startTs: ts, endTs: ts + 900, exitCode: 1 },
      'user',
    );
    session.record(
      REPO_ID,
      'test.run',
      {
        source: 'terminal',
        command: 'npm test',
        runner: 'jest',
        exitCode: 1,
        passed: 10,
        failed: 2,
        skipped: 0,
        failingTests: ['a › b', 'c › d'],
        durationMs: 900,
      },
      'user',
    );
    session.resumeTask(taskId);
    session.record(REPO_ID, 'task.review', { approved: true }, 'user');
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    await session.flush();
  }
  await session.dispose();
}

// Read twice, the faster kept: the first read also warms the JIT and the file cache up.
const readAll = () =>
  timed(async () => {
    let n = 0;
    for await (const _ of readStore(store, () => undefined)) n++;
    return n;
  });
const baseline = [await readAll(), await readAll()].sort((a, b) => a.ms - b.ms)[0];
const events = baseline.result;
const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
line({
  bench: 'export',
  measure: 'read+parse (baseline)',
  events,
  ms: Math.round(baseline.ms),
  cpuMs: Math.round(baseline.cpuMs),
  eventsPerSec: Math.round(events / (baseline.ms / 1000)),
});
for (const format of EXPORT_FORMATS) {
  replays.reset();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  const run = await timed(() => exportStore({ store, out: join(dir, `out-${format}`), format, version: 'bench' }));
  clearInterval(sampler);
  line({
    bench: 'export',
    measure: format,
    events,
    rows: run.result.rows,
    ms: Math.round(run.ms),
    eventsPerSec: Math.round(events / (run.ms / 1000)),
    ratioToBaseline: +(baseline.ms / run.ms).toFixed(3),
    cpuMs: Math.round(run.cpuMs),
    cpuRatioToBaseline: +(baseline.cpuMs / run.cpuMs).toFixed(3),
    replaysPerEvent: +(replays.applied / Math.max(1, run.result.events)).toFixed(2),
    peakHeapGrowthMB: +((peak - before) / 1048576).toFixed(1),
  });
}
await rm(dir, { recursive: true, force: true });
