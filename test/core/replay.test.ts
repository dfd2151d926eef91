// Replay against a store written by the real capture session and recorder: the events an editor
// would produce for a small task, then verify.
import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureSession } from '../../src/core/capture/captureSession';
import { verifyStore } from '../../src/core/replay/verify';
import { captureSession, commit, externalChange, REPO_ID, SimDoc } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

const REPO = REPO_ID;

describe('replay and verify', () => {
  const tmp = useTempDir();
  let session: CaptureSession;

  beforeEach(() => {
    session = captureSession(tmp());
  });
  afterEach(() => session.dispose());

  /** A task: typing with backspaces, a paste, a save, an external edit and a new file, a commit. */
  async function recordTask() {
    session.startTask([REPO], { title: 'fix add', description: 'add() is wrong', auto: false, branch: 'main' });
    const doc = new SimDoc(session, 'src/add.js', 'export const add = (a, b) => a - b;\n');
    doc.type(31, '', 1);
    doc.type(31, '+');
    for (const [i, ch] of [...' // fixd'].entries()) doc.type(35 + i, ch);
    doc.type(42, '', 1);
    doc.type(42, 'ed');
    doc.type(0, '// header\n// pasted\n', 0, 'paste');
    doc.save();
    externalChange(session, 'src/add.js', doc.text + 'console.log(add(1, 2));\n');
    externalChange(session, 'test/add.test.js', 'test file\n');
    commit(session, { 'src/add.js': doc.text + 'console.log(add(1, 2));\n', 'test/add.test.js': 'test file\n' });
    session.endTask([REPO], { outcome: 'solved', note: '' });
    await session.flush();
  }

  it('a recorded task replays exactly: the rebuilt files are what was committed', async () => {
    await recordTask();
    const report = await verifyStore(tmp());
    assert.deepEqual(report.issues, []);
    assert.equal(report.tasks.length, 1);
    const [task] = report.tasks;
    assert.equal(task!.status, 'exact', JSON.stringify(task));
    assert.equal(task!.title, 'fix add');
    assert.deepEqual(task!.checks, { saves: 1, commitFiles: 2 });
    assert.equal(report.summary.exact, 1);
  });

  it('a lost edit is found: verify names the first diverging event and file', async () => {
    await recordTask();
    const dir = join(tmp(), 'repos', REPO);
    const [file] = await readdir(dir);
    const lines = (await readFile(join(dir, file!), 'utf8')).trimEnd().split('\n');
    const edits = lines.filter((l) => JSON.parse(l).kind === 'edit');
    assert.ok(edits.length >= 2, 'a burst and a paste');
    const dropped = edits[0]!;
    await writeFile(join(dir, file!), lines.filter((l) => l !== dropped).join('\n') + '\n');
    const [task] = (await verifyStore(tmp())).tasks;
    assert.equal(task!.status, 'diverged');
    assert.equal(task!.divergence!.file, 'src/add.js');
    assert.match(task!.divergence!.reason, /version/);
  });

  it('a commit that does not match the rebuilt content is a divergence at the commit', async () => {
    session.startTask([REPO], { title: 't', description: '', auto: false, branch: null });
    externalChange(session, 'a.txt', 'one\n');
    externalChange(session, 'a.txt', 'two\n');
    commit(session, { 'a.txt': 'three\n' });
    await session.flush();
    const [task] = (await verifyStore(tmp())).tasks;
    assert.equal(task!.status, 'diverged');
    assert.equal(task!.divergence!.kind, 'git.commit');
    assert.equal(task!.divergence!.file, 'a.txt');
  });

  it('a committed file replay never saw is reported unverified, not exact', async () => {
    session.startTask([REPO], { title: 't', description: '', auto: false, branch: null });
    commit(session, { 'unseen.txt': 'x\n' });
    await session.flush();
    const [task] = (await verifyStore(tmp())).tasks;
    assert.equal(task!.status, 'unverified');
    assert.deepEqual(
      task!.unverified.map((u) => u.file),
      ['unseen.txt'],
    );
  });

  it('deletions replay: a file deleted on disk and committed as deleted checks out', async () => {
    session.startTask([REPO], { title: 't', description: '', auto: false, branch: null });
    externalChange(session, 'gone.txt', 'bye\n');
    externalChange(session, 'gone.txt', null);
    commit(session, { 'gone.txt': null });
    await session.flush();
    const [task] = (await verifyStore(tmp())).tasks;
    assert.equal(task!.status, 'exact', JSON.stringify(task));
  });
});
