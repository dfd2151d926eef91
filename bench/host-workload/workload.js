// Runs inside the real VS Code extension host as the `extensionTestsPath` module (bench/host.mjs
// starts code-server and Chromium). It plays a scripted workload through the editor's own command
// paths and prints one `[codetrail-bench] {json}` line with what it measured. The same module runs
// with Codetrail as the development extension and with an empty extension instead (the baseline),
// so the only difference between the two is Codetrail.
// Plain CommonJS: it must load in the extension host without a build step.
'use strict';
const vscode = require('vscode');
const v8 = require('node:v8');
const vm = require('node:vm');
const { closeSync, constants, openSync, readFileSync, rmSync, writeFileSync, writeSync } = require('node:fs');
const { open: openFile } = require('node:fs/promises');
const { execFileSync, spawn } = require('node:child_process');
const { join } = require('node:path');
const inspector = require('node:inspector');

const config = JSON.parse(process.env.CODETRAIL_BENCH || '{}');
const EVENT_DEADLINE_MS = 30_000;

const report = (o) => console.log(`[codetrail-bench] ${JSON.stringify(o)}`);

/** Resolves with the first event that satisfies `test`; fails after a deadline instead of hanging. */
function nextEvent(event, test = () => true, what = 'event') {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no ${what} within ${EVENT_DEADLINE_MS / 1000}s`));
    }, EVENT_DEADLINE_MS);
    const sub = event((e) => {
      if (!test(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** One keystroke through the editor's typing path, as `type` is what a key press runs. */
async function typeKey(editor, ch) {
  const changed = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === editor.document && e.contentChanges.length > 0, 'document change');
  await vscode.commands.executeCommand('type', { text: ch });
  await changed;
}

async function moveCursor(editor, command) {
  const moved = nextEvent(vscode.window.onDidChangeTextEditorSelection, (e) => e.textEditor === editor, 'selection change');
  await vscode.commands.executeCommand(command);
  await moved;
}

async function save(editor) {
  if (!editor.document.isDirty) return;
  const saved = nextEvent(vscode.workspace.onDidSaveTextDocument, (d) => d === editor.document, 'save');
  await editor.document.save();
  await saved;
}

/**
 * Types the command into the terminal and resolves with its exit code. Not executeCommand: VS Code
 * sends Ctrl+C before it while the previous command's line is still on the prompt (see
 * runInTerminal in test/host/helpers.ts).
 */
async function runInTerminal(terminal, commandLine) {
  if (!terminal.shellIntegration) await nextEvent(vscode.window.onDidChangeTerminalShellIntegration, (e) => e.terminal === terminal, 'shell integration');
  let ours;
  const started = nextEvent(vscode.window.onDidStartTerminalShellExecution, (e) => e.terminal === terminal, `start of "${commandLine}"`).then((e) => {
    ours = e.execution;
    void (async () => {
      for await (const _ of ours.read());
    })();
  });
  const ended = nextEvent(vscode.window.onDidEndTerminalShellExecution, (e) => e.terminal === terminal && e.execution === ours, `end of "${commandLine}"`);
  // If the command never starts, that is the failure reported; the end's own deadline then passes unheard.
  ended.catch(() => undefined);
  terminal.sendText(commandLine, true);
  await started;
  return (await ended).exitCode;
}

async function openAt(path, line) {
  const doc = await vscode.workspace.openTextDocument(path);
  const editor = await vscode.window.showTextDocument(doc);
  const end = doc.lineAt(Math.min(line, doc.lineCount - 1)).range.end;
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

const codetrail = () => vscode.extensions.getExtension('codetrail.codetrail');

/** Activates Codetrail when it is installed and consents for the repository; returns whether it records. */
async function setUp() {
  const ext = codetrail();
  if (!ext) return false;
  await ext.activate();
  const accepted = await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true });
  if (!accepted.includes(config.repo)) throw new Error(`consent for ${config.repo} was not taken: ${JSON.stringify(accepted)}`);
  return true;
}

async function flushIfRecording(recording) {
  if (recording) await vscode.commands.executeCommand('codetrail.flush');
}

// Code typed line after line, with the indentation typed too (auto-indent is off in the bench settings).
const SNIPPET =
  [
    '    total = compute(items[index], options)  # running total',
    '    if total > limit and not options.get("force"):',
    '        log.warning("limit %s reached at %d", limit, index)',
    '        return total',
    '',
  ].join('\n') + '\n';
const TERMINAL_COMMANDS = ['git status --short', 'echo "step $((1 + 1))"', 'ls src', 'git log --oneline -1', 'wc -l src/app.py'];

/**
 * 10,000 keystrokes, a cursor move after every 5th (2,000), a terminal command after every 200th
 * (50), a save after every 1,000th. `warmup` keystrokes (with their moves) come first, unmeasured,
 * so the measured ones run code V8 has had time to compile hot.
 */
async function cpuWorkload(recording) {
  const { edits = 10_000, warmup = 0, movesEvery = 5, terminalEvery = 200, saveEvery = 1000 } = config;
  const terminal = vscode.window.createTerminal({ name: 'bench', cwd: config.repo });
  terminal.show(true);
  const editor = await openAt(join(config.repo, 'src/app.py'), 100);
  // Shell integration must be up before the clock starts: the shell's start-up is not the workload.
  await runInTerminal(terminal, 'true');
  const counts = { edits: 0, moves: 0, terminal: 0, saves: 0 };
  const key = async (i) => {
    await typeKey(editor, SNIPPET[i % SNIPPET.length]);
    if (i % movesEvery === 0) {
      await moveCursor(editor, (i / movesEvery) % 2 === 1 ? 'cursorUp' : 'cursorDown');
      return true;
    }
    return false;
  };
  for (let i = 1; i <= warmup; i++) await key(i);
  await flushIfRecording(recording);
  const profiler = config.perf ? await startPerf(config.perf.out, config.perf.periodNs) : config.profile ? await startProfiler() : undefined;
  const main0 = mainThreadCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 1; i <= edits; i++) {
    if (await key(warmup + i)) counts.moves++;
    counts.edits++;
    if (i % terminalEvery === 0) {
      await runInTerminal(terminal, TERMINAL_COMMANDS[counts.terminal % TERMINAL_COMMANDS.length]);
      counts.terminal++;
    }
    if (i % saveEvery === 0) {
      await save(editor);
      counts.saves++;
    }
  }
  await flushIfRecording(recording);
  const cpu = process.cpuUsage(cpu0);
  const mainCpuMs = mainThreadCpuMs() - main0;
  const wallMs = performance.now() - t0;
  terminal.dispose();
  const raw = profiler ? await profiler.stop() : undefined;
  if (raw && config.profileOut && !config.perf) writeFileSync(config.profileOut, JSON.stringify(raw));
  const profile = raw && !config.perf ? summarise(raw, config.profileUrl) : undefined;
  return {
    pid: process.pid,
    ...counts,
    ...(profile ? { profile } : {}),
    mainCpuMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    userMs: cpu.user / 1000,
    systemMs: cpu.system / 1000,
    wallMs,
  };
}

/**
 * CPU time of this process's main thread (where extensions run), from the kernel; 10 ms ticks.
 * The profiler's samples are wall-clock intervals, so a thread the machine preempts is charged
 * the wait to whatever it was running: this is what turns sampled shares into CPU time.
 */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line; 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN; // not Linux
  }
}

/** V8's sampling profiler on this very process (the extension host), through the inspector. */
async function startProfiler() {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

/**
 * Linux perf sampling this process's main thread on its CPU clock: a sample per `periodNs` of CPU
 * the thread used, so time the machine gave to others is charged to nobody. It starts disabled
 * and is switched on and off through its control FIFO, whose acknowledgements are awaited, so the
 * samples cover the workload and nothing else. The caller symbolises them (bench/host.mjs: the
 * jitdump Node writes under --perf-prof, then bench/perfSamples.mjs).
 */
async function startPerf(out, periodNs) {
  const ctl = `${out}.ctl`;
  const ack = `${out}.ack`;
  execFileSync('mkfifo', [ctl, ack]);
  // -k mono: timestamps on the clock Node's jitdump uses, so `perf inject --jit` can match them.
  const args = [
    'record',
    '-q',
    '-k',
    'mono',
    '-e',
    'task-clock',
    '-c',
    String(periodNs),
    '-g',
    '-t',
    String(process.pid),
    '-D',
    '-1',
    '--control',
    `fifo:${ctl},${ack}`,
    '-o',
    out,
  ];
  const perf = spawn('perf', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  perf.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => perf.on('close', (code, signal) => resolve({ code, signal })));
  const died = exited.then(({ code, signal }) => {
    throw new Error(`perf record exited (${code ?? signal}): ${stderr.trim()}`);
  });
  died.catch(() => undefined); // raced against each acknowledgement; its normal end is awaited in stop()
  // Read-write opens of a FIFO do not wait for the other end (perf opens its ends when it starts).
  const ctlFd = openSync(ctl, constants.O_RDWR);
  const ackFile = await openFile(ack, constants.O_RDWR);
  const command = async (word) => {
    writeSync(ctlFd, `${word}\n`);
    await Promise.race([ackFile.read(Buffer.alloc(16), 0, 16, null), died]);
  };
  await command('enable');
  return {
    async stop() {
      await command('disable');
      perf.kill('SIGINT');
      const { code, signal } = await exited;
      closeSync(ctlFd);
      await ackFile.close();
      rmSync(ctl);
      rmSync(ack);
      // perf writes its data, then raises the signal it was stopped with again.
      if (code !== 0 && signal !== 'SIGINT') throw new Error(`perf record exited (${code ?? signal}): ${stderr.trim()}`);
    },
  };
}

function areaOf({ url, functionName }, codetrailUrl) {
  if (codetrailUrl && url.includes(codetrailUrl)) return 'codetrail';
  if (url.includes('/extensions/')) return 'builtin-extensions';
  if (url.includes('/lib/vscode/')) return 'vscode';
  if (url.includes('bench/host-workload')) return 'workload';
  if (url.startsWith('node:')) return 'node';
  if (!url && functionName.startsWith('(')) return functionName;
  return url ? 'other' : 'native';
}

/** Sampled time by script (Codetrail's bundle, VS Code's extension host, Node, other) and Codetrail's top functions. */
function summarise(profile, codetrailUrl) {
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byArea = {};
  const byFunction = {};
  let total = 0;
  for (const node of profile.nodes) {
    const us = dt.get(node.id) ?? 0;
    if (!us) continue;
    total += us;
    const area = areaOf(node.callFrame, codetrailUrl);
    byArea[area] = (byArea[area] ?? 0) + us;
    if (area === 'codetrail') {
      const fn = `${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`;
      byFunction[fn] = (byFunction[fn] ?? 0) + us;
    }
  }
  const ms = (us) => Math.round(us / 100) / 10;
  return {
    sampledMs: ms(total),
    byAreaMs: Object.fromEntries(
      Object.entries(byArea)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, ms(v)]),
    ),
    codetrailTopSelfMs: Object.fromEntries(
      Object.entries(byFunction)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => [k, ms(v)]),
    ),
  };
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
function heapAfterGc() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Rounds over the same files: open, type a line, move, save, close. Heap sampled after a full GC each round. */
async function memoryWorkload(recording) {
  const { files, rounds = 4, keysPerFile = 20 } = config;
  await flushIfRecording(recording);
  const samples = [heapAfterGc()];
  // Snapshots after the first round (everything loaded and warm) and after the last: what grows
  // between them grows with the session's length (bench/heapDiff.mjs compares them).
  const snapshots = [];
  for (let r = 0; r < rounds; r++) {
    for (const file of files) {
      const editor = await openAt(join(config.repo, file), 1);
      for (let k = 0; k < keysPerFile; k++) {
        await typeKey(editor, SNIPPET[k % SNIPPET.length]);
        if (k % 10 === 9) await moveCursor(editor, k % 20 === 9 ? 'cursorUp' : 'cursorDown');
      }
      await save(editor);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    await flushIfRecording(recording);
    samples.push(heapAfterGc());
    if (config.snapshotDir && (r === 0 || r === rounds - 1)) snapshots.push(v8.writeHeapSnapshot(join(config.snapshotDir, `round-${r + 1}.heapsnapshot`)));
  }
  return { files: files.length, rounds, keysPerFile, heapSamples: samples, heapGrowth: samples[samples.length - 1] - samples[0], snapshots };
}

/**
 * VS Code's own activation times, as `Developer: Startup Performance` shows them: the renderer's
 * `perf:` document holds a table of every extension's code loading, activate() call and finish.
 */
async function activationTimes(ids) {
  // The `perf:` content provider is registered when the Startup Performance view is first shown.
  await vscode.commands.executeCommand('perfview.show');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }));
  const parse = () => {
    const out = {};
    for (const line of doc.getText().split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
      if (cells.length >= 8 && ids.includes(cells[1]))
        out[cells[1]] = { loadCodeMs: Number(cells[3]), callActivateMs: Number(cells[4]), finishActivateMs: Number(cells[5]), event: cells[6] };
    }
    return out;
  };
  // Shortly after start-up the view is still being filled in: wait for its next versions.
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  while (Object.keys(parse()).length === 0 && Date.now() < deadline) {
    await nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === doc, 'Startup Performance content').catch(() => undefined);
  }
  return parse();
}

exports.run = async function run() {
  const recording = await setUp();
  const result = { mode: config.mode, recording };
  if (config.workload === 'cpu') Object.assign(result, await cpuWorkload(recording));
  else if (config.workload === 'memory') Object.assign(result, await memoryWorkload(recording));
  else if (config.workload === 'activation')
    void 0; // start-up only: the activation times below
  else throw new Error(`unknown workload ${config.workload}`);
  try {
    result.activation = await activationTimes(['codetrail.codetrail', 'codetrail-bench.baseline']);
  } catch (err) {
    result.activationError = String(err && err.message);
  }
  report(result);
};
