// One export of a store, in a process of its own, for bench/year.mjs: wall time, replays per task
// (Replayer.apply calls per record in a task) and peak resident memory, as one JSON line.
// Its baseline, read+parse of the same store, is measured first in the same process.
// Usage: node bench/yearExport.mjs <store> <out> <format> [progsnap2 code states: directory|git]
import { compiled as out, countReplays, time } from './lib.mjs';

const [store, outDir, format, codeStates] = process.argv.slice(2);
const replays = countReplays();
const { exportStore } = out('src/core/export/exporter.js');
const { readStore } = out('src/core/store/storeReader.js');
// The baseline, in this process: every record read and parsed.
const base = await time(async () => {
  for await (const _ of readStore(store, () => undefined));
});
let peakRss = process.memoryUsage().rss;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const run = await time(() =>
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
    baseMs: base.ms,
    ms: run.ms,
    rows: run.result.rows,
    events: inTasks,
    replaysPerTask: +(replays.applied / Math.max(1, inTasks)).toFixed(2),
    peakRssMB: +(peakRss / 1048576).toFixed(0),
  }) + '\n',
);
