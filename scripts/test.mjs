// `npm test`: lint, unit tests in plain Node, then the integration tests in a real VS Code. All
// stream their output; at the end one plain line adds up what ran: "N passed, N failed, N skipped"
// (lint counts as one check: passed when clean).
import { spawn } from 'node:child_process';

function run(command, args, onLine) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      lines.forEach(onLine);
    });
    child.on('close', (code, signal) => {
      if (rest) onLine(rest);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const unit = { passed: 0, failed: 0, skipped: 0 };
/** Wall time of each part, in seconds, as printed at the end (scripts/soak.mjs reads that line). */
const times = new Map();
const timed = async (name, work) => {
  const started = Date.now();
  const result = await work();
  if (!times.has(name)) times.set(name, (Date.now() - started) / 1000);
  return result;
};
// Lint is eslint, then Prettier's check of the formatting (both print what they found).
const lintCode = await timed('lint', async () => {
  const eslint = await run(process.execPath, ['node_modules/eslint/bin/eslint.js', '.'], () => undefined);
  const prettier = await run(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.'], () => undefined);
  return eslint || prettier;
});
process.stdout.write(`lint: ${lintCode === 0 ? 'clean' : 'problems found (see above)'}\n`);
totals[lintCode === 0 ? 'passed' : 'failed'] += 1;
const unitCode = await timed('unit', () =>
  run(process.execPath, ['node_modules/mocha/bin/mocha.js', '--config', '.mocharc.json'], (line) => {
    const m = /^\s+(\d+) (passing|failing|pending)\b/.exec(line);
    if (m) unit[{ passing: 'passed', failing: 'failed', pending: 'skipped' }[m[2]]] = Number(m[1]);
  }),
);
for (const k of Object.keys(totals)) totals[k] += unit[k];
if (unitCode !== 0 && unit.failed === 0) totals.failed += 1; // mocha itself failed to run

const seen = new Set();
const countHostLine = (line) => {
  // "[host] scenario trusted: passed (exit code 0, 22.5s, …" / "[resilience] scenario crash: passed in 52.6s"
  const t = /^\[(host|resilience)\] scenario (\S+): \w+ (?:in |\(.*?, )(\d+(?:\.\d+)?)s\b/.exec(line);
  if (t) times.set(t[1] === 'resilience' ? `resilience-${t[2]}` : t[2], Number(t[3]));
  const m = /\[codetrail-host-result\] (\S+): (\d+) passed, (\d+) failed, (\d+) skipped/.exec(line);
  if (!m || seen.has(m[1])) return;
  seen.add(m[1]);
  totals.passed += Number(m[2]);
  totals.failed += Number(m[3]);
  totals.skipped += Number(m[4]);
};
const hostRun = await run(process.execPath, ['scripts/host/run-tests.mjs', ...process.argv.slice(2)], countHostLine);
// Crash, two windows, full disk: driven from outside the host (scripts/host/resilience.mjs).
const resilienceCode = await run(process.execPath, ['scripts/host/resilience.mjs', ...process.argv.slice(2)], countHostLine);
const hostCode = hostRun || resilienceCode;
if (hostCode !== 0 && totals.failed === 0) totals.failed += 1; // a scenario that never reported

process.stdout.write(`\ntimes: ${[...times].map(([name, sec]) => `${name} ${sec.toFixed(1)}s`).join(', ')}\n`);
process.stdout.write(
  `lint: ${lintCode === 0 ? 'clean' : 'failed'}; unit: ${unit.passed} passed, ${unit.failed} failed; host scenarios: ${[...seen].join(', ') || 'none reported'}\n`,
);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(lintCode === 0 && unitCode === 0 && hostCode === 0 ? 0 : 1);
