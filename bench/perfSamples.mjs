// Reads `perf record -g` samples of the extension host's main thread (bench/host-workload's
// startPerf) and attributes them as V8's profiler attributes its ticks, but in CPU time: each sample
// is one fixed period of the thread's own CPU clock, so a thread the machine preempts is charged
// nothing for the wait (V8's sampler runs on wall-clock intervals and charges it to the function on
// top). JavaScript frames are named from Node's jitdump (--perf-prof, `perf inject --jit`):
// "JS:*name url:line:column".
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const JS_FRAME = /^JS:[*~^+-]?(\S*) (\S+)$/;
const GC_FRAME = /v8::internal::(Heap::|Scavenger|MarkCompact|MinorMarkSweep|ConcurrentMarking|IncrementalMarking)/;

/** Where a JavaScript frame's code lives, as the V8 profile summary names it (workload.js's areaOf). */
function areaOf(url, codetrailUrl) {
  if (url.includes(codetrailUrl)) return 'codetrail';
  if (url.includes('/extensions/')) return 'builtin-extensions';
  if (url.includes('/lib/vscode/')) return 'vscode';
  if (url.includes('bench/host-workload')) return 'workload';
  if (url.startsWith('node:')) return 'node';
  return 'other';
}

/**
 * Per sample, from the leaf up: the first JavaScript frame decides whose time it is (builtins,
 * the runtime and native code it called count to it, as in V8's profile), except garbage
 * collection, kept apart as V8 does. `inclusive` counts every sample with Codetrail anywhere on
 * the stack: also what it asked of VS Code and Node, and the collections its allocations set off.
 */
export async function attributeSamples(dataFile, { codetrailUrl, periodNs, env }) {
  const child = spawn('perf', ['script', '-i', dataFile, '-F', 'tid,ip,sym'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const byArea = {};
  const byFunction = {};
  let samples = 0;
  let inclusive = 0;
  let frames = [];
  const finish = () => {
    if (frames.length === 0) return;
    samples++;
    let area = 'native';
    let fn;
    if (frames.some((f) => GC_FRAME.test(f))) area = '(garbage collector)';
    else
      for (const f of frames) {
        const m = JS_FRAME.exec(f);
        if (!m) continue;
        area = areaOf(m[2], codetrailUrl);
        fn = `${m[1] || '(anonymous)'}:${m[2].split(':').slice(-2).join(':')}`;
        break;
      }
    byArea[area] = (byArea[area] ?? 0) + 1;
    if (area === 'codetrail') byFunction[fn] = (byFunction[fn] ?? 0) + 1;
    if (frames.some((f) => f.includes(codetrailUrl))) inclusive++;
    frames = [];
  };
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (!line.startsWith('\t')) {
      finish();
      continue;
    }
    const text = line.trim();
    const space = text.indexOf(' ');
    if (space > 0) frames.push(text.slice(space + 1));
  }
  finish();
  const code = await closed;
  if (code !== 0) throw new Error(`perf script exited ${code}: ${stderr.trim()}`);
  const ms = (n) => Math.round((n * periodNs) / 1e5) / 10;
  const sorted = (o, n = Infinity) =>
    Object.fromEntries(
      Object.entries(o)
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => [k, ms(v)]),
    );
  return { samples, cpuMs: ms(samples), inclusiveMs: ms(inclusive), byAreaMs: sorted(byArea), codetrailTopSelfMs: sorted(byFunction, 25) };
}
