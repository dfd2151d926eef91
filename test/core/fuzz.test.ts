// Property-based tests of every reader of untrusted input: segment files, policy files, stored
// lines, and the document redaction under random edits. Never a crash, never a valid record lost.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { parsePolicy, POLICY_DEFAULTS } from '../../src/core/gate/policy';
import { EditCoalescer, type EditOutput } from '../../src/core/capture/editCoalescer';
import { canonicalRedact } from '../../src/core/redact/canonical';
import { DocumentRedaction, type DocumentText } from '../../src/core/redact/documentRedaction';
import { parseRecordLine } from '../../src/core/schema/validate';
import { readSegmentRecords, type ReadIssue } from '../../src/core/store/segmentReader';
import { editRecord } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const garbage = fc.oneof(
  fc.string({ maxLength: 200 }).filter((s) => !s.includes('\n')),
  fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString('latin1').replace(/\n/g, '')),
  fc.constant('{"v":2,"kind":"edit"}'),
  fc.constant('{"v":1,'),
  fc.constant('null'),
);

describe('fuzzing the readers', () => {
  const tmp = useTempDir();

  it('a segment with valid records and any garbage between them: every valid record is read, in order, every bad line reported', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ ok: fc.constant(true as const), text: fc.string({ maxLength: 40 }) }),
            fc.record({ ok: fc.constant(false as const), text: garbage }),
          ),
          { maxLength: 30 },
        ),
        fc.boolean(),
        async (lines, tornTail) => {
          const file = join(tmp(), `${Math.random()}.jsonl`);
          const records = lines.map((l) => (l.ok ? editRecord('a.ts', l.text) : undefined));
          const body = lines.map((l, i) => (l.ok ? JSON.stringify(records[i]) : l.text)).join('\n') + (lines.length ? '\n' : '');
          await writeFile(file, body + (tornTail ? '{"v":1,"id":"01' : ''));
          const issues: ReadIssue[] = [];
          const got = [];
          for await (const r of readSegmentRecords(file, (i) => issues.push(i))) got.push(r.record);
          assert.deepEqual(got, records.filter(Boolean));
          const badLines = lines.flatMap((l, i) => (!l.ok && l.text.length > 0 ? [i + 1] : []));
          assert.deepEqual(
            issues.filter((i) => i.kind !== 'torn-tail').map((i) => i.line),
            badLines,
          );
          assert.equal(
            issues.some((i) => i.kind === 'torn-tail'),
            tornTail,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('any stored line is parsed or refused with a message, never thrown', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ v: 1, kind: 'edit', data: v })),
        ),
        (line) => {
          const parsed = parseRecordLine(line);
          assert.ok(parsed.ok || parsed.error.length > 0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('any policy file is accepted within its limits or refused with reasons, never thrown', () => {
    const keys = fc.constantFrom(
      'version',
      'enabled',
      'purpose',
      'contact',
      'capture',
      'exclude',
      'retentionDays',
      'terminalOutput',
      'storePath',
      'uploadUrl',
      '__proto__',
      'x',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.dictionary(keys, fc.jsonValue()).map((o) => JSON.stringify(o)),
        ),
        (text) => {
          const check = parsePolicy(text);
          if (!check.ok) return assert.ok(check.errors.length > 0);
          const p = check.policy;
          assert.equal(p.version, 1);
          assert.ok(p.retentionDays >= 1 && p.retentionDays <= 3650);
          assert.ok(p.capture === 'full' || p.capture === 'metadata');
          assert.ok(p.exclude.every((g) => !g.startsWith('!')));
          assert.deepEqual(Object.keys(p).sort(), ['version', 'enabled', ...Object.keys(POLICY_DEFAULTS)].sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random edits to a document with secrets: the stored text is always R(document)', () => {
    const pieces = [
      'a',
      ' ',
      '\n',
      'token = "',
      'ghp_',
      'AbCdEf0123456789XyZ',
      'AKIA',
      'QWERTYUIOPASDFGH',
      'password=',
      'hunter2hunter2',
      '-----BEGIN RSA PRIVATE KEY-----\n',
      'MIIEowIBAAKCAQEA1234567890abcdef\n',
      '-----END RSA PRIVATE KEY-----\n',
      'x@corp.io',
      '"',
    ];
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), text: fc.array(fc.constantFrom(...pieces), { maxLength: 3 }).map((a) => a.join('')) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 40 }), (edits) => {
        let raw = 'start\n';
        let { redaction, redacted: stored } = DocumentRedaction.fromText(raw, 's');
        for (const e of edits) {
          const offset = e.at % (raw.length + 1);
          const length = Math.min(e.del, raw.length - offset);
          raw = raw.slice(0, offset) + e.text + raw.slice(offset + length);
          const doc: DocumentText = {
            length: raw.length,
            slice: (s, t) => raw.slice(s, t),
            lineStart: (o) => (o > 0 ? raw.lastIndexOf('\n', o - 1) + 1 : 0),
            lineEnd: (o) => (raw.indexOf('\n', o) === -1 ? raw.length : raw.indexOf('\n', o)),
          };
          for (const c of redaction.transform([{ offset, length, text: e.text }], doc))
            stored = stored.slice(0, c.offset) + c.text + stored.slice(c.offset + c.length);
          assert.equal(stored, canonicalRedact(raw, 's').text);
        }
        void redaction;
      }),
      { numRuns: 300 },
    );
  });

  it('random typing, jumps, pastes and flushes through the coalescer: every state the store passes through is R of a document state', () => {
    // Secrets and half-secrets typed key by key, so that runs hold every piece of them at some point.
    const words = [
      'a',
      'x = 1;',
      ' ',
      '\n',
      'token = "',
      'ghp_AbCdEf0123456789XyZabcdefghijklmnop',
      'AKIAQWERTYUIOPASDFGH',
      'password=',
      'hunter2hunter2',
      '"',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-',
      'x@corp.io',
    ];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), word: fc.constantFrom(...words), jump: fc.boolean(), at: fc.nat() }),
      fc.record({ kind: fc.constant('backspace' as const), count: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('paste' as const), word: fc.constantFrom(...words), at: fc.nat(), del: fc.nat({ max: 10 }) }),
      fc.record({ kind: fc.constantFrom('flush' as const, 'pause' as const) }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('start\n', 'const a = 1;\nkey = "AKIAQWERTYUIOPASDFGH"\nend\n'),
        fc.array(op, { minLength: 1, maxLength: 30 }),
        (initial, ops) => {
          const out: EditOutput[] = [];
          const coalescer = new EditCoalescer((e) => out.push(e), { idleMs: 1000, onRedactionError: (err) => assert.fail(String(err)) });
          let raw: string = initial;
          const { redaction: state, redacted } = DocumentRedaction.fromText(raw, 's');
          const versions = [raw]; // raw text at each version (index = version - 1)
          let cursor = raw.length;
          let ts = 0;
          const change = (offset: number, length: number, text: string, origin: 'typing' | 'paste') => {
            raw = raw.slice(0, offset) + text + raw.slice(offset + length);
            versions.push(raw);
            const now = raw;
            const doc: DocumentText = {
              length: now.length,
              slice: (s, t) => now.slice(s, t),
              lineStart: (o) => (o > 0 ? now.lastIndexOf('\n', o - 1) + 1 : 0),
              lineEnd: (o) => (now.indexOf('\n', o) === -1 ? now.length : now.indexOf('\n', o)),
            };
            ts += 50;
            coalescer.push({
              repoId: 'r',
              file: 'a.ts',
              fromVersion: versions.length - 1,
              version: versions.length,
              origin,
              ts,
              changes: [{ offset, length, text, textLength: text.length }],
              redaction: { state, doc },
            });
          };
          for (const o of ops) {
            if (o.kind === 'type') {
              if (o.jump) cursor = o.at % (raw.length + 1);
              for (const ch of o.word) change(cursor++, 0, ch, 'typing');
            } else if (o.kind === 'backspace') {
              for (let i = 0; i < o.count && cursor > 0; i++) change(--cursor, 1, '', 'typing');
            } else if (o.kind === 'paste') {
              const at = o.at % (raw.length + 1);
              change(at, Math.min(o.del, raw.length - at), o.word, 'paste');
              cursor = at + o.word.length;
            } else if (o.kind === 'flush') coalescer.closeAll();
            else ts += 5000;
          }
          coalescer.closeAll();
          const R = versions.map((v) => canonicalRedact(v, 's').text);
          let stored = redacted;
          let version = 1;
          for (const e of out) {
            assert.equal(e.data.fromVersion, version, 'events chain');
            const allowed = new Set(R.slice(e.data.fromVersion - 1, e.data.version));
            for (const c of e.data.changes) {
              stored = stored.slice(0, c.offset) + c.text + stored.slice(c.offset + c.length);
              // Not only the end of an event: after every change the store holds R of some version.
              assert.ok(allowed.has(stored), `after ${JSON.stringify(c)} of ${JSON.stringify(e.data.changes)}: ${JSON.stringify(stored)}`);
            }
            assert.equal(stored, R[e.data.version - 1]);
            version = e.data.version;
          }
          assert.equal(version, versions.length, 'every change is in some event');
        },
      ),
      { numRuns: 400 },
    );
  });
});
