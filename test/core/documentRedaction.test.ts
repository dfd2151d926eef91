// Typing, deleting and pasting secrets into a document, change by change: what the store gets
// must always rebuild R(document), and never hold a piece of a secret.
import { strict as assert } from 'node:assert';
import { canonicalRedact } from '../../src/core/redact/canonical';
import { DocumentRedaction, stringDocument, touchedRange, type PendingChange, type RawChange } from '../../src/core/redact/documentRedaction';

const SALT = 'test-salt';

const view = stringDocument;

function apply(text: string, changes: readonly RawChange[]): string {
  for (const c of changes) text = text.slice(0, c.offset) + c.text + text.slice(c.offset + c.length);
  return text;
}

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function secrets(random: () => number): { line: string; value: string }[] {
  const pick = (n: number, alphabet = ALNUM) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const gh = `ghp_${pick(36)}`;
  const aws = `AKIA${pick(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
  const pw = pick(14);
  return [
    { line: `const token = "${gh}";`, value: gh.slice(4) },
    { line: `aws_access_key_id = ${aws}`, value: aws.slice(4) },
    { line: `DB_PASSWORD=${pw}`, value: pw },
  ];
}

/** Every run of 6 characters of `value`. */
function fragments(value: string): string[] {
  return Array.from({ length: value.length - 5 }, (_, i) => value.slice(i, i + 6));
}

class Session {
  raw: string;
  stored: string;
  readonly recorded: string[] = [];
  private readonly state: DocumentRedaction;

  constructor(initial: string) {
    const { redaction, redacted } = DocumentRedaction.fromText(initial, SALT);
    this.raw = initial;
    this.stored = redacted;
    this.recorded.push(redacted);
    this.state = redaction;
  }

  change(offset: number, length: number, text: string): void {
    const changes = [{ offset, length, text }];
    this.raw = apply(this.raw, changes);
    const out = this.state.transform(changes, view(this.raw));
    this.stored = apply(this.stored, out);
    for (const c of out) this.recorded.push(c.text);
    assert.equal(this.stored, canonicalRedact(this.raw, SALT).text, `after ${JSON.stringify(changes)}`);
  }

  type(offset: number, text: string): void {
    for (const [i, ch] of [...text].entries()) this.change(offset + i, 0, ch);
  }
}

describe('redaction of a document being edited', () => {
  it('touchedRange maps sequential changes to one range in final coordinates', () => {
    assert.deepEqual(touchedRange([{ offset: 5, length: 0, text: 'ab' }]), { lo: 5, hi: 7, delta: 2 });
    assert.deepEqual(
      touchedRange([
        { offset: 10, length: 2, text: '' },
        { offset: 2, length: 0, text: 'xyz' },
      ]),
      { lo: 2, hi: 13, delta: 1 },
    );
  });

  it('secrets typed one key at a time: the store rebuilds R(text) at every step and never holds a piece of them', () => {
    const random = rng(7);
    for (let round = 0; round < 5; round++) {
      const doc = new Session('function main() {\n  return 1;\n}\n');
      const planted = secrets(random);
      for (const { line } of planted) {
        // Enter first, then the line, as people type a new line above existing code.
        const at = doc.raw.indexOf('\n') + 1;
        doc.type(at, '\n');
        doc.type(at, line);
      }
      // Edit around them: a typo fixed inside a secret line, a line deleted, text typed after.
      const tokenLine = doc.raw.indexOf('const token');
      doc.change(tokenLine, 5, 'let');
      doc.type(doc.raw.length, '// done\n');
      const all = doc.recorded.join('\n');
      for (const { value } of planted) {
        for (const f of fragments(value)) assert.ok(!all.includes(f), `a fragment "${f}" of a secret reached the store`);
      }
      assert.ok(doc.stored.includes('«secret:'), 'the secrets stand as placeholders');
    }
  });

  it('a secret pasted in two pieces, and a private key block pasted whole, never appear', () => {
    const doc = new Session('a\nb\n');
    const { line, value } = secrets(rng(11))[0]!;
    const half = Math.floor(line.length / 2);
    doc.change(2, 0, line.slice(0, half));
    doc.change(2 + half, 0, line.slice(half) + '\n');
    const key = [
      '-----BEGIN RSA PRIVATE KEY-----',
      ...Array.from({ length: 4 }, (_, i) => 'MIIEow' + 'Ab3dEf9hIjK1mNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrs'.slice(i) + 'Q'.repeat(i)),
      '-----END RSA PRIVATE KEY-----',
    ].join('\n');
    doc.change(doc.raw.length, 0, key + '\n');
    const all = doc.recorded.join('\n');
    for (const f of fragments(value)) assert.ok(!all.includes(f), f);
    assert.ok(!all.includes('Ab3dEf9hIjK1'), 'no line of the key block');
  });

  it('edits that touch no secret pass through unchanged (the fast path), before and after secrets appear', () => {
    const doc = new Session('x\n');
    doc.type(0, 'hello');
    assert.deepEqual(doc.recorded.slice(1), ['h', 'e', 'l', 'l', 'o']);
    doc.type(doc.raw.length, secrets(rng(3))[0]!.line + '\n');
    const before = doc.recorded.length;
    doc.type(0, 'ab');
    assert.deepEqual(doc.recorded.slice(before), ['a', 'b'], 'typing above a secret line is not rewritten');
  });
});

/** Keystrokes through DocumentRedaction's typing runs, as the coalescer drives them. */
class Typist {
  raw: string;
  stored: string;
  readonly state: DocumentRedaction;
  private run: PendingChange | undefined;

  constructor(initial: string) {
    const { redaction, redacted } = DocumentRedaction.fromText(initial, SALT);
    this.raw = initial;
    this.stored = redacted;
    this.state = redaction;
  }

  /** One keystroke; returns whether it joined the open run. */
  key(offset: number, length: number, text: string): boolean {
    const c = { offset, length, text };
    const joined = this.run !== undefined && this.state.extendTyping(this.run, c);
    if (!joined) this.settle(); // against the text before this key
    this.raw = apply(this.raw, [c]);
    if (joined) return true;
    this.run = this.state.startTyping(c, view(this.raw));
    if (!this.run) this.store(this.state.transform([c], view(this.raw)));
    return false;
  }

  /** The run is judged; returns the change stored for it. */
  settle(): RawChange | undefined {
    const run = this.run;
    this.run = undefined;
    if (!run) return undefined;
    const c = run.settle();
    this.store([c]);
    return c;
  }

  private store(changes: RawChange[]): void {
    this.stored = apply(this.stored, changes);
    assert.equal(this.stored, canonicalRedact(this.raw, SALT).text);
  }
}

describe('redaction of typing runs (judged once, when the run settles)', () => {
  it('a clean run settles as the one typed change, its backspaces folded in', () => {
    const t = new Typist('a\nb\n');
    assert.equal(t.key(2, 0, 'x'), false, 'the first key starts a run');
    for (const [i, ch] of [...'yz'].entries()) assert.ok(t.key(3 + i, 0, ch));
    assert.ok(t.key(4, 1, ''), 'a backspace into what the run typed joins it');
    assert.deepEqual(t.settle(), { offset: 2, length: 0, text: 'xy' });
  });

  it('a secret typed key by key in one run settles as one rewrite of its line: nothing of it is stored', () => {
    const t = new Typist('above\n\nbelow\n');
    const { line, value } = secrets(rng(5))[0]!;
    for (const [i, ch] of [...line].entries()) t.key(6 + i, 0, ch);
    const c = t.settle()!;
    assert.deepEqual([c.offset, c.length], [6, 0], 'the (empty) line as stored is replaced');
    assert.match(c.text, /«secret:/);
    for (const f of fragments(value)) assert.ok(!c.text.includes(f), f);
  });

  it('typing on a line that holds a secret settles as a rewrite of the line, placeholder kept', () => {
    const { line } = secrets(rng(9))[1]!;
    const t = new Typist(`x = 1\n${line}\ny = 2\n`);
    const end = t.raw.indexOf('\ny = 2');
    for (const [i, ch] of [...' # rotate'].entries()) t.key(end + i, 0, ch);
    const c = t.settle()!;
    assert.equal(c.offset, 6);
    assert.ok(c.text.endsWith('# rotate') && c.text.includes('«secret:'));
    assert.equal(c.length, canonicalRedact(line, SALT).text.length, 'the stored line, placeholder and all, is what is replaced');
  });

  it('a key elsewhere ends the run; a key-block marker being typed ends it and is never deferred', () => {
    const t = new Typist('one\ntwo\n');
    t.key(3, 0, 'a');
    assert.equal(t.key(0, 0, 'b'), false, 'typing at another place starts a new run');
    const dashes = [...'-----'].map((ch, i) => t.key(8 + i, 0, ch));
    assert.deepEqual(dashes, [false, true, true, true, false], 'the fifth dash makes a marker');
    assert.equal(t.key(13, 0, 'B'), false, 'once a marker is in the text, nothing waits');
    t.settle();
  });

  it('an edit redacted at once settles the open run first, so changes stay in order', () => {
    const t = new Typist('start\n');
    const { line } = secrets(rng(2))[0]!;
    const pending = t.state.startTyping(
      { offset: 5, length: 0, text: line.slice(0, 1) },
      view((t.raw = apply(t.raw, [{ offset: 5, length: 0, text: line.slice(0, 1) }]))),
    )!;
    for (const [i, ch] of [...line.slice(1)].entries()) {
      t.raw = apply(t.raw, [{ offset: 6 + i, length: 0, text: ch }]);
      assert.ok(t.state.extendTyping(pending, { offset: 6 + i, length: 0, text: ch }));
    }
    const paste = { offset: 0, length: 0, text: 'pasted\n' };
    t.raw = apply(t.raw, [paste]);
    const after = t.state.transform([paste], view(t.raw));
    const run = pending.settle();
    assert.deepEqual(pending.settle(), run, 'settled once, the same change every time');
    assert.equal(apply(t.stored, [run, ...after]), canonicalRedact(t.raw, SALT).text);
  });
});
