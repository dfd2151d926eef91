import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { EditCoalescer, type EditInput, type EditOutput } from '../../src/core/capture/editCoalescer';
import { canonicalRedact } from '../../src/core/redact/canonical';
import { DocumentRedaction, type DocumentText } from '../../src/core/redact/documentRedaction';
import type { RedactedTextChange } from '../../src/core/redact/redacted';
import { Redactor } from '../../src/core/redact/storeRedactor';
import type { TextChange } from '../../src/core/schema/events';

/** Applies changes in order, each against the result of the previous: the replay rule. */
function apply(text: string, changes: TextChange[]): string {
  for (const c of changes) text = text.slice(0, c.offset) + c.text + text.slice(c.offset + c.length);
  return text;
}

const redactor = new Redactor('salt');

/** A change as capture hands it over without a document state: redacted already (these texts hold no secret). */
function change(offset: number, length: number, text: string): RedactedTextChange {
  return { offset, length, text: redactor.text(text), textLength: text.length };
}

/** Feeds single-change events one by one, keeping the true document alongside. */
function typeInto(initial: string, steps: { offset: number; length: number; text: string; origin?: EditInput['origin']; ts?: number }[]) {
  const out: EditOutput[] = [];
  const coalescer = new EditCoalescer((e) => out.push(e), { idleMs: 1000 });
  let doc = initial;
  let version = 1;
  let ts = 0;
  for (const s of steps) {
    ts = s.ts ?? ts + 50;
    const c = change(s.offset, s.length, s.text);
    doc = apply(doc, [c]);
    coalescer.push({ repoId: 'r', file: 'a.ts', fromVersion: version, version: version + 1, changes: [c], origin: s.origin ?? 'typing', ts });
    version += 1;
  }
  coalescer.closeAll();
  return { out, doc, version };
}

/** A document's text as the redaction reads it. */
const view = (t: string): DocumentText => ({
  length: t.length,
  slice: (s, e) => t.slice(s, e),
  lineStart: (o) => (o > 0 ? t.lastIndexOf('\n', o - 1) + 1 : 0),
  lineEnd: (o) => (t.indexOf('\n', o) === -1 ? t.length : t.indexOf('\n', o)),
});

describe('edit coalescing', () => {
  it('folds a typed word and its backspaces into one change that replays exactly', () => {
    const steps = [...'hello'].map((ch, i) => ({ offset: 4 + i, length: 0, text: ch }));
    steps.push({ offset: 8, length: 1, text: '' }, { offset: 7, length: 1, text: '' }, { offset: 7, length: 0, text: 'p' });
    const { out, doc } = typeInto('abc\n', steps);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.data.changes, [change(4, 0, 'help')]);
    assert.equal(out[0]!.data.keystrokes, 8);
    assert.equal(out[0]!.data.fromVersion, 1);
    assert.equal(out[0]!.data.version, 9);
    assert.equal(apply('abc\n', out[0]!.data.changes), doc);
  });

  it('typing elsewhere in the same burst appends a change; replay still gives the document', () => {
    const { out, doc } = typeInto('0123456789', [
      { offset: 2, length: 0, text: 'a' },
      { offset: 3, length: 0, text: 'b' },
      { offset: 9, length: 0, text: 'X' },
      { offset: 0, length: 1, text: '' },
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.data.changes.length, 3);
    assert.equal(apply('0123456789', out[0]!.data.changes), doc);
  });

  it('a pause, a paste or an undo ends the burst, and order is kept', () => {
    const { out, doc } = typeInto('', [
      { offset: 0, length: 0, text: 'a' },
      { offset: 1, length: 0, text: 'b' },
      { offset: 2, length: 0, text: 'c', ts: 5000 },
      { offset: 3, length: 0, text: 'pasted text\nmore', origin: 'paste' },
      { offset: 0, length: 1, text: '', origin: 'undo' },
      { offset: 0, length: 0, text: 'z' },
    ]);
    assert.deepEqual(
      out.map((e) => e.origin),
      ['typing', 'typing', 'paste', 'undo', 'typing'],
    );
    assert.deepEqual(
      out.map((e) => e.data.keystrokes),
      [2, 1, 1, 1, 1],
    );
    let text = '';
    let version = 1;
    for (const e of out) {
      assert.equal(e.data.fromVersion, version, 'each event continues where the previous ended');
      text = apply(text, e.data.changes);
      version = e.data.version;
    }
    assert.equal(text, doc);
  });

  it('a standalone edit is never merged with the keystrokes after it', () => {
    const out: EditOutput[] = [];
    const c = new EditCoalescer((e) => out.push(e));
    c.push({ repoId: 'r', file: 'a', fromVersion: 1, version: 2, changes: [change(0, 0, 'a')], origin: 'typing', ts: 0, standalone: true });
    c.push({ repoId: 'r', file: 'a', fromVersion: 2, version: 3, changes: [change(1, 0, 'b')], origin: 'typing', ts: 10 });
    c.closeAll();
    assert.deepEqual(
      out.map((e) => e.data.version),
      [2, 3],
    );
  });

  it('closeIdle emits only bursts idle long enough', () => {
    const out: EditOutput[] = [];
    const c = new EditCoalescer((e) => out.push(e), { idleMs: 1000 });
    c.push({ repoId: 'r', file: 'a', fromVersion: 1, version: 2, changes: [change(0, 0, 'a')], origin: 'typing', ts: 0 });
    c.push({ repoId: 'r', file: 'b', fromVersion: 1, version: 2, changes: [change(0, 0, 'b')], origin: 'typing', ts: 900 });
    c.closeIdle(1200);
    assert.deepEqual(
      out.map((e) => e.data.file),
      ['a'],
    );
    assert.equal(c.openBursts, 1);
  });
});

describe('edit coalescing with redaction', () => {
  const SALT = 'salt';

  it('a secret typed across timer flushes: each event rebuilds R of its document, and no piece of the secret is in any', () => {
    const secret = 'ghp_Q7mZ2xW9vK4pL8nR3tY6uB1cD5eF0gH2jA9s';
    const line = `const token = "${secret}";\n`;
    let raw = 'first\n';
    const { redaction: state, redacted } = DocumentRedaction.fromText(raw, SALT);
    const out: EditOutput[] = [];
    const coalescer = new EditCoalescer((e) => out.push(e), { idleMs: 1000 });
    const versions = [raw];
    [...line].forEach((ch, i) => {
      raw = raw.slice(0, 6 + i) + ch + raw.slice(6 + i);
      versions.push(raw);
      coalescer.push({
        repoId: 'r',
        file: 'a.ts',
        fromVersion: i + 1,
        version: i + 2,
        changes: [change(6 + i, 0, ch)],
        origin: 'typing',
        ts: i * 100,
        redaction: { state, doc: view(raw) },
      });
      if (i % 7 === 6) coalescer.closeIdle(i * 100 + 5000); // the flush timer, mid-token
    });
    coalescer.closeAll();
    assert.ok(out.length > 5, 'the timer closed bursts while the token was being typed');
    let stored = redacted;
    for (const e of out) {
      stored = apply(stored, e.data.changes);
      assert.equal(stored, canonicalRedact(versions[e.data.version - 1]!, SALT).text);
    }
    const all = JSON.stringify(out);
    const pieces = Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6));
    assert.deepEqual(
      pieces.filter((p) => all.includes(p)),
      [],
    );
    assert.match(stored, /«secret:github-token:/);
  });

  it('runs that rewrite the same line in one burst keep only the last rewrite, as keystrokes fold', () => {
    let raw = 'key = "AKIAQWERTYUIOPASDFGH"\n';
    const { redaction: state, redacted } = DocumentRedaction.fromText(raw, SALT);
    const out: EditOutput[] = [];
    const coalescer = new EditCoalescer((e) => out.push(e));
    const keys: [number, string][] = [
      [28, ' '],
      [29, '#'],
      [0, 'x'],
    ]; // at the end of the line, then at its start
    keys.forEach(([at, ch], i) => {
      raw = raw.slice(0, at) + ch + raw.slice(at);
      coalescer.push({
        repoId: 'r',
        file: 'a.ts',
        fromVersion: i + 1,
        version: i + 2,
        changes: [change(at, 0, ch)],
        origin: 'typing',
        ts: i * 50,
        redaction: { state, doc: view(raw) },
      });
    });
    coalescer.closeAll();
    assert.equal(out.length, 1);
    assert.equal(out[0]!.data.changes.length, 1, "the first run's line rewrite is folded into the second");
    assert.equal(apply(redacted, out[0]!.data.changes), canonicalRedact(raw, SALT).text);
  });

  it('typing between flushes is stored as typed when nothing on its lines is secret', () => {
    let raw = 'a\n';
    const { redaction: state } = DocumentRedaction.fromText(raw, SALT);
    const out: EditOutput[] = [];
    const coalescer = new EditCoalescer((e) => out.push(e));
    [...'hello'].forEach((ch, i) => {
      raw = raw.slice(0, 2 + i) + ch + raw.slice(2 + i);
      coalescer.push({
        repoId: 'r',
        file: 'a.ts',
        fromVersion: i + 1,
        version: i + 2,
        changes: [change(2 + i, 0, ch)],
        origin: 'typing',
        ts: i * 50,
        redaction: { state, doc: view(raw) },
      });
    });
    coalescer.closeAll();
    assert.deepEqual(
      out.map((e) => e.data.changes),
      [[change(2, 0, 'hello')]],
    );
    assert.equal(out[0]!.data.keystrokes, 5);
  });
});

describe('typing on in an open burst (typeOn)', () => {
  const SALT = 'salt';

  /** What an engineer does next: type at the cursor, backspace, move the cursor, or wait (the flush timer may tick). */
  type Step = { kind: 'type'; text: string } | { kind: 'backspace' } | { kind: 'move'; to: number } | { kind: 'wait'; ms: number; tick: boolean };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('a', 'Z', ' ', '-', '\n', '"', '=', '9', 'é', '😀').map((text) => ({ kind: 'type' as const, text })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('AKIAQWERTYUIOPASDFGH', 'ghp_Q7mZ2xW9vK4pL8nR3tY6uB1cD5eF0gH2jA9s', '-----BEGIN')
        .map((text) => ({ kind: 'type' as const, text })),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'backspace' as const }) },
    { weight: 1, arbitrary: fc.nat(200).map((to) => ({ kind: 'move' as const, to })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(300, 1200, 2500, 16_000), tick: fc.boolean() }) },
  );

  /** Feeds each keystroke to `push`, or (`fast`) to `typeOn` whenever a burst is open for it, as editor capture does. */
  function record(initial: string, steps: Step[], fast: boolean) {
    let raw = initial;
    const { redaction: state } = DocumentRedaction.fromText(raw, SALT);
    const out: EditOutput[] = [];
    const coalescer = new EditCoalescer((e) => out.push(e), { idleMs: 1500, maxDurationMs: 15_000, maxChanges: 8 });
    let cursor = raw.length;
    let version = 1;
    let ts = 0;
    let burst: ReturnType<EditCoalescer['push']>;
    let typedOn = 0;
    const key = (offset: number, length: number, text: string) => {
      raw = raw.slice(0, offset) + text + raw.slice(offset + length);
      cursor = offset + text.length;
      ts += 40;
      const change = { offset, length, text, textLength: text.length };
      if (fast && burst && coalescer.typeOn(burst, { offset, length, text }, version + 1, ts)) typedOn += 1;
      else
        burst = coalescer.push({
          repoId: 'r',
          file: 'a.ts',
          fromVersion: version,
          version: version + 1,
          changes: [change],
          origin: 'typing',
          ts,
          redaction: { state, doc: view(raw) },
        });
      version += 1;
    };
    for (const s of steps) {
      if (s.kind === 'type') for (const ch of s.text.length > 2 ? [...s.text] : [s.text]) key(cursor, 0, ch);
      else if (s.kind === 'backspace' && cursor > 0)
        key(cursor - (/[\uDC00-\uDFFF]/.test(raw[cursor - 1]!) ? 2 : 1), /[\uDC00-\uDFFF]/.test(raw[cursor - 1]!) ? 2 : 1, '');
      else if (s.kind === 'move') cursor = Math.min(s.to, raw.length);
      else if (s.kind === 'wait') {
        ts += s.ms;
        if (s.tick) coalescer.closeIdle(ts);
      }
    }
    coalescer.closeAll();
    return { out, raw, typedOn };
  }

  it('records exactly what pushing every keystroke records, and its events replay to R(document)', () => {
    let typedOn = 0;
    let keystrokes = 0;
    fc.assert(
      fc.property(fc.constantFrom('', 'x = 1\n', 'key = "AKIAQWERTYUIOPASDFGH"\nnext\n'), fc.array(step, { maxLength: 60 }), (initial, steps) => {
        const slow = record(initial, steps, false);
        const fast = record(initial, steps, true);
        assert.deepEqual(fast.out, slow.out);
        let stored = DocumentRedaction.fromText(initial, SALT).redacted;
        for (const e of fast.out) stored = apply(stored, e.data.changes);
        assert.equal(stored, canonicalRedact(fast.raw, SALT).text);
        typedOn += fast.typedOn;
        keystrokes += fast.out.reduce((n, e) => n + e.data.keystrokes, 0);
      }),
      { numRuns: 300 },
    );
    // Not vacuous: most keystrokes took the short path.
    assert.ok(typedOn > keystrokes / 2, `${typedOn} of ${keystrokes} keystrokes typed on`);
  });

  it('refuses a keystroke once its burst was closed, or that does not continue the run', () => {
    const raw = 'ab\n';
    const { redaction: state } = DocumentRedaction.fromText(raw, SALT);
    const out: EditOutput[] = [];
    const coalescer = new EditCoalescer((e) => out.push(e));
    const burst = coalescer.push({
      repoId: 'r',
      file: 'a.ts',
      fromVersion: 1,
      version: 2,
      changes: [{ offset: 2, length: 0, text: 'c', textLength: 1 }],
      origin: 'typing',
      ts: 0,
      redaction: { state, doc: view('abc\n') },
    });
    assert.ok(burst);
    assert.equal(coalescer.typeOn(burst, { offset: 0, length: 0, text: 'x' }, 3, 10), false, 'not at the end of the run');
    assert.equal(coalescer.typeOn(burst, { offset: 3, length: 0, text: 'd' }, 4, 10), false, 'a version skipped');
    assert.ok(coalescer.typeOn(burst, { offset: 3, length: 0, text: 'd' }, 3, 10));
    coalescer.closeAll();
    assert.equal(coalescer.typeOn(burst, { offset: 4, length: 0, text: 'e' }, 4, 20), false, 'closed');
    assert.deepEqual(
      out.map((e) => [e.data.changes, e.data.keystrokes]),
      [[[{ offset: 2, length: 0, text: 'cd', textLength: 2 }], 2]],
    );
  });
});
