// Terminal output cleaning (src/core/terminal/ansi.ts) at the sizes a long test run prints: a
// megabyte of redrawn jest/vitest status lines and one line of 100,000 coloured progress dots.
// Baseline: a single regular expression that only drops colour codes, over the same input.
// Usage: npm run compile-tests && node bench/terminal.mjs
import { readFileSync } from 'node:fs';
import { compiled, time } from './lib.mjs';

const { stripTerminalSequences } = compiled('src/core/terminal/ansi.js');
const baseline = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');
const ROUNDS = 5;

const chunk = readFileSync('test/fixtures/test-output/vitest-fail.txt', 'utf8');
const inputs = {
  'redrawn output, 1 MB': chunk.repeat(Math.ceil(1_000_000 / chunk.length)),
  'one line of 100,000 coloured dots': '\x1b[32m.\x1b[0m'.repeat(100_000) + '\r\n',
};

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, text] of Object.entries(inputs)) {
  const ours = [];
  const base = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push((await time(() => stripTerminalSequences(text))).ms);
    base.push((await time(() => baseline(text))).ms);
  }
  const ms = median(ours);
  const mbPerS = text.length / 1e6 / (ms / 1000);
  const verdict = ms < 1000 ? 'OK (target: under 1 s)' : 'SLOW (target: under 1 s)';
  process.stdout.write(
    `${name}: ${ms.toFixed(1)} ms (${mbPerS.toFixed(1)} MB/s), baseline colour-strip regex ${median(base).toFixed(1)} ms, ratio ${(ms / median(base)).toFixed(1)}x — ${verdict}\n`,
  );
}
