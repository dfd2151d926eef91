// One export of a store, in a process of its own, for bench/year.mjs: wall time, CPU time, replays
// per task (Replayer.apply calls per record in a task) and peak resident memory, as one JSON line.
// Its baseline, read+parse of the same store, is measured first in the same process, twice (the
// first read also warms the JIT and the file cache up), the lower CPU time kept. On a shared
// machine the ratio of CPU times (this process's user + system) is the steadier figure.
// Usage: node bench/yearExport.mjs <store> <out> <format> [progsnap2 code states: directory|git]
import { compiled as out, countReplays, timed } from './lib.mjs';

const [store, outDir, format, codeStates] = process.argv.slice(2);
const replays = countReplays();
const { exportStore } = out('src/core/export/exporter.js');
const { readStore } = out('src/core/store/storeReader.js');
// The baseline, in this process: every record read and parsed.
const readAll = () =>
  timed(async () => {
    for await (const _ of readStore(store, () => undefined));
  });
const base = [await readAll(), await readAll()].sort((a, b) => a.cpuMs - b.cpuMs)[0];
let peakRss = process.memoryUsage().rss;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const run = await timed(() =>
  exportStore({
    store,
    out: outDir,
    format,
    version: 'bench',
    includeUnapproved: true,
    ...(codeStates ? { formatOptions: { progsnap2CodeStates: codeStates } } : {}),
  }),
);
clearInterval(timer);
const inTasks = run.result.events;
process.stdout.write(
  JSON.stringify({
    format,
    baseMs: Math.round(base.ms),
    ms: Math.round(run.ms),
    ratio: +(base.ms / run.ms).toFixed(3),
    baseCpuMs: Math.round(base.cpuMs),
    cpuMs: Math.round(run.cpuMs),
    cpuRatio: +(base.cpuMs / run.cpuMs).toFixed(3),
    rows: run.result.rows,
    events: inTasks,
    replaysPerTask: +(replays.applied / Math.max(1, inTasks)).toFixed(2),
    peakRssMB: +(peakRss / 1048576).toFixed(0),
  }) + '\n',
);
