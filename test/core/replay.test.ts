// Replay against a store written by the real capture session and recorder: the events an editor
// would produce for a small task, then verify.
import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureSession } from '../../src/core/capture/captureSession';
import { diskChangeEvent } from '../../src/core/capture/diskChange';
import { gitBlobId } from '../../src/core/hash';
import { Recorder } from '../../src/core/recorder';
import { verifyStore } from '../../src/core/replay/verify';
import type { TextChange } from '../../src/core/schema/events';
import { newUlid } from '../../src/core/ids';
import { useTempDir } from '../helpers/tmp';

const REPO = 'r_00000000000000aa';

/** A document as the editor holds it, driving the capture session the way EditorCapture does. */
class SimDoc {
  version = 1;
  private known = false;
  constructor(
    private readonly session: CaptureSession,
    readonly file: string,
    public text: string,
  ) {}

  type(offset: number, text: string, length = 0, origin: 'typing' | 'paste' = 'typing'): void {
    const change: TextChange = { offset, length, text, textLength: text.length };
    this.text = this.text.slice(0, offset) + text + this.text.slice(offset + length);
    this.version += 1;
    const standalone = !this.known;
    if (standalone) {
      this.session.record(REPO, 'file.snapshot', { file: this.file, target: 'buffer', version: this.version, text: this.text, textLength: this.text.length, blob: gitBlobId(this.text), reason: 'first-edit' }, 'system');
      this.known = true;
    }
    this.session.edit({ repoId: REPO, file: this.file, fromVersion: this.version - 1, version: this.version, changes: [change], origin, ts: Date.now(), standalone });
  }

  save(): void {
    this.session.record(REPO, 'file.save', { file: this.file, version: this.version, blob: gitBlobId(this.text) }, 'user');
    this.session.setDisk(REPO, this.file, this.text);
  }
}

function commit(session: CaptureSession, files: Record<string, string | null>): void {
  session.record(
    REPO,
    'git.commit',
    {
      sha: 'a'.repeat(40),
      parents: ['b'.repeat(40)],
      branch: 'main',
      message: 'fix',
      author: 'p_0000000000000000',
      authorTime: Date.now(),
      files: Object.entries(files).map(([path, text]) => ({ path, status: text === null ? 'D' : 'M', added: 1, deleted: 1, blob: text === null ? null : gitBlobId(text) })),
    },
    'user',
  );
}

function externalChange(session: CaptureSession, file: string, text: string | null): void {
  const ev = diskChangeEvent(file, session.knownDisk(REPO, file), text === null ? { state: 'missing' } : { state: 'text', text }, 'full');
  if (ev?.kind === 'file.snapshot') session.record(REPO, ev.kind, ev.data, 'external');
  else if (ev) session.record(REPO, ev.kind, ev.data, 'external');
  session.setDisk(REPO, file, text ?? undefined);
}

describe('replay and verify', () => {
  const tmp = useTempDir();
  let session: CaptureSession;

  beforeEach(() => {
    const recorder = new Recorder({ storePath: tmp(), sessionId: newUlid(), contributorId: 'c_0000000000000001' });
    session = new CaptureSession(recorder, {
      flushIntervalMs: 60_000,
      idleMs: 60_000,
      sessionInfo: () => ({ policyHash: 'f'.repeat(64), captureLevel: 'full', extensionVersion: '0', vscodeVersion: '0' }),
    });
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
    const dropped = edits[2]!;
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
    assert.deepEqual(task!.unverified.map((u) => u.file), ['unseen.txt']);
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
