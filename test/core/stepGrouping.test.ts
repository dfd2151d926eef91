// Review and export show the same steps: a task recorded through the real capture pipeline on a
// simulated clock (edits in two files, a pause longer than the step gap, a session change, a
// terminal command, a test run and a commit in between), exported by the real exporter and opened
// by the real review model. The expected steps are written from the grouping rules
// (src/core/events/stepGrouping.ts), not read from either output.
import { stringDocument, type DocumentRedaction } from '../../src/core/redact/documentRedaction';
import { Redactor } from '../../src/core/redact/storeRedactor';
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureSession } from '../../src/core/capture/captureSession';
import { Recorder } from '../../src/core/capture/recorder';
import { gitBlobId } from '../../src/core/base/hash';
import { newUlid } from '../../src/core/base/ids';
import { STEP_GAP_MS } from '../../src/core/events/stepGrouping';
import { exportStore } from '../../src/core/export/exporter';
import type { Step } from '../../src/core/export/trajectory';
import { eventsByTask, verifyTask } from '../../src/core/replay/verify';
import { TaskReview, type StepSummary } from '../../src/core/review/reviewModel';
import { commit, REPO_ID } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

const T0 = 1_750_000_000_000;

/** Records the task; returns its id. */
async function recordTask(store: string): Promise<string> {
  let clock = T0;
  const now = () => clock;
  const recorder = new Recorder({ storePath: store, sessionId: newUlid(clock), contributorId: 'c_0000000000000001', now });
  const session = new CaptureSession(recorder, {
    flushIntervalMs: 3_600_000,
    idleMs: 3_600_000,
    now,
    sessionInfo: () => ({
      policyHash: 'f'.repeat(64),
      consentAt: T0 - 1000,
      captureLevel: 'full',
      redactionRules: 'test',
      extensionVersion: '0',
      vscodeVersion: '0',
    }),
    redactor: new Redactor('step-grouping-salt'),
  });
  const docs = new Map<string, { text: string; version: number; redaction?: DocumentRedaction }>();
  const doc = (file: string) => docs.get(file) ?? docs.set(file, { text: 'export const a = 1;\n', version: 1 }).get(file)!;
  /** Types `text` key by key at the end of the file, 100 ms a key, as EditorCapture reports it. */
  const type = (file: string, text: string) => {
    const d = doc(file);
    if (!d.redaction) {
      // As EditorCapture does: the document's redaction starts with the snapshot.
      const { redaction, redacted } = session.redactor.document(d.text);
      session.record(
        REPO_ID,
        'file.snapshot',
        { file, target: 'buffer', version: d.version, text: redacted, textLength: redacted.length, blob: gitBlobId(redacted), reason: 'first-edit' },
        'system',
      );
      d.redaction = redaction;
    }
    const redaction = d.redaction;
    for (const ch of text) {
      const change = { offset: d.text.length, length: 0, text: ch, textLength: 1 };
      d.text += ch;
      d.version += 1;
      session.edit({
        repoId: REPO_ID,
        file,
        fromVersion: d.version - 1,
        version: d.version,
        changes: [change],
        origin: 'typing',
        ts: clock,
        redaction: { state: redaction, doc: stringDocument(d.text) },
      });
      clock += 100;
    }
  };
  const move = (file: string, line: number) =>
    session.record(REPO_ID, 'selection', { file, kind: 'keyboard', selections: [{ anchor: [line, 0], active: [line, 0] }] }, 'user');
  const terminal = (commandLine: string, exitCode: number) =>
    session.record(
      REPO_ID,
      'terminal.command',
      { terminal: 't1', commandLine, confidence: 'high', cwd: '.', startTs: clock, endTs: clock + 800, exitCode },
      'user',
    );

  const taskId = session.startTask([REPO_ID], { title: 'Two files', description: 'change a and b', auto: false, branch: 'main' });
  session.record(
    REPO_ID,
    'git.state',
    { reason: 'task', head: 'b'.repeat(40), branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [] },
    'system',
  );
  clock += 1000;
  move('src/a.ts', 0); // 1. navigation in a.ts: no edit step is open
  clock += 1000;
  move('src/a.ts', 1); //    a move in the same file: the same navigation step
  clock += 1000;
  type('src/a.ts', 'let x'); // 2. edit a.ts (its snapshot first)
  move('src/a.ts', 2); //    a move while the burst is open: recorded before the burst's edit, so in step 1
  clock += 5000;
  session.closeBursts(); //  the burst closes (as after a pause in typing)
  move('src/a.ts', 1); //    a move in the edited file within the gap joins its step
  clock += 5000;
  type('src/a.ts', ' = 2;'); //    and so does the typing after it
  clock += STEP_GAP_MS + 15_000;
  type('src/a.ts', '\n'); // 3. edit a.ts again: a pause longer than the gap
  clock += 2000;
  type('src/b.ts', 'b();'); // 4. edit b.ts: another file
  clock += 1000;
  session.record(REPO_ID, 'file.save', { file: 'src/b.ts', version: doc('src/b.ts').version, blob: gitBlobId(doc('src/b.ts').text) }, 'user'); // 5. save
  session.setDisk(REPO_ID, 'src/b.ts', doc('src/b.ts').text);
  clock += 1000;
  terminal('npm test', 1); // 6. terminal
  session.record(
    REPO_ID,
    'test.run',
    { source: 'terminal', command: 'npm test', runner: 'jest', exitCode: 1, passed: 3, failed: 1, skipped: 0, failingTests: ['b › works'], durationMs: 800 },
    'user',
  ); // 7. test run
  clock += 2000;
  type('src/b.ts', ' c();'); // 8. edit b.ts after the test run
  clock += 3000;
  // The window reloads: a new session of the same task, within the gap of the last edit.
  session.endSession('window', 'window');
  session.resumeTask(taskId);
  doc('src/b.ts').redaction = undefined; // a new session takes the document in again
  clock += 1000;
  type('src/b.ts', ' d();'); // 9. edit b.ts in the new session: a step of its own
  clock += 1000;
  terminal('git commit -am fix', 0); // 10. terminal
  commit(session, { 'src/a.ts': doc('src/a.ts').text, 'src/b.ts': doc('src/b.ts').text }); // 11. commit
  clock += 1000;
  session.record(REPO_ID, 'task.review', { approved: true }, 'user');
  session.endTask([REPO_ID], { outcome: 'solved', note: '' });
  await session.dispose();
  return taskId;
}

/** The steps the rules make of the task above: review's category and export's kind, and the file. */
const EXPECTED: { category: StepSummary['category']; kind: Step['kind']; file: string | null }[] = [
  { category: 'navigation', kind: 'navigate', file: 'src/a.ts' },
  { category: 'edit', kind: 'edit', file: 'src/a.ts' },
  { category: 'edit', kind: 'edit', file: 'src/a.ts' },
  { category: 'edit', kind: 'edit', file: 'src/b.ts' },
  { category: 'file', kind: 'save', file: 'src/b.ts' },
  { category: 'terminal', kind: 'terminal', file: null },
  { category: 'test', kind: 'test', file: null },
  { category: 'edit', kind: 'edit', file: 'src/b.ts' },
  { category: 'edit', kind: 'edit', file: 'src/b.ts' },
  { category: 'terminal', kind: 'terminal', file: null },
  { category: 'commit', kind: 'commit', file: null },
];

describe('review and export group records into the same steps', () => {
  const tmp = useTempDir();

  it('a task with two files, a long pause, a session change, a terminal, a test run and a commit', async () => {
    const store = join(tmp(), 'store');
    const taskId = await recordTask(store);
    const { tasks } = await eventsByTask(store, () => undefined);
    const events = tasks.get(taskId)!;
    assert.equal(new Set(events.map((e) => e.session)).size, 2, 'the task spans two sessions');

    const review = new TaskReview(taskId, events, await verifyTask(taskId, events));
    const out = join(tmp(), 'out');
    await exportStore({ store, out, format: 'trajectories', version: 'test' });
    const dir = join(out, 'data', 'trajectories');
    const [row] = (
      await readFile(
        join(
          dir,
          (await readdir(dir)).find((n) => n.endsWith('.jsonl'))!,
        ),
        'utf8',
      )
    )
      .split('\n')
      .map((l) => l && JSON.parse(l));
    const exported = (row as { steps: Step[] }).steps;

    assert.deepEqual(
      review.steps.map((s) => ({ category: s.category, file: s.file })),
      EXPECTED.map(({ category, file }) => ({ category, file })),
      'review',
    );
    assert.deepEqual(
      exported.map((s) => ({ kind: s.kind, file: s.kind === 'navigate' ? s.files[0]! : s.file })),
      EXPECTED.map(({ kind, file }) => ({ kind, file })),
      'export',
    );
    // The same boundaries: each exported step starts when its review step does.
    assert.deepEqual(
      exported.map((s) => s.ts),
      review.steps.map((s) => s.ts),
    );

    // What each step holds, by the rules: the first edit step of a.ts has its snapshot, both typing
    // runs and the move between them; the pause splits a.ts; the new session splits b.ts.
    const kinds = (s: StepSummary) => [...new Set(s.ids.map((id) => events.find((e) => e.id === id)!.kind))].sort();
    assert.deepEqual(kinds(review.steps[0]!), ['selection']);
    assert.equal(review.steps[0]!.ids.length, 3);
    assert.deepEqual(kinds(review.steps[1]!), ['edit', 'file.snapshot', 'selection']);
    assert.deepEqual(kinds(review.steps[3]!), ['edit', 'file.snapshot']);
    assert.deepEqual(kinds(review.steps[8]!), ['edit', 'file.snapshot']);
    const sessionOf = (s: StepSummary) => events.find((e) => e.id === s.ids[0])!.session;
    assert.notEqual(sessionOf(review.steps[7]!), sessionOf(review.steps[8]!));
    // The exported diffs are what the steps typed.
    assert.match(exported[1]!.patch!, /^\+let x = 2;$/m);
    assert.match(exported[3]!.patch!, /^\+b\(\);$/m);
    assert.match(exported[7]!.patch!, /^\+b\(\); c\(\);$/m);
    assert.match(exported[8]!.patch!, /^\+b\(\); c\(\); d\(\);$/m);
    // Every step record is in exactly one step.
    const ids = review.steps.flatMap((s) => s.ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});
