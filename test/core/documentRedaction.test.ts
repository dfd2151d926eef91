// Typing, deleting and pasting secrets into a document, change by change: what the store gets
// must always rebuild R(document), and never hold a piece of a secret.
import { strict as assert } from 'node:assert';
import { canonicalRedact } from '../../src/core/redact/canonical';
import { DocumentRedaction, touchedRange, type DocumentText, type RawChange } from '../../src/core/redact/documentRedaction';

const SALT = 'test-salt';

function view(text: string): DocumentText {
  return {
    length: text.length,
    slice: (s, e) => text.slice(s, e),
    lineStart: (o) => (o > 0 ? text.lastIndexOf('\n', o - 1) + 1 : 0),
    lineEnd: (o) => {
      const nl = text.indexOf('\n', o);
      return nl === -1 ? text.length : nl;
    },
  };
}

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
    assert.deepEqual(touchedRange([{ offset: 10, length: 2, text: '' }, { offset: 2, length: 0, text: 'xyz' }]), { lo: 2, hi: 13, delta: 1 });
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
    const key = ['-----BEGIN RSA PRIVATE KEY-----', ...Array.from({ length: 4 }, (_, i) => 'MIIEow' + 'Ab3dEf9hIjK1mNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrs'.slice(i) + 'Q'.repeat(i)), '-----END RSA PRIVATE KEY-----'].join('\n');
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
