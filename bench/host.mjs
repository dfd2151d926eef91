// Codetrail in the real VS Code host (code-server's VS Code server and Node extension host, driven
// by headless Chromium), against the same host with an empty extension in its place, in the same run:
//  - host-cpu: extension-host CPU time of a scripted workload (10,000 keystrokes through `type`,
//    2,000 cursor moves, 50 terminal commands through shell integration, 10 saves) in an opted-in
//    git repository, Codetrail recording and flushing, against the same workload without Codetrail.
//    Runs alternate (A B A B ...) because the machine is shared; medians are reported.
//  - host-activation: VS Code's own activation times (Developer: Startup Performance) of Codetrail
//    and of the empty extension, from 5 start-ups of each, alternating.
//  - bundle: size of the production bundle (`node esbuild.mjs --production`), the one the host runs.
//  - host-memory: extension-host heap after full GCs over a long session that touches the same 40
//    files in a repository of 100 files and in one of 10,000, with and without Codetrail.
// With --profile, one more pair of runs samples the extension host with V8's profiler and reports
// where the time goes (Codetrail's bundle, VS Code, built-in extensions, GC...); --profile-out DIR
// keeps the raw profiles (<mode>.cpuprofile, with line-level ticks) for a closer look, and
// --readable builds the bundle unminified so their positions can be read. --perf samples the
// extension host's main thread with Linux perf on its CPU clock instead (bench/perfSamples.mjs):
// V8's sampler runs on wall-clock time, so on a shared machine it charges a preempted thread's
// wait to whatever it was running, and Codetrail's code, which runs when the editor is busiest,
// gets more of it than its share. Needs `perf` (Debian: linux-perf) and permission to use it.
// --warmup N types N keystrokes (and their cursor moves) before the profiled ones, which tells
// V8's warm-up apart from what every keystroke costs once the code has run for a while.
// With --snapshots, the memory runs also write heap snapshots after the first and the last round
// and print what grew between them, and what the recorder bundle itself holds after the first
// round (bench/heapDiff.mjs); --rounds sets the session's length (800 keystrokes a round: 36
// rounds are about three hours of an engineer's edits, typed as fast as the host takes them: its
// clock cannot be simulated) and --sizes the repositories' file counts;
// --snapshot-out DIR keeps the snapshots (DIR/heap-<mode>-<size>/round-<n>.heapsnapshot).
// Usage: npm run build && node bench/host.mjs [--pairs N] [--edits N] [--warmup N] [--only cpu|activation|memory|profile] [--profile] [--perf] [--profile-out DIR] [--readable]
//        [--rounds N] [--sizes 100,10000] [--snapshots] [--snapshot-out DIR]
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { growth, scriptHeap, scriptSources, summarize } from './heapDiff.mjs';
import { attributeSamples } from './perfSamples.mjs';
import { chromiumPath, ensureHost } from '../scripts/host/install.mjs';
import { QUIET_SETTINGS, hostVersions, startCodeServer, writeUserSettings } from '../scripts/host/server.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const workloadEntry = join(root, 'bench/host-workload/workload.js');
const baselineExt = join(root, 'bench/host-workload/baseline-ext');
const { values: opts } = parseArgs({
  options: {
    pairs: { type: 'string', default: '3' },
    edits: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '0' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    perf: { type: 'boolean', default: false },
    'profile-out': { type: 'string' },
    readable: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '4' },
    sizes: { type: 'string', default: '100,10000' },
    snapshots: { type: 'boolean', default: false },
    'snapshot-out': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const PAIRS = Number(opts.pairs);
const CODETRAIL_URL = 'codetrail-ext/dist/main.js';
/** --perf: one sample per 250 µs of the extension host main thread's CPU. */
const PERF_PERIOD_NS = 250_000;
const ACTIVATION_PAIRS = 5;
const EDITS = Number(opts.edits);
const MEMORY_SIZES = opts.sizes.split(',').map(Number);
// A long memory session (--rounds 36) types for most of an hour on a loaded machine.
const RUN_TIMEOUT_MS = Math.max(20, 2 * Number(opts.rounds)) * 60_000;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

// Typing must change the document once per key, and nothing but the two extensions may work per
// keystroke: no auto-closing pairs (type-over would not change the document), no auto-indent, no
// suggestions. The file is Python, which has no language server in a bare VS Code, so the
// baseline is the editor's own work and the ratio is not diluted by other extensions.
const BENCH_SETTINGS = {
  ...QUIET_SETTINGS,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingOvertype': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.parameterHints.enabled': false,
  'editor.formatOnType': false,
  'files.autoSave': 'off',
  'git.autoRepositoryDetection': true,
};

const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const say = (msg) => process.stderr.write(`[bench:host] ${msg}\n`);
const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function git(cwd, ...args) {
  execFileSync('git', args, { cwd, stdio: 'pipe' });
}

/** A real git repository: `files` committed, with Codetrail's opt-in policy. */
function makeRepo(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.invalid');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

const POLICY = '{"version": 1, "enabled": true, "purpose": "host benchmark", "terminalOutput": true}\n';
const pyModule = (n, lines) =>
  Array.from({ length: lines }, (_, i) =>
    i % 8 === 0 ? `def step_${n}_${i}(items, options, limit):` : `    value_${i} = compute(items[${i}], options)  # step ${i}`,
  ).join('\n') + '\n';

/** Production build in its own extension folder: what a user installs, and what is measured. */
function productionExtension(tmp) {
  execFileSync(process.execPath, ['esbuild.mjs', '--production', ...(opts.readable ? ['--readable'] : [])], { cwd: root, stdio: 'inherit' });
  const dir = join(tmp, 'codetrail-ext');
  mkdirSync(join(dir, 'dist', 'media'), { recursive: true });
  mkdirSync(join(dir, 'media'), { recursive: true });
  const media = readdirSync(join(root, 'dist/media'))
    .filter((f) => !f.endsWith('.map'))
    .map((f) => `dist/media/${f}`);
  for (const f of ['package.json', 'LICENSE', 'dist/extension.js', 'dist/main.js', 'dist/tasks.js', 'dist/cli.js', 'media/codetrail.svg', ...media])
    copyFileSync(join(root, f), join(dir, f));
  const entry = readFileSync(join(dir, 'dist/extension.js'));
  const main = readFileSync(join(dir, 'dist/main.js'));
  const ext = Buffer.concat([entry, main]);
  const tasks = readFileSync(join(dir, 'dist/tasks.js'));
  const cli = readFileSync(join(dir, 'dist/cli.js'));
  // Leave the development build (with source maps) the rest of the tooling expects.
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  return {
    dir,
    bundle: {
      entryBytes: entry.length,
      extensionBytes: ext.length,
      extensionGzipBytes: gzipSync(ext).length,
      // Review, the task index and export: loaded on first use, not at start.
      tasksBytes: tasks.length,
      cliBytes: cli.length,
      cliGzipBytes: gzipSync(cli).length,
    },
  };
}

function remoteUri(authority, absPath) {
  return `vscode-remote://${authority}${absPath.split('/').map(encodeURIComponent).join('/')}`;
}

function bytesUnder(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(join(e.parentPath ?? e.path, e.name)).size;
  return total;
}

/** One code-server + Chromium run of the workload; resolves with its `[codetrail-bench]` result. */
async function runHost({ tmp, extensionDir, folder, bench, tag, env: extraEnv = {}, cwd }) {
  const dataDir = mkdtempSync(join(tmp, `host-${tag}-`));
  const store = join(dataDir, 'store');
  writeUserSettings(join(dataDir, 'user-data'), BENCH_SETTINGS);
  let server;
  let browser;
  try {
    const env = { ...extraEnv, EXTENSIONS_GALLERY: '{}', CODETRAIL_STORE: store, CODETRAIL_BENCH: JSON.stringify({ ...bench, repo: folder }) };
    server = await startCodeServer({ dataDir, disableWorkspaceTrust: true, env, cwd });
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let result;
    let exit;
    const finished = new Promise((r) => (exit = r));
    const onLine = (text) => {
      const m = /\[codetrail-bench\] (\{.*\})/.exec(text);
      if (m) result = JSON.parse(m[1]);
      else if (opts.verbose || /error|fail/i.test(text)) say(`  ${text.slice(0, 400)}`);
    };
    await page.exposeFunction('codeAutomationLog', (_type, args) => onLine(format(...(Array.isArray(args) ? args : [args]))));
    await page.exposeFunction('codeAutomationExit', (code) => exit({ code }));
    page.on('crash', () => exit({ code: null, reason: 'the page crashed' }));
    server.exited.then((e) => exit({ code: null, reason: `code-server exited (${e.code ?? e.signal})` }));
    const authority = `127.0.0.1:${server.port}`;
    const params = new URLSearchParams();
    params.set('folder', folder);
    params.set(
      'payload',
      JSON.stringify([
        ['extensionDevelopmentPath', remoteUri(authority, extensionDir)],
        ['extensionTestsPath', remoteUri(authority, workloadEntry)],
      ]),
    );
    await page.goto(`${server.url}?${params}`, { waitUntil: 'domcontentloaded' });
    let timer;
    const done = await Promise.race([finished, new Promise((r) => (timer = setTimeout(() => r({ code: null, reason: 'timed out' }), RUN_TIMEOUT_MS)))]);
    clearTimeout(timer);
    if (done.code !== 0 || !result) throw new Error(`${tag}: ${done.reason ?? `exit code ${done.code}`}${result ? '' : ', no result line'}`);
    result.storeBytes = existsSync(store) ? bytesUnder(store) : 0;
    return result;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
  }
}

async function cpuBench(tmp, codetrailDir) {
  const runs = { codetrail: [], baseline: [] };
  for (let pair = 0; pair < PAIRS; pair++) {
    // Alternate which goes first, so a slow stretch of the machine does not always hit one side.
    const order = pair % 2 === 0 ? ['codetrail', 'baseline'] : ['baseline', 'codetrail'];
    for (const mode of order) {
      const repo = makeRepo(mkdtempSync(join(tmp, `cpu-${mode}-`)), {
        '.codetrail.json': POLICY,
        '.gitignore': '__pycache__/\n',
        'src/app.py': pyModule(0, 200),
        'src/util.py': pyModule(1, 40),
      });
      const r = await runHost({
        tmp,
        extensionDir: mode === 'codetrail' ? codetrailDir : baselineExt,
        folder: repo,
        bench: { workload: 'cpu', mode, edits: EDITS },
        tag: `cpu-${mode}-${pair}`,
      });
      say(
        `cpu ${mode} #${pair}: ${round(r.cpuMs)} ms CPU (user ${round(r.userMs)}, system ${round(r.systemMs)}), ${round(r.wallMs)} ms wall, ${r.edits} edits, ${r.moves} moves, ${r.terminal} commands, store ${r.storeBytes} B`,
      );
      runs[mode].push(r);
    }
  }
  return runs;
}

async function memoryBench(tmp, codetrailDir) {
  const touched = Array.from({ length: 40 }, (_, i) => `src/pkg${i % 10}/mod${i}.py`);
  const repos = {};
  for (const size of MEMORY_SIZES) {
    const files = { '.codetrail.json': POLICY };
    for (let i = 0; i < size; i++) files[`src/pkg${i % 10}/mod${i}.py`] = pyModule(i, 30);
    const t0 = Date.now();
    repos[size] = makeRepo(join(tmp, `mem-${size}`), files);
    say(`memory: repository of ${size} files made in ${Date.now() - t0} ms`);
  }
  const results = [];
  const snapshotDir = opts.snapshots
    ? (mode, size) => {
        const dir = join(opts['snapshot-out'] ?? tmp, `heap-${mode}-${size}`);
        mkdirSync(dir, { recursive: true });
        return dir;
      }
    : undefined;
  for (const size of MEMORY_SIZES) {
    for (const mode of ['codetrail', 'baseline']) {
      const r = await runHost({
        tmp,
        extensionDir: mode === 'codetrail' ? codetrailDir : baselineExt,
        folder: repos[size],
        bench: { workload: 'memory', mode, files: touched, rounds: Number(opts.rounds), ...(snapshotDir ? { snapshotDir: snapshotDir(mode, size) } : {}) },
        tag: `mem-${mode}-${size}`,
      });
      say(`memory ${mode} ${size} files: heap ${r.heapSamples.map((b) => round(b / 2 ** 20)).join(' → ')} MB`);
      // The repository is reused: put it back as it was for the next run.
      git(repos[size], 'checkout', '-q', '--', '.');
      results.push({ size, mode, ...r });
    }
  }
  return results;
}

/** VS Code's activation times of Codetrail and of the empty extension, medians over the runs. */
function activationLine(runs) {
  const act = (m, id) => runs[m].map((r) => r.activation?.[id]).filter(Boolean);
  const ct = act('codetrail', 'codetrail.codetrail');
  const bl = act('baseline', 'codetrail-bench.baseline');
  if (!ct.length || !bl.length) return line({ bench: 'host-activation', error: runs.codetrail[0]?.activationError ?? 'no activation times found' });
  const shown = (a) => median(a.map((x) => x.loadCodeMs + x.callActivateMs));
  const brief = (a) => a.map((x) => [x.loadCodeMs, x.callActivateMs, x.finishActivateMs]);
  line({
    bench: 'host-activation',
    measure:
      'VS Code Startup Performance table: load code + call activate (what Running Extensions shows); finish = until the promise activate() returned resolved',
    codetrailMs: shown(ct),
    baselineMs: shown(bl),
    codetrailLoadCodeMs: median(ct.map((x) => x.loadCodeMs)),
    codetrailCallActivateMs: median(ct.map((x) => x.callActivateMs)),
    codetrailFinishActivateMs: median(ct.map((x) => x.finishActivateMs)),
    baselineFinishActivateMs: median(bl.map((x) => x.finishActivateMs)),
    target: 20,
    runs: ct.length,
    codetrailEach: brief(ct),
    baselineEach: brief(bl),
  });
}

async function activationBench(tmp, codetrailDir) {
  const runs = { codetrail: [], baseline: [] };
  for (let i = 0; i < ACTIVATION_PAIRS * 2; i++) {
    const mode = i % 2 === 0 ? 'codetrail' : 'baseline';
    const repo = makeRepo(mkdtempSync(join(tmp, `act-${mode}-`)), { '.codetrail.json': POLICY, 'src/app.py': pyModule(0, 200) });
    runs[mode].push(
      await runHost({
        tmp,
        extensionDir: mode === 'codetrail' ? codetrailDir : baselineExt,
        folder: repo,
        bench: { workload: 'activation', mode },
        tag: `act-${mode}-${i}`,
      }),
    );
  }
  return runs;
}

async function main() {
  ensureHost();
  const v = hostVersions();
  say(`VS Code ${v.vscode} via code-server ${v.codeServer}`);
  const tmp = mkdtempSync(join(tmpdir(), 'codetrail-bench-host-'));
  try {
    const { dir: codetrailDir, bundle } = productionExtension(tmp);
    line({ bench: 'bundle', build: 'esbuild --production (minified)', ...bundle });
    if (!opts.only || opts.only === 'cpu') {
      const runs = await cpuBench(tmp, codetrailDir);
      const cpu = (m) => median(runs[m].map((r) => r.cpuMs));
      const wall = (m) => median(runs[m].map((r) => r.wallMs));
      const first = runs.codetrail[0];
      line({
        bench: 'host-cpu',
        workload: { edits: first.edits, cursorMoves: first.moves, terminalCommands: first.terminal, saves: first.saves },
        codetrailCpuMs: round(cpu('codetrail')),
        baselineCpuMs: round(cpu('baseline')),
        ratio: round(cpu('codetrail') / cpu('baseline'), 3),
        target: 1.15,
        codetrailWallMs: round(wall('codetrail')),
        baselineWallMs: round(wall('baseline')),
        wallRatio: round(wall('codetrail') / wall('baseline'), 3),
        runs: PAIRS,
        codetrailCpuMsEach: runs.codetrail.map((r) => round(r.cpuMs)),
        baselineCpuMsEach: runs.baseline.map((r) => round(r.cpuMs)),
        storeBytes: median(runs.codetrail.map((r) => r.storeBytes)),
      });
    }
    if (opts.only === 'activation' || !opts.only) activationLine(await activationBench(tmp, codetrailDir));
    if (opts.profile || opts.only === 'profile') {
      const prof = {};
      // The profiles' positions are in the minified bundle: keep it beside them.
      if (opts['profile-out']) {
        mkdirSync(resolve(opts['profile-out']), { recursive: true });
        copyFileSync(join(codetrailDir, 'dist/main.js'), join(resolve(opts['profile-out']), 'main.js'));
      }
      for (const mode of ['codetrail', 'baseline']) {
        const repo = makeRepo(mkdtempSync(join(tmp, `prof-${mode}-`)), {
          '.codetrail.json': POLICY,
          '.gitignore': '__pycache__/\n',
          'src/app.py': pyModule(0, 200),
          'src/util.py': pyModule(1, 40),
        });
        // --perf: Node writes a jitdump of its compiled code (jit-<pid>.dump, in its working
        // directory) that `perf inject --jit` turns into symbols valid for the time each function
        // lived: a plain map (--perf-basic-prof) names code by address only, and V8 reuses the
        // addresses of code it has freed, so samples would be charged to whoever had them first.
        const perfDir = opts.perf ? mkdtempSync(join(tmp, `perf-${mode}-`)) : undefined;
        const perfOut = perfDir && join(perfDir, 'perf.data');
        const r = (prof[mode] = await runHost({
          tmp,
          extensionDir: mode === 'codetrail' ? codetrailDir : baselineExt,
          folder: repo,
          bench: {
            workload: 'cpu',
            mode,
            edits: EDITS,
            warmup: Number(opts.warmup),
            profile: true,
            profileUrl: CODETRAIL_URL,
            ...(perfOut ? { perf: { out: perfOut, periodNs: PERF_PERIOD_NS } } : {}),
            ...(opts['profile-out'] ? { profileOut: join(resolve(opts['profile-out']), `${mode}.cpuprofile`) } : {}),
          },
          ...(perfDir ? { env: { NODE_OPTIONS: '--perf-prof --interpreted-frames-native-stack' }, cwd: perfDir } : {}),
          tag: `prof-${mode}`,
        }));
        if (perfDir) {
          // Symbols go to a build-id cache of this run's own, not the user's ~/.debug.
          const perfEnv = { ...process.env, PERF_BUILDID_DIR: join(perfDir, 'buildid') };
          execFileSync('perf', ['inject', '--jit', '-i', perfOut, '-o', `${perfOut}.jit`], { cwd: perfDir, env: perfEnv, stdio: ['ignore', 'ignore', 'pipe'] });
          r.profile = await attributeSamples(`${perfOut}.jit`, { codetrailUrl: CODETRAIL_URL, periodNs: PERF_PERIOD_NS, env: perfEnv });
          if (opts['profile-out']) {
            // `perf script -i perf.data.jit` reads it again, with PERF_BUILDID_DIR set to the copy's buildid folder.
            const kept = join(resolve(opts['profile-out']), `${mode}.perf`);
            rmSync(kept, { recursive: true, force: true });
            cpSync(perfDir, kept, { recursive: true });
          }
          rmSync(perfDir, { recursive: true, force: true });
        }
        line({
          bench: 'host-cpu-profile',
          mode,
          edits: r.edits,
          cursorMoves: r.moves,
          terminalCommands: r.terminal,
          cpuMs: round(r.cpuMs),
          mainThreadCpuMs: r.mainCpuMs,
          ...r.profile,
        });
      }
      // Codetrail's own self time (its bundle's functions; what they call in Node or VS Code is not
      // counted), per edit and as a share of the extension host's CPU in the same run; the baseline
      // is the same workload's host CPU without Codetrail.
      // Samples are wall-clock intervals: on a busy machine a preempted thread's wait is charged to
      // the function it was in. Codetrail's share of the main thread's busy samples, times that
      // thread's CPU time from the kernel, is its CPU time; the sampled figure is printed beside it.
      // With --perf, samples are CPU time already (bench/perfSamples.mjs): no correction.
      const c = prof.codetrail;
      const sampledSelfMs = c.profile.byAreaMs.codetrail ?? 0;
      const busySampledMs = opts.perf ? c.profile.cpuMs : c.profile.sampledMs - (c.profile.byAreaMs['(idle)'] ?? 0);
      const selfMs = !opts.perf && Number.isFinite(c.mainCpuMs) ? (sampledSelfMs * c.mainCpuMs) / busySampledMs : sampledSelfMs;
      const perEditUs = (selfMs * 1000) / c.edits;
      const share = selfMs / c.cpuMs;
      line({
        bench: 'host-cpu-profile',
        measure: 'Codetrail self time per edit and share of extension-host CPU',
        sampler: opts.perf
          ? `perf record, task-clock every ${PERF_PERIOD_NS / 1000} µs of the main thread's CPU`
          : 'V8 profiler, wall-clock, scaled to the thread CPU',
        edits: c.edits,
        warmupEdits: Number(opts.warmup),
        ...(opts.perf ? { inclusivePerEditUs: round((c.profile.inclusiveMs * 1000) / c.edits, 1), inclusiveMs: c.profile.inclusiveMs } : {}),
        codetrailSelfMs: round(selfMs, 1),
        codetrailSampledMs: sampledSelfMs,
        mainThreadCpuMs: c.mainCpuMs,
        mainThreadBusySampledMs: round(busySampledMs),
        perEditUs: round(perEditUs, 1),
        hostCpuMs: round(c.cpuMs),
        sharePercent: round(share * 100, 2),
        baselineHostCpuMs: round(prof.baseline.cpuMs),
        verdict: `${perEditUs <= 20 && share <= 0.01 ? 'MET' : 'MISSED'}: ${round(perEditUs, 1)} µs per edit against ≤ 20 µs, ${round(share * 100, 2)}% of host CPU against ≤ 1%`,
      });
    }
    if (!opts.only || opts.only === 'memory') {
      const results = await memoryBench(tmp, codetrailDir);
      const get = (size, mode) => results.find((r) => r.size === size && r.mode === mode);
      const mb = (b) => round(b / 2 ** 20, 2);
      for (const size of MEMORY_SIZES) {
        const c = get(size, 'codetrail');
        const b = get(size, 'baseline');
        line({
          bench: 'host-memory',
          repoFiles: size,
          touchedFiles: c.files,
          rounds: c.rounds,
          keystrokes: c.files * c.rounds * c.keysPerFile,
          codetrailHeapGrowthMB: mb(c.heapGrowth),
          baselineHeapGrowthMB: mb(b.heapGrowth),
          codetrailHeapEndMB: mb(c.heapSamples.at(-1)),
          baselineHeapEndMB: mb(b.heapSamples.at(-1)),
          codetrailOverBaselineMB: mb(c.heapSamples.at(-1) - b.heapSamples.at(-1)),
          codetrailHeapMB: c.heapSamples.map(mb),
          baselineHeapMB: b.heapSamples.map(mb),
        });
      }
      const over = (size) => get(size, 'codetrail').heapSamples.at(-1) - get(size, 'baseline').heapSamples.at(-1);
      const [smallest, largest] = [Math.min(...MEMORY_SIZES), Math.max(...MEMORY_SIZES)];
      if (largest > smallest)
        line({
          bench: 'host-memory',
          measure: `Codetrail heap over baseline: ${largest}-file repo minus ${smallest}-file repo`,
          differenceMB: mb(over(largest) - over(smallest)),
        });
      // Growth over the session's length: the rounds after the first (everything loaded by then).
      const lateGrowth = (r) => r.heapSamples.at(-1) - r.heapSamples[1];
      const worst = Math.max(...MEMORY_SIZES.map((size) => lateGrowth(get(size, 'codetrail')) - lateGrowth(get(size, 'baseline'))));
      const overBaseline = Math.max(...MEMORY_SIZES.map(over));
      line({
        bench: 'host-memory',
        measure: 'verdict',
        keystrokes: get(smallest, 'codetrail').files * get(smallest, 'codetrail').rounds * get(smallest, 'codetrail').keysPerFile,
        codetrailOverBaselineMB: mb(overBaseline),
        growthAfterFirstRoundOverBaselineMB: mb(worst),
        verdict: `${overBaseline <= 5 * 2 ** 20 && worst <= 2 ** 20 ? 'MET' : 'MISSED'}: ${mb(overBaseline)} MB over the empty extension (target ≤ 5 MB), ${mb(worst)} MB more growth after the first round than without Codetrail (flat: ≤ 1 MB)`,
      });
      // What grew between the first round and the last, with and without Codetrail (objects grouped as DevTools' Comparison view does).
      for (const r of results.filter((x) => x.snapshots?.length === 2))
        line({
          bench: 'host-memory-growth',
          mode: r.mode,
          repoFiles: r.size,
          rounds: r.rounds,
          top: growth(summarize(r.snapshots[0]), summarize(r.snapshots[1]), 8).map(
            (g) => `${g.group} ${g.countDelta >= 0 ? '+' : ''}${g.countDelta} (${mb(g.sizeDelta)} MB)`,
          ),
        });
      // After the first round: what Codetrail's recorder bundle itself holds, and which other
      // scripts (built-in extensions VS Code activated on its own) one run loaded and the other did
      // not, which moves the difference between the two runs' heaps by megabytes.
      for (const size of MEMORY_SIZES) {
        const [c, b] = [get(size, 'codetrail'), get(size, 'baseline')].map((r) => r.snapshots?.[0]);
        if (!c || !b) continue;
        const own = scriptHeap(c, 'codetrail-ext/dist/main.js');
        const [inC, inB] = [scriptSources(c), scriptSources(b)];
        const onlyIn = (x, y) =>
          [...x]
            .filter(([url]) => !y.has(url) && !/codetrail-ext|baseline-ext/.test(url))
            .map(([url, n]) => `${url.split('/extensions/')[1] ?? url} (${mb(n)} MB source)`);
        line({
          bench: 'host-memory-codetrail',
          repoFiles: size,
          round: 1,
          recorderSourceMB: mb(own.sourceBytes),
          recorderRetainedMB: mb(own.retainedBytes),
          functions: own.functions,
          closures: own.closures,
          top: own.top.map(([group, bytes]) => `${group} ${mb(bytes)} MB`),
          scriptsOnlyWithCodetrail: onlyIn(inC, inB),
          scriptsOnlyWithBaseline: onlyIn(inB, inC),
        });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`[bench:host] ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
