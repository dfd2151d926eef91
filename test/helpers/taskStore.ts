// Writes a store the way the extension does (through the capture session and recorder), for a
// small task: a buffer typed into and saved, a test file written from outside, a failing and a
// passing test run, a commit. Tests of replay and exports read it back.
import { CaptureSession } from '../../src/core/capture/captureSession';
import { diskChangeEvent } from '../../src/core/capture/diskChange';
import { gitBlobId } from '../../src/core/base/hash';
import { newUlid } from '../../src/core/base/ids';
import { Recorder } from '../../src/core/capture/recorder';
import { stringDocument, type DocumentRedaction } from '../../src/core/redact/documentRedaction';
import { Redactor } from '../../src/core/redact/storeRedactor';
import type { Origin, TextChange } from '../../src/core/schema/events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { admittedRepoId } from './admitted';

export const REPO_ID = admittedRepoId('r_00000000000000aa');
export const SALT = 'test-salt';

/** A capture session as the extension makes one: everything it stores goes through the redactor (salt `SALT`). */
export function captureSession(store: string, onStoreFull?: (full: boolean) => void): CaptureSession {
  const recorder = new Recorder({ storePath: store, sessionId: newUlid(), contributorId: 'c_0000000000000001' });
  return new CaptureSession(recorder, {
    flushIntervalMs: 60_000,
    idleMs: 60_000,
    sessionInfo: () => ({
      policyHash: 'f'.repeat(64),
      consentAt: 1_700_000_000_000,
      captureLevel: 'full',
      redactionRules: 'test',
      extensionVersion: '0',
      vscodeVersion: '0',
    }),
    redactor: new Redactor(SALT),
    ...(onStoreFull ? { onStoreFull } : {}),
  });
}

/** A document as the editor holds it, driving the capture session the way EditorCapture does. */
export class SimDoc {
  version = 1;
  private redaction: DocumentRedaction | undefined;
  constructor(
    private readonly session: CaptureSession,
    readonly file: string,
    public text: string,
  ) {}

  type(offset: number, text: string, length = 0, origin: Origin = 'typing'): void {
    const change: TextChange = { offset, length, text, textLength: text.length };
    if (!this.redaction) {
      // As EditorCapture does with the text it kept from when the document was opened.
      const { redaction, redacted } = this.session.redactor.document(this.text);
      this.redaction = redaction;
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
    }
    this.text = this.text.slice(0, offset) + text + this.text.slice(offset + length);
    this.version += 1;
    this.session.edit({
      repoId: REPO_ID,
      file: this.file,
      fromVersion: this.version - 1,
      version: this.version,
      changes: [change],
      origin,
      ts: Date.now(),
      redaction: { state: this.redaction, doc: stringDocument(this.text) },
    });
  }

  typeKeys(offset: number, text: string): void {
    for (const [i, ch] of [...text].entries()) this.type(offset + i, ch);
  }

  save(): void {
    this.session.record(REPO_ID, 'file.save', { file: this.file, version: this.version, blob: gitBlobId(this.text) }, 'user');
    this.session.setDisk(REPO_ID, this.file, this.text);
  }
}

export function commit(session: CaptureSession, files: Record<string, string | null>, extra: { baseDiff?: string; message?: string } = {}): void {
  session.record(
    REPO_ID,
    'git.commit',
    {
      sha: 'a'.repeat(40),
      parents: ['b'.repeat(40)],
      branch: 'main',
      message: extra.message ?? 'fix',
      author: 'p_0000000000000000',
      authorTime: Date.now(),
      ...(extra.baseDiff ? { baseDiff: extra.baseDiff } : {}),
      files: Object.entries(files).map(([path, text]) => ({
        path,
        status: text === null ? 'D' : 'M',
        added: 1,
        deleted: 1,
        blob: text === null ? null : gitBlobId(text),
      })),
    },
    'user',
  );
}

export function externalChange(session: CaptureSession, file: string, text: string | null): void {
  const ev = diskChangeEvent(file, session.knownDisk(REPO_ID, file), text === null ? { state: 'missing' } : { state: 'text', text }, 'full', session.redactor);
  if (ev?.kind === 'file.snapshot') session.record(REPO_ID, ev.kind, ev.data, 'external');
  else if (ev) session.record(REPO_ID, ev.kind, ev.data, 'external');
  session.setDisk(REPO_ID, file, text ?? undefined);
}

const BASE = 'b'.repeat(40);
export const RANGE_BEFORE = 'function range(a, b) {\n  const out = [];\n  for (let i = a; i < b; i++) out.push(i);\n  return out;\n}\n';
export const RANGE_AFTER = RANGE_BEFORE.replace('i < b', 'i <= b');
export const NEW_TEST = "test('range of one', () => assert.deepEqual(range(2, 2), [2]));\n";
export const BASE_DIFF = `diff --git a/src/range.js b/src/range.js
index 1111111..2222222 100644
--- a/src/range.js
+++ b/src/range.js
@@ -1,5 +1,5 @@
 function range(a, b) {
   const out = [];
-  for (let i = a; i < b; i++) out.push(i);
+  for (let i = a; i <= b; i++) out.push(i);
   return out;
 }
diff --git a/test/range.test.js b/test/range.test.js
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/test/range.test.js
@@ -0,0 +1 @@
+${NEW_TEST}`;

/** Records the whole small task; returns its id. */
export async function recordRangeTask(session: CaptureSession, { approve = true, issueUrl }: { approve?: boolean; issueUrl?: string } = {}): Promise<string> {
  const taskId = session.startTask([REPO_ID], {
    title: 'Make range inclusive',
    description: 'range(2, 2) should be [2]',
    auto: false,
    branch: 'main',
    ...(issueUrl ? { issueUrl } : {}),
  });
  session.record(
    REPO_ID,
    'git.state',
    { reason: 'task', head: BASE, branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [] },
    'system',
  );
  session.record(REPO_ID, 'selection', { file: 'src/range.js', kind: 'mouse', selections: [{ anchor: [2, 20], active: [2, 20] }] }, 'user');
  const doc = new SimDoc(session, 'src/range.js', RANGE_BEFORE);
  const at = RANGE_BEFORE.indexOf('i < b') + 3;
  doc.type(at, '=');
  doc.typeKeys(doc.text.indexOf('return out;') + 'return out;'.length, ' // inclusive');
  doc.type(doc.text.indexOf(' // inclusive'), '', ' // inclusive'.length);
  doc.save();
  externalChange(session, 'test/range.test.js', NEW_TEST);
  const ts = Date.now();
  session.record(
    REPO_ID,
    'terminal.command',
    {
      terminal: 't1',
      commandLine: 'node --test',
      confidence: 'high',
      cwd: '.',
      startTs: ts,
      endTs: ts + 500,
      exitCode: 1,
      output: { text: 'not ok 1 - range of one', truncated: false, totalBytes: 23 },
    },
    'user',
  );
  session.record(
    REPO_ID,
    'test.run',
    {
      source: 'terminal',
      command: 'node --test',
      runner: 'node-test',
      exitCode: 1,
      passed: 0,
      failed: 1,
      skipped: 0,
      failingTests: ['range of one'],
      durationMs: 500,
    },
    'user',
  );
  session.record(
    REPO_ID,
    'terminal.command',
    { terminal: 't1', commandLine: 'node --test', confidence: 'high', cwd: '.', startTs: ts + 1000, endTs: ts + 1500, exitCode: 0 },
    'user',
  );
  session.record(
    REPO_ID,
    'test.run',
    { source: 'terminal', command: 'node --test', runner: 'node-test', exitCode: 0, passed: 1, failed: 0, skipped: 0, failingTests: [], durationMs: 500 },
    'user',
  );
  session.record(
    REPO_ID,
    'terminal.command',
    { terminal: 't1', commandLine: 'git commit -am fix', confidence: 'high', cwd: '.', startTs: ts + 2000, endTs: ts + 2100, exitCode: 0 },
    'user',
  );
  commit(session, { 'src/range.js': doc.text, 'test/range.test.js': NEW_TEST }, { baseDiff: BASE_DIFF, message: 'Make range inclusive' });
  session.endTask([REPO_ID], { outcome: 'solved', note: '' });
  if (approve) {
    session.resumeTask(taskId);
    session.record(REPO_ID, 'task.review', { approved: true }, 'user');
    session.resumeTask(null);
  }
  await session.flush();
  return taskId;
}

/**
 * Task A begun, what `between` records, then A resumed in a later session, finished and approved:
 * a task left open while others are done. Returns A's id; the session is disposed.
 */
export async function recordAroundTask(session: CaptureSession, between: () => Promise<void>): Promise<string> {
  const a = session.startTask([REPO_ID], { title: 'A', description: 'begun first, finished last', auto: false, branch: 'main' });
  new SimDoc(session, 'src/a.js', 'let a = 1;\n').typeKeys(0, '// a\n');
  await session.flush();
  await between();
  session.endSession('window', 'window');
  session.resumeTask(a);
  new SimDoc(session, 'src/a.js', '// a\nlet a = 1;\n').typeKeys(0, '// more\n');
  session.record(REPO_ID, 'task.review', { approved: true }, 'user');
  session.endTask([REPO_ID], { outcome: 'solved', note: '' });
  await session.dispose();
  return a;
}

/** Every stored byte of the store's repository folder, decompressed. */
export async function storeText(store: string): Promise<string> {
  const dir = join(store, 'repos', REPO_ID);
  let text = '';
  for (const name of (await readdir(dir)).sort()) {
    const bytes = await readFile(join(dir, name));
    text += name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  }
  return text;
}
