// Opening a large task in the review panel, against plain reading and parsing of the same store
// in the same run: what the panel needs before it shows anything (the task's records, its replay
// verdict, the header, the timeline and the first page of steps), then scrubbing (the file at a
// random step, from replay checkpoints) and redacting a word across the whole task.
// Usage: npm run compile-tests && node bench/review.mjs [iterations]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiled as out, seededRandom, time } from './lib.mjs';

const { captureSession, SimDoc, REPO_ID } = out('test/helpers/taskStore.js');
const { readStore } = out('src/core/store/storeReader.js');
const { eventsByTask, verifyTask } = out('src/core/replay/verify.js');
const { TaskReview } = out('src/core/review/reviewModel.js');
const { redactWordInTask } = out('src/core/review/wordRedaction.js');

const ITERATIONS = Number(process.argv[2] ?? 12000);
const dir = await mkdtemp(join(tmpdir(), 'codetrail-bench-review-'));
const store = join(dir, 'store');

// One long task: typing in bursts across three files, a cursor move after each burst, saves,
// test runs; a customer name typed now and then (the word redacted below).
const rand = seededRandom(7);
const session = captureSession(store);
const taskId = session.startTask([REPO_ID], { title: 'a long task', description: 'many steps', auto: false, branch: 'main' });
session.record(
  REPO_ID,
  'git.state',
  { reason: 'task', head: 'b'.repeat(40), branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [] },
  'system',
);
const docs = [0, 1, 2].map((i) => new SimDoc(session, `src/module${i}.ts`, 'export function f() {\n  return 1;\n}\n'.repeat(60)));
const words = ['const', 'value', 'return', 'items', 'map', '=>', ';', '\n  ', 'Acme Rockets'];
for (let i = 0; i < ITERATIONS; i++) {
  const doc = docs[i % 3];
  doc.typeKeys(Math.floor(rand() * doc.text.length), words[Math.floor(rand() * words.length)] + ' ');
  session.closeBursts(); // a pause after each word: one edit record each
  session.record(REPO_ID, 'selection', { file: doc.file, kind: 'keyboard', selections: [{ anchor: [i % 50, 2], active: [i % 50, 2] }] }, 'user');
  if (i % 50 === 0) doc.save();
  if (i % 500 === 0) {
    const ts = Date.now();
    session.record(
      REPO_ID,
      'terminal.command',
      { terminal: 't1', commandLine: 'npm test', confidence: 'high', cwd: '.', startTs: ts, endTs: ts + 900, exitCode: 1 },
      'user',
    );
    session.record(
      REPO_ID,
      'test.run',
      { source: 'terminal', command: 'npm test', runner: 'jest', exitCode: 1, passed: 10, failed: 2, skipped: 0, failingTests: ['a › b'], durationMs: 900 },
      'user',
    );
  }
}
session.endTask([REPO_ID], { outcome: 'solved', note: '' });
await session.flush();
await session.dispose();

const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const baseline = await time(async () => {
  let n = 0;
  for await (const _ of readStore(store, () => undefined)) n++;
  return n;
});
const events = baseline.result;
line({ bench: 'review', measure: 'read+parse (baseline)', events, ms: Math.round(baseline.ms) });

const open = await time(async () => {
  const { tasks } = await eventsByTask(store, () => undefined);
  const records = tasks.get(taskId);
  const review = new TaskReview(taskId, records, await verifyTask(taskId, records));
  review.header();
  review.timeline();
  review.page({ offset: 0, limit: 200 });
  return { review, records };
});
const { review, records } = open.result;
line({
  bench: 'review',
  measure: 'open (records, replay verdict, header, timeline, first page)',
  events: records.length,
  steps: review.steps.length,
  ms: Math.round(open.ms),
  ratioToBaseline: +(baseline.ms / open.ms).toFixed(3),
});

const first = await time(() => review.fileAt(review.steps.length - 1));
line({ bench: 'review', measure: 'first scrub (builds replay checkpoints)', ms: Math.round(first.ms) });
const scrubs = [];
for (let i = 0; i < 50; i++) {
  const index = Math.floor(rand() * review.steps.length);
  scrubs.push((await time(() => review.fileAt(index))).ms);
}
line({ bench: 'review', measure: 'scrub to a random step', p50ms: +percentile(scrubs, 0.5).toFixed(2), p99ms: +percentile(scrubs, 0.99).toFixed(2) });

const search = await time(() => review.page({ offset: 0, limit: 200, text: 'acme' }));
line({ bench: 'review', measure: 'search all steps', matches: search.result.total, ms: +search.ms.toFixed(1) });

const redact = await time(() => redactWordInTask(records, 'Acme Rockets', 'bench-salt'));
line({
  bench: 'review',
  measure: 'redact a word across the task (before writing)',
  changed: redact.result.changed,
  ms: Math.round(redact.ms),
  ratioToBaseline: +(baseline.ms / redact.ms).toFixed(3),
});
await rm(dir, { recursive: true, force: true });
