// Word redaction must hide every piece of a word, wherever the capture session happened to cut
// the typing into events (a flush tick can fall between any two keys).
import { strict as assert } from 'node:assert';
import { verifyStore } from '../../src/core/replay/verify';
import { rewriteTask } from '../../src/core/review/taskRewrite';
import { redactWordInTask } from '../../src/core/review/wordRedaction';
import { canonicalRedact } from '../../src/core/redact/canonical';
import { DocumentRedaction, stringDocument } from '../../src/core/redact/documentRedaction';
import { gitBlobId } from '../../src/core/base/hash';
import { diskChangeEvent } from '../../src/core/capture/diskChange';
import type { CaptureSession } from '../../src/core/capture/captureSession';
import { captureSession, commit, REPO_ID, SALT, storeText } from '../helpers/taskStore';

/** Typing as EditorCapture does it: a first-edit snapshot, then edits redacted by the buffer's redaction state. */
class EditorDoc {
  version = 1;
  private state: DocumentRedaction | undefined;
  constructor(
    private readonly session: CaptureSession,
    readonly file: string,
    public text: string,
  ) {}
  typeKeys(offset: number, keys: string, ts: () => number): void {
    for (const [i, ch] of [...keys].entries()) {
      if (!this.state) {
        const { redaction, redacted } = this.session.redactor.document(this.text);
        this.state = redaction;
        this.session.record(
          REPO_ID,
          'file.snapshot',
          {
            file: this.file,
            target: 'buffer',
            version: this.version,
            text: redacted,
            textLength: redacted.length,
            blob: gitBlobId(redacted),
            reason: 'first-edit',
          },
          'system',
        );
        this.session.markBuffer(this.file, this.version);
      }
      this.text = this.text.slice(0, offset + i) + ch + this.text.slice(offset + i);
      this.version += 1;
      this.session.edit({
        repoId: REPO_ID,
        file: this.file,
        fromVersion: this.version - 1,
        version: this.version,
        changes: [{ offset: offset + i, length: 0, text: ch, textLength: 1 }],
        origin: 'typing',
        ts: ts(),
        redaction: { state: this.state, doc: stringDocument(this.text) },
      });
    }
  }
  save(): void {
    const redacted = canonicalRedact(this.text, SALT).text;
    this.session.record(REPO_ID, 'file.save', { file: this.file, version: this.version, blob: gitBlobId(redacted) }, 'user');
    this.session.setDisk(REPO_ID, this.file, this.text);
  }
}
import { useTempDir } from '../helpers/tmp';

const WORD = 'Quuxley Widgets';
const BASE = '// Returns the integers from start to end.\nfunction range(start, end) {}\n';
const LINE = `\n// Asked for by ${WORD}.`;

/** A task started in a fresh store, its file about to be typed into on a clock that `tick`s 120 ms a key. */
function typingTask(store: string) {
  const session = captureSession(store);
  let now = Date.now();
  const taskId = session.startTask([REPO_ID], { title: 'Make range inclusive', description: '', auto: false, branch: 'main' });
  return {
    session,
    taskId,
    doc: new EditorDoc(session, 'src/range.js', BASE),
    tick: () => (now += 120),
    pause: (ms: number) => (now += ms),
    at: BASE.indexOf('\n'),
  };
}

describe('word redaction: the word typed key by key, cut into events anywhere', () => {
  const tmp = useTempDir();
  // Every cut from the key before the word to its last key, with and without a pause that ends the burst.
  for (let cut = LINE.indexOf(WORD) - 1; cut < LINE.indexOf(WORD) + WORD.length; cut++)
    for (const gapMs of [0, 5000]) {
      it(`a flush after key ${cut} (${JSON.stringify(LINE.slice(0, cut))}), ${gapMs} ms pause`, async () => {
        const { session, taskId, doc, tick, pause, at } = typingTask(tmp());
        try {
          doc.typeKeys(at, LINE.slice(0, cut), tick);
          await session.flush();
          pause(gapMs);
          doc.typeKeys(at + cut, LINE.slice(cut), tick);
          doc.save();
          commit(session, { 'src/range.js': doc.text }, { message: `Make range inclusive for ${WORD}` });
          session.endTask([REPO_ID], { outcome: 'solved', note: '' });
          await session.flush();
          await session.closeSegments();
          const report = await rewriteTask(tmp(), taskId, (events) => redactWordInTask(events, WORD, SALT).records);
          assert.equal(report.after.status, 'exact');
          const after = await storeText(tmp());
          assert.ok(
            !after.includes('Quux'),
            `no piece of the word is left: ${after
              .split('\n')
              .filter((l) => l.includes('Quux'))
              .join('\n')}`,
          );
          assert.equal((await verifyStore(tmp())).tasks[0]!.status, 'exact');
        } finally {
          await session.dispose();
        }
      });
    }

  // An autosave a second into the word: the file watcher can report the half-typed file before
  // the editor's save is recorded, as a change on disk that holds "Quux" but not the word.
  for (const cut of [LINE.indexOf(WORD) + 2, LINE.indexOf(WORD) + 4, LINE.indexOf(WORD) + 9]) {
    it(`a change on disk of the file saved after key ${cut} (${JSON.stringify(LINE.slice(0, cut))}) is redacted as the buffer was`, async () => {
      const { session, taskId, doc, tick, at } = typingTask(tmp());
      try {
        session.setDisk(REPO_ID, doc.file, BASE);
        doc.typeKeys(at, LINE.slice(0, cut), tick);
        const seen = diskChangeEvent(doc.file, BASE, { state: 'text', text: doc.text }, 'full', session.redactor);
        assert.equal(seen?.kind, 'file.external');
        session.record(REPO_ID, seen.kind, seen.data, 'external');
        doc.save();
        doc.typeKeys(at + cut, LINE.slice(cut), tick);
        doc.save();
        commit(session, { 'src/range.js': doc.text }, { message: 'Make range inclusive' });
        session.endTask([REPO_ID], { outcome: 'solved', note: '' });
        await session.flush();
        await session.closeSegments();
        assert.ok((await storeText(tmp())).includes(LINE.slice(LINE.indexOf(WORD), cut)), 'the piece was recorded on disk');
        const report = await rewriteTask(tmp(), taskId, (events) => redactWordInTask(events, WORD, SALT).records);
        assert.equal(report.after.status, 'exact');
        const after = await storeText(tmp());
        assert.ok(
          !after.includes(LINE.slice(LINE.indexOf(WORD), cut)),
          `no piece of the word is left: ${after
            .split('\n')
            .filter((l) => l.includes('Qu'))
            .join('\n')}`,
        );
      } finally {
        await session.dispose();
      }
    });
  }
});
