// Authorship at commit, from a store written by the real capture session and replayed.
import { strict as assert } from 'node:assert';
import type { CaptureSession } from '../../src/core/capture/captureSession';
import { replayTask } from '../../src/core/replay/pass';
import { AuthorshipTracker, generatedShare } from '../../src/core/replay/authorship';
import { verifyStore } from '../../src/core/replay/verify';
import type { EventRecord } from '../../src/core/schema/events';
import { gitBlobId } from '../../src/core/base/hash';
import { captureSession, commit, externalChange, REPO_ID, SimDoc, storeText } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

describe('authorship at commit', () => {
  const tmp = useTempDir();
  let session: CaptureSession;

  beforeEach(() => {
    session = captureSession(tmp());
  });
  afterEach(() => session.dispose());

  async function records(): Promise<EventRecord[]> {
    await session.flush();
    return (await storeText(tmp()))
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as EventRecord)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  it('each added line goes to who wrote most of it, through undo, redo, saves and a change on disk; verify stays exact', async () => {
    session.startTask([REPO_ID], { title: 'mix', description: '', auto: false, branch: 'main' });
    const doc = new SimDoc(session, 'src/a.js', '// start\n');
    doc.typeKeys(doc.text.length, 'let typed = 1;\n'); // line 2: typed
    doc.type(doc.text.length, 'const pasted = [1, 2];\n', 0, 'paste'); // line 3: pasted
    doc.type(doc.text.length, 'const fromInline = compute(items, 3);\n', 0, 'completion.inline'); // line 4: completed
    doc.type(0, '// agent wrote this\n', 0, 'agent'); // line 1: agent
    // A paste undone and redone: the redone text is still the paste's.
    const at = doc.text.length;
    doc.type(at, 'const again = 2;\n', 0, 'paste');
    doc.type(at, '', 'const again = 2;\n'.length, 'undo');
    doc.type(at, 'const again = 2;\n', 0, 'redo');
    // The engineer edits inside the inline line: still mostly the completion's.
    doc.type(doc.text.indexOf('3);'), '4', 1);
    doc.save();
    const onDisk = doc.text + 'generated();\ngenerated2();\n';
    externalChange(session, 'src/a.js', onDisk);
    commit(session, { 'src/a.js': onDisk });
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    const events = await records();

    const tracker = new AuthorshipTracker();
    const replayer = await replayTask(events, [tracker]);
    assert.equal(replayer.divergence, undefined);
    assert.equal(tracker.commits.length, 1);
    const [c] = tracker.commits;
    assert.deepEqual(c!.counts, { typed: 1, pasted: 2, completed: 1, agent: 1, tool: 2 });
    assert.equal(c!.added, 7);
    assert.deepEqual(c!.files[0]!.lines, { agent: [1], typed: [3], pasted: [4, 6], completed: [5], tool: [7, 8] });
    assert.equal(generatedShare(c!.counts), 4 / 7);
    const report = await verifyStore(tmp());
    assert.equal(report.tasks[0]!.status, 'exact');
  });

  it('a second commit counts only the lines it adds', async () => {
    session.startTask([REPO_ID], { title: 'two', description: '', auto: false, branch: 'main' });
    const doc = new SimDoc(session, 'src/b.js', 'base\n');
    doc.typeKeys(doc.text.length, 'one\n');
    doc.save();
    commit(session, { 'src/b.js': doc.text });
    doc.type(doc.text.length, 'two = agentWrote();\n', 0, 'agent');
    doc.save();
    commit(session, { 'src/b.js': doc.text });
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    const tracker = new AuthorshipTracker();
    await replayTask(await records(), [tracker]);
    assert.deepEqual(
      tracker.commits.map((c) => c.counts),
      [
        { typed: 1, pasted: 0, completed: 0, agent: 0, tool: 0 },
        { typed: 0, pasted: 0, completed: 0, agent: 1, tool: 0 },
      ],
    );
  });
  it('keeps the author of an edit the buffer snapshot was taken after (a document opened and changed at once), and of what earlier saves wrote', async () => {
    session.startTask([REPO_ID], { title: 'agent', description: '', auto: false, branch: 'main' });
    const file = 'src/c.js';
    let text = '// c\n';
    let version = 0;
    const snapshot = (at: string) =>
      session.record(
        REPO_ID,
        'file.snapshot',
        { file, target: 'buffer', version, text: session.redactor.text(at), textLength: at.length, blob: gitBlobId(at), reason: 'first-edit' },
        'system',
      );
    /** A workspace edit to a document not open in an editor: opened, changed, saved and closed; `after`: capture had no text from before it. */
    const agentEdit = (changes: { offset: number; length: number; text: string }[], after: boolean) => {
      version += 1;
      if (!after) snapshot(text);
      for (const c of changes) text = text.slice(0, c.offset) + c.text + text.slice(c.offset + c.length);
      version += 1;
      if (after) snapshot(text);
      // No document state to redact them with: the changes come redacted, as EditorCapture's standalone ones do.
      const recorded = changes.map((c) => ({ ...c, text: session.redactor.text(c.text), textLength: c.text.length }));
      session.edit({ repoId: REPO_ID, file, fromVersion: version - 1, version, changes: recorded, origin: 'agent', ts: Date.now(), standalone: after });
      session.record(REPO_ID, 'file.save', { file, version, blob: gitBlobId(text) }, 'user');
      session.setDisk(REPO_ID, file, text);
      session.record(REPO_ID, 'file.close', { file }, 'user');
    };
    agentEdit([{ offset: 0, length: 0, text: 'export const a = 1;\n' }], false);
    agentEdit([{ offset: 0, length: 0, text: 'export const b = 2;\n' }], true);
    // Two changes in one edit, each against the text the one before left: a line at the top, one at the end.
    agentEdit(
      [
        { offset: 0, length: 0, text: 'export const c = 3;\n' },
        { offset: text.length + 'export const c = 3;\n'.length, length: 0, text: 'export const d = 4;\n' },
      ],
      true,
    );
    commit(session, { [file]: text });
    session.endTask([REPO_ID], { outcome: 'solved', note: '' });
    const tracker = new AuthorshipTracker();
    const replayer = await replayTask(await records(), [tracker]);
    assert.equal(replayer.divergence, undefined);
    assert.equal(text, 'export const c = 3;\nexport const b = 2;\nexport const a = 1;\n// c\nexport const d = 4;\n');
    assert.deepEqual(tracker.commits[0]!.counts, { typed: 0, pasted: 0, completed: 0, agent: 4, tool: 0 });
    assert.deepEqual(tracker.commits[0]!.files[0]!.lines, { agent: [1, 2, 3, 5] });
  });
});
