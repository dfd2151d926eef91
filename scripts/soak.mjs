// Runs the whole suite several times from fresh clones, as CI does (`git clone`, `npm ci`,
// `npm test`), and prints how many runs passed and how long each part took: a test that fails one
// run in N shows up here. Usage:
//   node scripts/soak.mjs [--runs 10] [--from <repository>] [--reuse-host] [--label soak]
// --from      what to clone (default: this checkout's repository, its HEAD commit)
// --reuse-host  link this checkout's installed code-server instead of installing it in each clone
//             (faster; the fresh install is then not part of what is tested)
// --label     the folder under test-artifacts/ for the logs (default soak), so that two soaks can run at once
// Each run's output is kept in test-artifacts/soak/run-<n>.log.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    from: { type: 'string', default: root },
    'reuse-host': { type: 'boolean', default: false },
    label: { type: 'string', default: 'soak' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, not ${values.runs}`);
const logs = join(root, 'test-artifacts', values.label);
mkdirSync(logs, { recursive: true });
const commit = execFileSync('git', ['-C', values.from, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const say = (msg) => process.stdout.write(`[soak] ${msg}\n`);

/** Runs a command with its output appended to `log`; resolves with its exit code and the lines it printed. */
function run(command, args, cwd, log) {
  return new Promise((done) => {
    const lines = [];
    let rest = '';
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (chunk) => {
      log.write(chunk);
      const parts = (rest + chunk).split('\n');
      rest = parts.pop();
      lines.push(...parts);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code, signal) => {
      if (rest) lines.push(rest);
      done({ code: code ?? (signal ? 1 : 0), lines });
    });
  });
}

/** "times: unit 26.0s, trusted 22.5s, …" as printed last by scripts/test.mjs. */
function partTimes(lines) {
  const line = lines.findLast((l) => l.startsWith('times: '));
  if (!line) return new Map();
  return new Map(
    line
      .slice('times: '.length)
      .split(', ')
      .map((part) => {
        const at = part.lastIndexOf(' ');
        return [part.slice(0, at), Number(part.slice(at + 1, -1))];
      }),
  );
}

const results = [];
say(`${runs} run(s) of git clone + npm ci + npm test at ${commit.slice(0, 10)}${values['reuse-host'] ? ' (code-server linked, not installed)' : ''}`);
for (let n = 1; n <= runs; n++) {
  const dir = mkdtempSync(join(tmpdir(), 'codetrail-soak-'));
  const log = createWriteStream(join(logs, `run-${n}.log`));
  const started = Date.now();
  let outcome;
  try {
    execFileSync('git', ['clone', '-q', values.from, dir]);
    execFileSync('git', ['-C', dir, 'checkout', '-q', commit]);
    if (values['reuse-host'] && existsSync(join(root, '.vscode-test'))) symlinkSync(join(root, '.vscode-test'), join(dir, '.vscode-test'));
    const install = await run('npm', ['ci'], dir, log);
    const installSeconds = (Date.now() - started) / 1000;
    const test = install.code === 0 ? await run('npm', ['test'], dir, log) : { code: install.code, lines: [] };
    const summary = test.lines.findLast((l) => /^\d+ passed, \d+ failed, \d+ skipped$/.test(l)) ?? (install.code ? 'npm ci failed' : 'no summary line');
    const failures = test.lines.filter((l) => /\bFAIL\b|^\s+\d+\) /.test(l)).slice(0, 10);
    outcome = { n, ok: test.code === 0, summary, failures, install: installSeconds, times: partTimes(test.lines) };
  } catch (err) {
    outcome = { n, ok: false, summary: err instanceof Error ? err.message : String(err), failures: [], install: 0, times: new Map() };
  } finally {
    await new Promise((r) => log.end(r));
    // A failed run keeps what its scenarios left to look at (logs, stores, screenshots).
    if (!outcome?.ok && existsSync(join(dir, 'test-artifacts'))) cpSync(join(dir, 'test-artifacts'), join(logs, `run-${n}-artifacts`), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
  }
  outcome.seconds = (Date.now() - started) / 1000;
  results.push(outcome);
  say(`run ${n}: ${outcome.ok ? 'passed' : 'FAILED'} in ${outcome.seconds.toFixed(0)} s (npm ci ${outcome.install.toFixed(0)} s): ${outcome.summary}`);
  for (const f of outcome.failures) say(`    ${f.trim()}`);
}

const passed = results.filter((r) => r.ok).length;
say(`${passed} of ${runs} run(s) passed`);
const parts = [...new Set(results.flatMap((r) => [...r.times.keys()]))];
const rows = parts.map((name) => {
  const seen = results
    .map((r) => r.times.get(name))
    .filter((t) => t !== undefined)
    .sort((a, b) => a - b);
  return { name, median: seen[Math.floor(seen.length / 2)], max: seen.at(-1) };
});
rows.sort((a, b) => b.max - a.max);
say('part                          median      max   (slowest first)');
for (const r of rows) say(`${r.name.padEnd(28)} ${r.median.toFixed(1).padStart(7)}s ${r.max.toFixed(1).padStart(7)}s`);
const walls = results.map((r) => r.seconds).sort((a, b) => a - b);
say(`whole run (clone to last test): median ${walls[Math.floor(walls.length / 2)].toFixed(0)} s, max ${walls.at(-1).toFixed(0)} s`);
process.exit(passed === runs ? 0 : 1);
