// Text reaches the store only as `RedactedText` / `RedactedEventData`, which only src/core/redact
// makes. The compile-time half is `typeCheckedOnly` below (tsc fails if a raw value is accepted
// where a redacted one is required: each @ts-expect-error then has no error to expect); the
// runtime half checks the sources hold no cast to the brands elsewhere, and what the redactor does.
import type { AdmittedRepoId } from '../../src/core/gate/admission';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CaptureSession } from '../../src/core/capture/captureSession';
import type { EditCoalescer } from '../../src/core/capture/editCoalescer';
import type { Recorder } from '../../src/core/capture/recorder';
import { REDACTED_AT_SOURCE } from '../../src/core/redact/eventRedaction';
import type { RedactedText } from '../../src/core/redact/redacted';
import { Redactor, textFree } from '../../src/core/redact/storeRedactor';

const ROOT = join(__dirname, '..', '..', '..');
const SALT = 'brand-salt';
const TOKEN = 'ghp_Q7mZ2xW9vK4pL8nR3tY6uB1cD5eF0gH2jA9s';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.m?[jt]s$/.test(name) ? [path] : [];
  });
}

/** Never run: tsc checks that raw values are refused where redacted ones are required. */
export function typeCheckedOnly(session: CaptureSession, recorder: Recorder, coalescer: EditCoalescer, raw: string, repo: AdmittedRepoId): void {
  // @ts-expect-error raw text is not redacted text
  const text: RedactedText = raw;
  // @ts-expect-error the recorder takes only data the redactor made
  recorder.record('r', 'file.close', { file: raw }, 'user');
  // @ts-expect-error a buffer snapshot's text is redacted where it is made (the whole document is needed)
  session.record(repo, 'file.snapshot', { file: 'a', target: 'buffer', text: raw, textLength: 1, blob: '0', reason: 'open' }, 'system');
  // @ts-expect-error a patch is made from redacted texts
  session.record(repo, 'file.external', { file: 'a', change: 'modified', patch: raw }, 'external');
  // @ts-expect-error changes with no document state must come redacted
  coalescer.push({ repoId: 'r', file: 'a', fromVersion: 1, version: 2, origin: 'paste', ts: 0, changes: [{ offset: 0, length: 0, text: raw, textLength: 1 }] });
  // Free-text fields of other kinds are raw here: the session's last pass redacts them.
  session.record(repo, 'terminal.command', { terminal: 't', commandLine: raw, confidence: 'high', cwd: null, startTs: 0, endTs: 1, exitCode: 0 }, 'user');
  session.record(repo, 'file.snapshot', { file: raw, target: 'buffer', text, textLength: 1, blob: '0', reason: 'open' }, 'system');
}

describe('redacted values', () => {
  it('nothing outside src/core/redact casts to a redacted type', () => {
    const casts: string[] = [];
    for (const dir of ['src', 'test', 'bench', 'scripts']) {
      for (const file of sources(join(ROOT, dir))) {
        const rel = relative(ROOT, file).split('\\').join('/');
        if (rel.startsWith('src/core/redact/') || rel === 'test/core/redactedBrand.test.ts') continue;
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/\bas\s+(?:unknown\s+as\s+)?Redacted\w*|<Redacted\w*[^>]*>\s*[\w'"`(]/g)) casts.push(`${rel}: ${m[0]}`);
      }
    }
    assert.deepEqual(casts, []);
  });

  it('in src, the recorder is the only one to hand lines to a segment writer', () => {
    const importers = sources(join(ROOT, 'src'))
      .filter((file) => /from '[./]*(?:core\/)?store\/segmentWriter'|from '\.\/segmentWriter'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file).split('\\').join('/'));
    assert.deepEqual(importers, ['src/core/capture/recorder.ts']);
  });

  it('the event pass redacts every free-text field but the one redacted at its source', () => {
    const redactor = new Redactor(SALT);
    const doc = redactor.document(`const token = "${TOKEN}";\n`);
    assert.ok(!doc.redacted.includes(TOKEN));
    const snapshot = redactor.event('file.snapshot', {
      file: `keys/${TOKEN}.txt`,
      target: 'buffer',
      text: doc.redacted,
      textLength: doc.redacted.length,
      blob: '0'.repeat(40),
      reason: 'open',
    });
    assert.equal(snapshot.text, doc.redacted);
    assert.ok(!snapshot.file.includes(TOKEN) && snapshot.file.startsWith('keys/«secret:'), snapshot.file);
    const command = redactor.event('terminal.command', {
      terminal: 't1',
      commandLine: `export GITHUB_TOKEN=${TOKEN}`,
      confidence: 'high',
      cwd: null,
      startTs: 1,
      endTs: 2,
      exitCode: 0,
    });
    assert.ok(!command.commandLine.includes(TOKEN), command.commandLine);
    assert.equal(command.terminal, 't1');
    assert.deepEqual(Object.keys(REDACTED_AT_SOURCE).sort(), ['edit', 'file.external', 'file.snapshot']);
  });

  it('a patch holds only the redacted sides, under the redacted name', () => {
    const redactor = new Redactor(SALT);
    const patch = redactor.patch(`notes-${TOKEN}.txt`, redactor.text('a\n'), redactor.text(`a\ntoken = ${TOKEN}\n`));
    assert.ok(!patch.includes(TOKEN), patch);
    assert.match(patch, /^\+token = «secret:/m);
  });

  it('data with no free text needs no salt; data with some is refused', () => {
    assert.deepEqual(textFree('task.review', { approved: true }), { approved: true });
    assert.deepEqual(textFree('session.end', { reason: 'idle' }), { reason: 'idle' });
    assert.throws(() => textFree('file.close', { file: 'a.txt' }), /free text/);
  });
});
