// One export of a store, in a process of its own, for bench/year.mjs: wall time, CPU time, replays
// per task (Replayer.apply calls per record in a task) and peak resident memory, as one JSON line.
// Its baseline, read+parse of the same store, is measured first in the same process, twice (the
// first read also warms the JIT and the file cache up), the lower CPU time kept. On a shared
// machine the ratio of CPU times (this process's user + system) is the steadier figure. gcShare:
// the main thread's garbage-collection pauses during the export, as a share of its wall time.
// CPU time is the whole process's, worker threads included; with --jobs the replays run in the
// workers, where this process does not count them (replaysPerTask null).
// Usage: node bench/yearExport.mjs <store> <out> <format> [progsnap2 code states: directory|git] [--jobs=N|auto]
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { compiled as out, countReplays, timed } from './lib.mjs';

const [store, outDir, format, codeStates] = process.argv.slice(2).filter((a) => !a.startsWith('--jobs='));
const jobsArg = process.argv.find((a) => a.startsWith('--jobs='))?.slice(7) ?? '0';
const jobs = jobsArg === 'auto' ? 'auto' : Number(jobsArg);
const replays = countReplays();
const { exportStore } = out('src/core/export/exporter.js');
const { readStore } = out('src/core/store/storeReader.js');
// The baseline, in this process: every record read and parsed.
const readAll = () =>
  timed(async () => {
    for await (const _ of readStore(store, () => undefined));
  });
const base = [await readAll(), await readAll()].sort((a, b) => a.cpuMs - b.cpuMs)[0];
// Garbage collection during the export, by kind (the main thread's pauses, in wall time).
const gc = { minorMs: 0, majorMs: 0, majors: 0 };
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) gc.minorMs += e.duration;
    else {
      gc.majorMs += e.duration;
      gc.majors += 1;
    }
  }
});
gcObserver.observe({ entryTypes: ['gc'] });
// process.memoryUsage() also walks the heap's spaces: polled every 20 ms it took 4% of an export's CPU. rss() is one read.
let peakRss = process.memoryUsage.rss();
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
const run = await timed(() =>
  exportStore({
    store,
    out: outDir,
    format,
    version: 'bench',
    includeUnapproved: true,
    jobs,
    ...(codeStates ? { formatOptions: { progsnap2CodeStates: codeStates } } : {}),
    // A long run (a year's store) says how far it is, on stderr.
    onProgress: (done, total) => void (done % 100 === 0 && process.stderr.write(`${done}/${total} tasks\n`)),
  }),
);
clearInterval(timer);
gcObserver.disconnect();
const inTasks = run.result.events;
process.stdout.write(
  JSON.stringify({
    format,
    jobs,
    baseMs: Math.round(base.ms),
    ms: Math.round(run.ms),
    ratio: +(base.ms / run.ms).toFixed(3),
    baseCpuMs: Math.round(base.cpuMs),
    cpuMs: Math.round(run.cpuMs),
    cpuRatio: +(base.cpuMs / run.cpuMs).toFixed(3),
    rows: run.result.rows,
    events: inTasks,
    replaysPerTask: jobs === 0 || format === 'progsnap2' ? +(replays.applied / Math.max(1, inTasks)).toFixed(2) : null,
    peakRssMB: +(peakRss / 1048576).toFixed(0),
    gcShare: +((gc.minorMs + gc.majorMs) / run.ms).toFixed(3),
    gcMinorMs: Math.round(gc.minorMs),
    gcMajorMs: Math.round(gc.majorMs),
    gcMajors: gc.majors,
  }) + '\n',
);
