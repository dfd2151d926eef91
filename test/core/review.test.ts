// Review rewrites against stores written by the real capture session: a word redacted everywhere
// (also where it was typed a few keys at a time), steps deleted behind a gap, and the store
// transaction killed at each of its steps.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffLines } from 'diff';
import type { CaptureSession } from '../../src/core/capture/captureSession';
import { buildTrajectory } from '../../src/core/export/trajectory';
import { verifyStore } from '../../src/core/replay/verify';
import { recordReview } from '../../src/core/review/approval';
import { TaskReview } from '../../src/core/review/reviewModel';
import { deleteRecords } from '../../src/core/review/stepDeletion';
import { indexStore } from '../../src/core/review/taskIndex';
import { loadTask, rewriteTask } from '../../src/core/review/taskRewrite';
import { checkWord, redactWordInTask, wordPlaceholder } from '../../src/core/review/wordRedaction';
import { verifyTask } from '../../src/core/replay/verify';
import type { EventRecord } from '../../src/core/schema/events';
import { readStore } from '../../src/core/store/storeReader';
import { recoverStore, replaceSegments } from '../../src/core/store/transaction';
import { captureSession, commit, externalChange, REPO_ID, SALT, SimDoc, storeText } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

const WORD = 'Zyxwvu Holdings';
const BASE = 'const client = "";\nmodule.exports = { client };\n';

async function records(store: string): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for await (const { record } of readStore(store, () => undefined)) out.push(record);
  return out;
}

describe('review: redact a word everywhere, delete steps, approve', () => {
  const tmp = useTempDir();
  let session: CaptureSession;
  beforeEach(() => {
    session = captureSession(tmp());
  });
  afterEach(() => session.dispose());

  /** A task where the word is typed in pieces (a save between them), run in the terminal, written by a tool and committed. */
  async function recordTask(): Promise<{ taskId: string; doc: SimDoc }> {
    const taskId = session.startTask([REPO_ID], { title: `Onboard ${WORD}`, description: 'add the client', auto: false, branch: 'main' });
    const doc = new SimDoc(session, 'src/client.js', BASE);
    const at = BASE.indexOf('""') + 1;
    doc.typeKeys(at, WORD.slice(0, 4));
    doc.save();
    doc.typeKeys(at + 4, WORD.slice(4));
    doc.typeKeys(doc.text.length, '// more\n');
    doc.save();
    session.record(
      REPO_ID,
      'terminal.command',
      {
        terminal: 't1',
        commandLine: `grep -r "${WORD}" src`,
        confidence: 'high',
        cwd: '.',
        startTs: Date.now(),
        endTs: Date.now() + 5,
        exitCode: 0,
        output: { text: `src/client.js: ${WORD}`, truncated: false, totalBytes: 40 },
      },
      'user',
    );
    externalChange(session, 'docs/clients.md', `# Clients\n\n- ${WORD}\n`);
    commit(session, { 'src/client.js': doc.text, 'docs/clients.md': `# Clients\n\n- ${WORD}\n` }, { message: `Add ${WORD}` });
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    await session.flush();
    // As the extension does before a rewrite: its own segments are closed (a live writer's are refused).
    await session.closeSegments();
    return { taskId, doc };
  }

  it('redacts the word in every record, pieces typed before it was whole included, and the task still replays exactly', async () => {
    const { taskId } = await recordTask();
    const before = await storeText(tmp());
    // The test means something only if the word was stored in pieces no single record holds whole.
    const pieces = (await records(tmp())).filter((r) => r.kind === 'edit').map((r) => (r.kind === 'edit' ? r.data.changes.map((c) => c.text).join('') : ''));
    assert.ok(
      pieces.some((t) => t.startsWith(WORD.slice(0, 4)) && !t.includes(WORD)),
      'the first keys are an edit of their own',
    );
    assert.ok(before.includes(WORD));
    assert.equal((await verifyStore(tmp())).tasks[0]!.status, 'exact');

    const report = await rewriteTask(tmp(), taskId, (events) => redactWordInTask(events, WORD, SALT).records);
    assert.equal(report.after.status, 'exact');
    assert.ok(report.recordsChanged >= 6, `changed ${report.recordsChanged}`);
    const after = await storeText(tmp());
    assert.ok(!after.includes(WORD.slice(0, 3)), 'not even the first three keys are left');
    assert.ok(!after.includes('Holdings'));
    assert.ok(after.includes(wordPlaceholder(WORD, SALT)));
    const verdict = (await verifyStore(tmp())).tasks[0]!;
    assert.equal(verdict.status, 'exact', JSON.stringify(verdict));
    assert.deepEqual(verdict.checks, { saves: 2, commitFiles: 2 });
    // What was not the word is untouched.
    assert.ok(after.includes('// more'));
    assert.ok(after.includes('grep -r'));
  });

  it('refuses words that would damage placeholders or take whole lines', () => {
    assert.match(checkWord('ab') ?? '', /at least/);
    assert.match(checkWord('two\nlines') ?? '', /one line/);
    assert.match(checkWord('«secret:github:abcdef»') ?? '', /placeholder/);
    assert.equal(checkWord(WORD), undefined);
  });

  it('deleting steps leaves a gap that replay resumes from: still exact, the records gone, the counts kept', async () => {
    const { taskId } = await recordTask();
    const events = await loadTask(tmp(), taskId);
    const review = new TaskReview(taskId, events, await verifyTask(taskId, events));
    const edits = review.steps.filter((s) => s.category === 'edit');
    assert.ok(edits.length >= 2);
    // The first burst and the save after it: a range in the middle of the buffer's history.
    const range = review.steps.slice(edits[0]!.index, edits[1]!.index);
    const ids = new Set(range.flatMap((s) => s.ids));
    const report = await rewriteTask(tmp(), taskId, async (evs) => (await deleteRecords(evs, ids)).records);
    assert.equal(report.after.status, 'exact');
    const stored = await records(tmp());
    for (const id of ids) {
      const left = stored.find((r) => r.id === id);
      assert.ok(!left || left.kind === 'gap', `record ${id} is gone`);
    }
    const gaps = stored.filter((r) => r.kind === 'gap');
    assert.equal(gaps.length, 1);
    const gap = gaps[0]!;
    assert.ok(gap.kind === 'gap');
    assert.equal(gap.data.removed, ids.size);
    const expected = new Map<string, number>();
    for (const e of events) if (ids.has(e.id)) expected.set(e.kind, (expected.get(e.kind) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(gap.data.kinds.map((k) => [k.kind, k.count])), Object.fromEntries(expected));
    assert.equal((await verifyStore(tmp())).tasks[0]!.status, 'exact');
    // Exports say that steps were removed.
    const trajectory = await buildTrajectory(taskId, await loadTask(tmp(), taskId));
    assert.equal(trajectory.provenance.deleted_in_review, ids.size);
  });

  it('a rewrite that would break replay is refused and the store is left byte for byte', async () => {
    const { taskId } = await recordTask();
    const before = await storeText(tmp());
    const firstEdit = (await records(tmp())).find((r) => r.kind === 'edit')!;
    await assert.rejects(
      rewriteTask(tmp(), taskId, (events) => events.filter((e) => e.id !== firstEdit.id)),
      (err: Error & { code?: string }) => err.code === 'would-break-replay' && /diverged/.test(err.message),
    );
    assert.equal(await storeText(tmp()), before);
  });

  it('an edit step shows the change itself as a diff, whose first record is the file’s snapshot', async () => {
    const { taskId } = await recordTask();
    const events = await loadTask(tmp(), taskId);
    const review = new TaskReview(taskId, events, await verifyTask(taskId, events));
    const first = review.steps.find((s) => s.category === 'edit')!;
    assert.equal(events.find((e) => e.id === first.ids[0])!.kind, 'file.snapshot', 'the step opens with the snapshot of its first edit');
    const detail = await review.detail(first.index);
    assert.equal(detail.kind, 'diff', JSON.stringify(detail));
    if (detail.kind !== 'diff') return;
    assert.match(detail.patch, /^-const client = "";$/m);
    assert.match(detail.patch, /^\+const client = "Zyxw/m);
    assert.match(detail.note, /^\d+ keys? · origin: /);
    assert.doesNotMatch(detail.note, /\(s\)/);
  });

  it('edit steps carry their recorded origins; the commit step says who wrote its added lines', async () => {
    const { taskId, doc } = await recordTask();
    const events = await loadTask(tmp(), taskId);
    const review = new TaskReview(taskId, events, await verifyTask(taskId, events));
    const edits = review.steps.filter((s) => s.category === 'edit');
    assert.ok(edits.length > 0);
    for (const s of edits) assert.deepEqual(s.origins, ['typing']);
    const detail = await review.detail(review.steps.find((s) => s.category === 'commit')!.index);
    assert.equal(detail.kind, 'commit');
    if (detail.kind !== 'commit') return;
    // The recorded mix: the lines the engineer changed in src/client.js were typed; docs/clients.md, every line, a tool wrote.
    const typed = diffLines(BASE, doc.text).reduce((n, p) => n + (p.added ? p.count : 0), 0);
    const tool = `# Clients\n\n- ${WORD}\n`.split('\n').length - 1;
    assert.deepEqual(detail.authorship, { added: typed + tool, counts: { typed, pasted: 0, completed: 0, agent: 0, tool } });
  });

  it('approving later adds no session, time or event to the task (the view, the panel header, the trajectory)', async () => {
    const { taskId } = await recordTask();
    const summary = async () => (await indexStore(tmp()))[0]!.tasks[0]!;
    const before = await summary();
    const headerOf = async () => {
      const events = await loadTask(tmp(), taskId);
      return { header: new TaskReview(taskId, events, await verifyTask(taskId, events)).header(), trajectory: await buildTrajectory(taskId, events) };
    };
    const panelBefore = await headerOf();
    // Decided a while after the work: the decision's own clock must not stretch the task.
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    try {
      await recordReview(tmp(), taskId, await loadTask(tmp(), taskId), true);
    } finally {
      Date.now = realNow;
    }
    const after = await summary();
    assert.equal(after.approved, true, 'the decision is recorded');
    assert.equal(before.approved, false);
    assert.deepEqual({ ...after, approved: false }, before, 'same sessions, start, end and event count');
    const panelAfter = await headerOf();
    assert.deepEqual({ ...panelAfter.header, approved: false }, panelBefore.header);
    assert.deepEqual(panelAfter.trajectory.provenance.sessions, panelBefore.trajectory.provenance.sessions);
  });

  it('the view index lists the task with its approval, and the review model pages, searches and replays it', async () => {
    const { taskId, doc } = await recordTask();
    session.resumeTask(taskId);
    session.record(REPO_ID, 'task.review', { approved: true }, 'user');
    await session.flush();
    const [repo] = await indexStore(tmp());
    assert.equal(repo!.tasks[0]!.task, taskId);
    assert.equal(repo!.tasks[0]!.approved, true);
    assert.equal(repo!.tasks[0]!.status, 'exact');

    const events = await loadTask(tmp(), taskId);
    const review = new TaskReview(taskId, events, await verifyTask(taskId, events));
    const terminal = review.page({ offset: 0, limit: 10, categories: ['terminal'] });
    assert.equal(terminal.total, 1);
    assert.match(terminal.items[0]!.title, /grep/);
    assert.equal(
      review.page({ offset: 0, limit: 50, text: 'holdings' }).items.some((s) => s.category === 'commit'),
      true,
    );
    const lastEdit = review.steps.filter((s) => s.category === 'edit').at(-1)!;
    const file = await review.fileAt(lastEdit.index);
    assert.equal(file!.text, doc.text);
    // The last burst finished the word on line 1 and added line 3.
    assert.deepEqual(file!.changedLines, [1, 3]);
    assert.equal(file!.removedLines, 0, 'line 1 was changed, not removed');
    const timeline = review.timeline();
    const counted = timeline.buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);
    assert.equal(counted, review.steps.length);
    assert.ok(timeline.marks.some((m) => m.category === 'commit'));
  });
});

describe('store transaction: a segment another process is still writing', () => {
  const tmp = useTempDir();
  const writerModule = join(__dirname, '../../src/core/store/segmentWriter.js');

  it('is not rewritten while that process lives, and is once it is gone (a crash leaves only a stale mark)', async () => {
    const session = captureSession(tmp());
    const taskId = session.startTask([REPO_ID], { title: 't', description: '', auto: false, branch: null });
    new SimDoc(session, 'a.txt', 'Zyxwvu one\n').type(0, 'x');
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    await session.flush();
    await session.dispose();
    const dir = join(tmp(), 'repos', REPO_ID);
    // Another window: a writer that opened a segment of its own session, holding it open.
    const child = spawn(process.execPath, [
      '-e',
      `
      const { SegmentWriter } = require(${JSON.stringify(writerModule)});
      const w = new SegmentWriter({ dir: ${JSON.stringify(dir)}, sessionId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
      w.append('{"not":"a record of the task"}');
      w.flush().then(() => process.stdout.write('open\\n'));
      setInterval(() => {}, 1000);
    `,
    ]);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const other = (await readdir(dir)).find((n) => n.startsWith('01ARZ3NDEKTSV4RRFFQ69G5FAV') && n.endsWith('.jsonl'))!;
    try {
      const before = await storeText(tmp());
      // A rewrite that touches the other process's segment is refused, and changes nothing.
      await assert.rejects(replaceSegments(tmp(), [{ path: join(dir, other), lines: [] }]), (err: Error) =>
        /still being recorded \(process \d+/.test(err.message),
      );
      assert.equal(await storeText(tmp()), before);
      // A rewrite of this task's own, closed segments goes ahead.
      await rewriteTask(tmp(), taskId, (events) => redactWordInTask(events, 'Zyxwvu', SALT).records);
      assert.ok(!(await storeText(tmp())).includes('Zyxwvu'));
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Killed: its mark is stale now.
    await replaceSegments(tmp(), [{ path: join(dir, other), lines: ['{"kept":1}'] }]);
    assert.equal(await readFile(join(dir, other), 'utf8'), '{"kept":1}\n');
  });
});

describe('store transaction: readers and another rewrite in progress', () => {
  const tmp = useTempDir();

  it('a reader leaves the temporary files of a rewrite still writing them; only a stale one is removed, by a rewrite', async () => {
    const session = captureSession(tmp());
    session.record(REPO_ID, 'file.open', { file: 'a.txt', languageId: 'plaintext', lineCount: 1 }, 'user');
    await session.flush();
    await session.dispose();
    const dir = join(tmp(), 'repos', REPO_ID);
    const [segment] = await readdir(dir);
    const temp = join(dir, `${segment}.rewrite.tmp`); // another process's, its journal not written yet
    await writeFile(temp, 'new content\n');
    await records(tmp());
    assert.ok(
      await stat(temp).then(
        () => true,
        () => false,
      ),
      'a reader did not touch it',
    );
    await recoverStore(tmp(), { staleAfterMs: 60_000 });
    assert.ok(
      await stat(temp).then(
        () => true,
        () => false,
      ),
      'too young to be stale',
    );
    await recoverStore(tmp(), { staleAfterMs: 0 });
    assert.ok(
      !(await stat(temp).then(
        () => true,
        () => false,
      )),
      'stale: removed',
    );
  });
});

describe('store transaction: killed at any step, the store is all old or all new', () => {
  const tmp = useTempDir();
  const transaction = join(__dirname, '../../src/core/store/transaction.js');

  for (const step of ['before', 'temp-written', 'journal-written', 'renamed-one', 'renamed-all'] as const) {
    it(`SIGKILL at ${step}`, async () => {
      const session = captureSession(tmp());
      session.startTask([REPO_ID], { title: 't', description: '', auto: false, branch: null });
      new SimDoc(session, 'a.txt', 'one\n').type(0, 'x');
      await session.flush();
      await session.closeSegments();
      session.record(REPO_ID, 'file.open', { file: 'b.txt', languageId: 'plaintext', lineCount: 1 }, 'user');
      await session.flush();
      await session.dispose();
      const dir = join(tmp(), 'repos', REPO_ID);
      const names = (await readdir(dir)).sort();
      assert.equal(names.length, 2, `two segments to rewrite together: ${names.join(', ')}`);
      const old = await storeText(tmp());
      const script = `
        const { replaceSegments } = require(${JSON.stringify(transaction)});
        const dir = ${JSON.stringify(dir)};
        const names = ${JSON.stringify(names)};
        const fs = require('fs');
        const text = (n) => { const b = fs.readFileSync(dir + '/' + n); return (n.endsWith('.gz') ? require('zlib').gunzipSync(b) : b).toString('utf8'); };
        const replacements = names.map((n) => ({ path: dir + '/' + n, lines: text(n).trimEnd().split('\\n').map((l) => l + ' ') }));
        if (${JSON.stringify(step)} === 'before') process.kill(process.pid, 'SIGKILL');
        replaceSegments(${JSON.stringify(tmp())}, replacements, (s) => { if (s === ${JSON.stringify(step)}) process.kill(process.pid, 'SIGKILL'); });
      `;
      const child = spawnSync(process.execPath, ['-e', script]);
      assert.equal(child.signal, 'SIGKILL', child.stderr.toString());
      // The next reader rolls a committed rewrite forward; the next rewrite removes what was left
      // of an uncommitted one (here at once: no other rewrite is running).
      await records(tmp());
      await recoverStore(tmp(), { staleAfterMs: 0 });
      const now = await storeText(tmp());
      const renamed = step !== 'before' && step !== 'temp-written';
      const expected = renamed ? old.replace(/\n/g, ' \n') : old;
      assert.equal(now, expected);
      assert.deepEqual((await readdir(dir)).sort(), names, 'no temporary files left');
      assert.deepEqual(
        (await readdir(tmp())).filter((n) => n.includes('journal')),
        [],
      );
    });
  }
});
