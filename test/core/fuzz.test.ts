// Property-based tests of every reader of untrusted input: segment files, policy files, stored
// lines, and the document redaction under random edits. Never a crash, never a valid record lost.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { parsePolicy, POLICY_DEFAULTS } from '../../src/core/policy';
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
      fc.asyncProperty(fc.array(fc.oneof(fc.record({ ok: fc.constant(true as const), text: fc.string({ maxLength: 40 }) }), fc.record({ ok: fc.constant(false as const), text: garbage })), { maxLength: 30 }), fc.boolean(), async (lines, tornTail) => {
        const file = join(tmp(), `${Math.random()}.jsonl`);
        const records = lines.map((l) => (l.ok ? editRecord('a.ts', l.text) : undefined));
        const body = lines.map((l, i) => (l.ok ? JSON.stringify(records[i]) : l.text)).join('\n') + (lines.length ? '\n' : '');
        await writeFile(file, body + (tornTail ? '{"v":1,"id":"01' : ''));
        const issues: ReadIssue[] = [];
        const got = [];
        for await (const r of readSegmentRecords(file, (i) => issues.push(i))) got.push(r.record);
        assert.deepEqual(got, records.filter(Boolean));
        const badLines = lines.flatMap((l, i) => (!l.ok && l.text.length > 0 ? [i + 1] : []));
        assert.deepEqual(issues.filter((i) => i.kind !== 'torn-tail').map((i) => i.line), badLines);
        assert.equal(issues.some((i) => i.kind === 'torn-tail'), tornTail);
      }),
      { numRuns: 60 },
    );
  });

  it('any stored line is parsed or refused with a message, never thrown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ v: 1, kind: 'edit', data: v }))), (line) => {
        const parsed = parseRecordLine(line);
        assert.ok(parsed.ok || parsed.error.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it('any policy file is accepted within its limits or refused with reasons, never thrown', () => {
    const keys = fc.constantFrom('version', 'enabled', 'purpose', 'contact', 'capture', 'exclude', 'retentionDays', 'terminalOutput', 'storePath', 'uploadUrl', '__proto__', 'x');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.dictionary(keys, fc.jsonValue()).map((o) => JSON.stringify(o))), (text) => {
        const check = parsePolicy(text);
        if (!check.ok) return assert.ok(check.errors.length > 0);
        const p = check.policy;
        assert.equal(p.version, 1);
        assert.ok(p.retentionDays >= 1 && p.retentionDays <= 3650);
        assert.ok(p.capture === 'full' || p.capture === 'metadata');
        assert.ok(p.exclude.every((g) => !g.startsWith('!')));
        assert.deepEqual(Object.keys(p).sort(), ['version', 'enabled', ...Object.keys(POLICY_DEFAULTS)].sort());
      }),
      { numRuns: 500 },
    );
  });

  it('random edits to a document with secrets: the stored text is always R(document)', () => {
    const pieces = ['a', ' ', '\n', 'token = "', 'ghp_', 'AbCdEf0123456789XyZ', 'AKIA', 'QWERTYUIOPASDFGH', 'password=', 'hunter2hunter2', '-----BEGIN RSA PRIVATE KEY-----\n', 'MIIEowIBAAKCAQEA1234567890abcdef\n', '-----END RSA PRIVATE KEY-----\n', 'x@corp.io', '"'];
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
          for (const c of redaction.transform([{ offset, length, text: e.text }], doc)) stored = stored.slice(0, c.offset) + c.text + stored.slice(c.offset + c.length);
          assert.equal(stored, canonicalRedact(raw, 's').text);
        }
        void redaction;
      }),
      { numRuns: 300 },
    );
  });
});
