// A year of recordings (bench/yearStore.mjs: ≥ 2,000 tasks, ≥ 10 million events, through the real
// pipeline on a simulated clock) and what a store that size costs to look at, measured in one run
// against its baseline (plain read and parse of the same store, or the start of a bare process):
//   view open (the task index read)   < 1 s            `codetrail tasks`         < 1 s
//   verify, every export              ≥ 0.5× read+parse, one replay per task
//   memory                            bounded by the largest task, not the store
// Usage: npm run build && npm run compile-tests && node bench/year.mjs [--quick] [--store DIR] [--keep]
//   --store DIR  generate into DIR, or reuse it when it already holds a generated store
//   --quick      a small store (the test suite runs this so the benchmark cannot rot)
//   --tasks N    N tasks instead of a year's 2,000 (5,000 events each)
//   --formats a,b   only these exports (none: no export); each streams the store one task at a time
//   --jobs N|auto   exports with N worker threads (export --jobs); 0, the default: in one thread
// Prints one JSON line per measurement, each with its baseline and a one-line verdict.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiled as out, countReplays, time } from './lib.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

// Memory is measured after garbage collection: the benchmark runs itself again with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=6144', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const { generateYearStore, YEAR_SIZES } = await import('./yearStore.mjs');
const { readStore } = out('src/core/store/storeReader.js');
const { refreshTaskIndex, planStore, INDEX_FILE } = out('src/core/review/taskIndexFile.js');
const { indexStore } = out('src/core/review/taskIndex.js');
const { verifyPlannedStore } = out('src/core/replay/verifyStream.js');
const { streamTasks } = out('src/core/store/taskStream.js');
const { EXPORT_FORMATS } = out('src/core/export/formats.js');

const quick = flag('--quick');
const size = { ...(quick ? YEAR_SIZES.quick : YEAR_SIZES.full) };
if (value('--tasks')) size.tasks = Number(value('--tasks')); // a smaller store when the machine has no hour to spare
const dir = await mkdtemp(join(tmpdir(), 'codetrail-bench-year-'));
const store = value('--store') ?? join(dir, 'store');
const results = [];
const line = (o) => {
  results.push(o);
  process.stdout.write(JSON.stringify(o) + '\n');
};
const verdict = (ok, text) => `${ok ? 'MET' : 'MISSED'}: ${text}`;
const mb = (bytes) => +(bytes / 1048576).toFixed(1);

// 1. The store, generated through the real pipeline (or reused: generating a year takes minutes).
const marker = join(store, 'bench-year.json');
if (!existsSync(marker)) {
  const gen = await time(() =>
    generateYearStore(store, { ...size, onProgress: (n) => n % 100 === 0 && process.stderr.write(`generated ${n}/${size.tasks} tasks\n`) }),
  );
  await writeFile(marker, JSON.stringify({ ...size, counts: gen.result, ms: gen.ms }));
}
const generated = JSON.parse(await readFile(marker, 'utf8'));
const du = spawnSync('du', ['-sb', join(store, 'repos')], { encoding: 'utf8' }).stdout.split('\t')[0];

// 2. Baseline: every record read and parsed (decompression, JSON, schema check).
const base = await time(async () => {
  let n = 0;
  for await (const _ of readStore(store, () => undefined)) n++;
  return n;
});
const events = base.result;
const baseRate = events / (base.ms / 1000);
line({
  bench: 'year',
  measure: 'store',
  tasks: generated.counts.tasks,
  events,
  compressedMB: mb(Number(du)),
  generatedInS: Math.round(generated.ms / 1000),
  ...generated.counts,
  verdict: verdict(
    quick || (generated.counts.tasks >= 2000 && events >= 10_000_000),
    `${generated.counts.tasks} tasks, ${events} events (target ≥ 2,000 and ≥ 10 million${quick ? '; --quick size' : ''})`,
  ),
});
line({ bench: 'year', measure: 'read+parse (baseline)', events, ms: Math.round(base.ms), eventsPerSec: Math.round(baseRate) });

// 3. The task index: built once (a store without one, or one that came from elsewhere), then read.
await rm(join(store, INDEX_FILE), { force: true });
const cold = await time(() => refreshTaskIndex(store));
line({
  bench: 'year',
  measure: 'task index built from nothing',
  tasks: cold.result.tasks.size,
  ms: Math.round(cold.ms),
  ratioToBaseline: +(base.ms / cold.ms).toFixed(3),
  verdict: 'informative: once per store, then on change only',
});
const open = await time(() => indexStore(store));
line({
  bench: 'year',
  measure: 'view open (index read)',
  ms: Math.round(open.ms),
  baselineMs: Math.round(base.ms),
  verdict: verdict(open.ms < 1000, `${Math.round(open.ms)} ms against < 1 s (a full read and parse takes ${Math.round(base.ms)} ms)`),
});

// 4. `codetrail tasks` as a user runs it: a process of its own. Baseline: the same process printing its version.
const cli = join(process.cwd(), 'dist', 'cli.js');
const run = (argv) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`codetrail ${argv.join(' ')}: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: r.stdout };
};
const bare = run(['--version']);
const tasks = run(['tasks', '--store', store]);
line({
  bench: 'year',
  measure: 'codetrail tasks',
  ms: Math.round(tasks.ms),
  baselineMs: Math.round(bare.ms),
  baseline: 'codetrail --version',
  ownMs: Math.round(tasks.ms - bare.ms),
  lines: tasks.stdout.split('\n').length - 2,
  verdict: verdict(
    tasks.ms < 1000,
    `${Math.round(tasks.ms)} ms against < 1 s (the bare process takes ${Math.round(bare.ms)} ms, the listing ${Math.round(tasks.ms - bare.ms)} ms)`,
  ),
});

// 5. Verify, one task at a time: throughput, replays per task, peak memory against the largest task.
const replays = countReplays();
const largest = await largestTask();
replays.reset();
const peak = await peakHeap(() => time(async () => verifyPlannedStore(await planStore(store))));
const v = peak.result;
const vRatio = base.ms / v.ms;
line({
  bench: 'year',
  measure: 'verify',
  events,
  ms: Math.round(v.ms),
  eventsPerSec: Math.round(events / (v.ms / 1000)),
  ratioToBaseline: +vRatio.toFixed(3),
  replaysPerTask: +(replays.applied / (events - v.result.summary.eventsOutsideTasks)).toFixed(2),
  statuses: v.result.summary,
  verdict: verdict(vRatio >= 0.5, `${vRatio.toFixed(2)}× read+parse against ≥ 0.5×`),
});
// What holding the whole store would take, scaled from the largest task (the old verify held it all).
const wholeStore = (largest.heap / largest.events) * events;
line({
  bench: 'year',
  measure: 'verify memory',
  peakLiveHeapGrowthMB: mb(peak.growth),
  peakHeapUsedGrowthMB: mb(peak.rawGrowth),
  largestTaskEvents: largest.events,
  largestTaskHeapMB: mb(largest.heap),
  storeEvents: events,
  wholeStoreHeapEstimateMB: mb(wholeStore),
  verdict: verdict(
    peak.growth <= 4 * largest.heap + 64 * 1048576,
    `peak live heap growth ${mb(peak.growth)} MB against ≤ 4× the largest task held in memory (${mb(largest.heap)} MB) + 64 MB; the whole store would be about ${mb(wholeStore)} MB`,
  ),
});
replays.stop();

// 6. Every export, each in a process of its own (an export holding the store in memory can fail
// alone): throughput, replays per task and peak memory.
const formats =
  value('--formats')
    ?.split(',')
    .filter((f) => f && f !== 'none') ?? EXPORT_FORMATS;
for (const format of formats) {
  const outDir = join(dir, `export-${format}`);
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=6144',
      new URL('./yearExport.mjs', import.meta.url).pathname,
      store,
      outDir,
      format,
      `--jobs=${value('--jobs') ?? 0}`,
    ],
    { encoding: 'utf8', cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024 },
  );
  const r = child.status === 0 ? JSON.parse(child.stdout.trim().split('\n').pop()) : undefined;
  if (!r) {
    line({
      bench: 'year',
      measure: `export ${format}`,
      verdict: verdict(false, `failed: ${(child.stderr || child.signal || '').toString().trim().split('\n').slice(-3).join(' / ')}`),
    });
    continue;
  }
  // Its baseline: read+parse in the same process just before (both then run with a warm JIT).
  const ratio = r.baseMs / r.ms;
  // Counted in this process only; in worker threads each task is replayed once by construction (taskExport.ts).
  const oneReplay = r.replaysPerTask === null || r.replaysPerTask <= 1.05;
  line({
    bench: 'year',
    measure: `export ${format}`,
    jobs: r.jobs,
    events,
    rows: r.rows,
    ms: Math.round(r.ms),
    eventsPerSec: Math.round(events / (r.ms / 1000)),
    baselineMs: Math.round(r.baseMs),
    ratioToBaseline: +ratio.toFixed(3),
    // The steadier figure on a shared machine: this process's CPU time against its own read+parse.
    cpuRatioToBaseline: r.cpuRatio,
    replaysPerTask: r.replaysPerTask,
    peakRssMB: r.peakRssMB,
    verdict: verdict(
      ratio >= 0.5 && oneReplay,
      `${ratio.toFixed(2)}× read+parse against ≥ 0.5×, ${r.replaysPerTask ?? 'one (in workers)'} replays per task against 1`,
    ),
  });
  await rm(outDir, { recursive: true, force: true });
}

if (!flag('--keep') && !value('--store')) await rm(dir, { recursive: true, force: true });
else if (value('--store') === undefined) process.stderr.write(`store kept at ${store}\n`);
if (flag('--json-summary')) process.stdout.write(JSON.stringify({ summary: results }) + '\n');

/** The task with the most events, and the heap it takes held in memory once parsed. */
async function largestTask() {
  const plan = await planStore(store);
  let best = { task: '', events: 0 };
  for await (const { task, events: list } of streamTasks(plan)) if (list.length > best.events) best = { task, events: list.length };
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  let held;
  for await (const t of streamTasks(plan, new Set([best.task]))) held = t.events;
  globalThis.gc();
  const heap = process.memoryUsage().heapUsed - before;
  if (!held) throw new Error('largest task vanished');
  return { ...best, heap };
}

/**
 * Runs `fn`, sampling the heap: `growth` is the peak of what is live (after a full collection,
 * once a second) above what was live before; `rawGrowth` the peak of heapUsed sampled every 10 ms,
 * garbage included (V8 collects lazily while the old generation has room).
 */
async function peakHeap(fn) {
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let raw = before;
  const sampler = setInterval(() => (raw = Math.max(raw, process.memoryUsage().heapUsed)), 10);
  const collector = setInterval(() => {
    globalThis.gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 1000);
  try {
    const result = await fn();
    return { result, growth: peak - before, rawGrowth: raw - before };
  } finally {
    clearInterval(sampler);
    clearInterval(collector);
  }
}
