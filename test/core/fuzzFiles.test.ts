// Property-based tests of the readers of files Codetrail did not write itself or that a crash or a
// bad disk damaged: gzip-rotated segments cut short or corrupted, raw invalid UTF-8, wrong schema
// versions, lines over the size limit, and hostile export manifests given to `codetrail merge`.
// Always a clear problem naming the file (and line), never a crash, never a valid record dropped.
import { strict as assert } from 'node:assert';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CodetrailError } from '../../src/core/base/errors';
import { exportStore } from '../../src/core/export/exporter';
import { MANIFEST, sealOf, type Manifest } from '../../src/core/export/manifest';
import { mergeExports } from '../../src/core/export/merge';
import type { EventRecord } from '../../src/core/schema/events';
import { repoDir, segmentFileName } from '../../src/core/store/layout';
import { MAX_LINE_BYTES, readSegmentRecords, type ReadIssue } from '../../src/core/store/segmentReader';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

async function readAll(file: string): Promise<{ records: EventRecord[]; issues: ReadIssue[] }> {
  const issues: ReadIssue[] = [];
  const records: EventRecord[] = [];
  for await (const r of readSegmentRecords(file, (i) => issues.push(i))) records.push(r.record);
  return { records, issues };
}

/** The records whose whole line (newline included) is in `text`. */
function completeRecords(text: string): EventRecord[] {
  const lines = text.split('\n');
  lines.pop(); // after the last newline: a partial line, or nothing
  return lines.map((l) => JSON.parse(l) as EventRecord);
}

const texts = fc.array(fc.string({ maxLength: 60 }), { minLength: 1, maxLength: 25 });

describe('fuzzing the readers of damaged and hostile files', () => {
  const tmp = useTempDir();
  let n = 0;
  const fileIn = (name: string) => join(tmp(), `${++n}-${name}`);

  it('a rotated .jsonl.gz segment cut short anywhere: every record that was whole before the cut is read, and the cut is reported with the file', async () => {
    await fc.assert(
      fc.asyncProperty(texts, fc.double({ min: 0, max: 1, noNaN: true }), async (contents, where) => {
        const records = contents.map((t) => editRecord('a.ts', t));
        const gz = gzipSync(Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join('')));
        const cut = Math.min(gz.length - 1, Math.floor(where * gz.length)); // at least one byte short
        const file = fileIn('01ARZ3NDEKTSV4RRFFQ69G5FAV-0000.jsonl.gz');
        await writeFile(file, gz.subarray(0, cut));
        // What any gunzip can get out of the bytes that are left.
        let readable = '';
        try {
          readable = gunzipSync(gz.subarray(0, cut), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
        } catch {
          readable = '';
        }
        const { records: got, issues } = await readAll(file);
        assert.deepEqual(got, completeRecords(readable), 'the records readable before the cut, no more, no less');
        assert.ok(issues.length >= 1, 'the cut is reported');
        for (const i of issues) {
          assert.equal(i.file, file);
          assert.ok(['unreadable', 'torn-tail'].includes(i.kind), i.kind);
          assert.ok(i.line >= 1 && i.message.length > 0);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('a .jsonl.gz segment with corrupted bytes: never a crash, every problem names the file, every record read is valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        texts,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (contents, flips) => {
          const records = contents.map((t) => editRecord('a.ts', t));
          const gz = Buffer.from(gzipSync(Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''))));
          for (const [where, xor] of flips) gz[Math.floor(where * gz.length) % gz.length]! ^= xor;
          const file = fileIn('01ARZ3NDEKTSV4RRFFQ69G5FAV-0001.jsonl.gz');
          await writeFile(file, gz);
          const { records: got, issues } = await readAll(file);
          for (const i of issues) assert.equal(i.file, file);
          // A flip the gzip checks do not catch (header fields such as mtime) changes nothing;
          // one they catch is reported. Records are yielded as they inflate, before the CRC at the
          // end is checked, so a flip inside a string can still reach the reader as a valid record.
          if (issues.length === 0) assert.deepEqual(got, records);
          else assert.ok(issues.every((i) => i.line >= 1 && i.message.length > 0));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('raw invalid UTF-8, wrong schema versions and a line over the size limit between valid records: each reported at its line, no valid record lost', async () => {
    const bad = fc.oneof(
      // Bytes that are never valid UTF-8 (a lone continuation byte, an overlong form, a surrogate).
      fc
        .constantFrom(Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe]))
        .chain((b) => fc.string({ maxLength: 10 }).map((s) => Buffer.concat([Buffer.from(s.replace(/\n/g, '')), b]))),
      fc
        .integer()
        .filter((v) => v !== 1)
        .map((v) => Buffer.from(JSON.stringify({ ...editRecord('a.ts', 'x'), v }))),
      fc.constant(Buffer.from('{"v":1,"id":"not a ulid","kind":"edit"}')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 30 }).map((t) => editRecord('a.ts', t)),
            bad,
          ),
          { minLength: 1, maxLength: 20 },
        ),
        async (lines) => {
          const file = fileIn('bad.jsonl');
          await writeFile(file, Buffer.concat(lines.map((l) => Buffer.concat([Buffer.isBuffer(l) ? l : Buffer.from(JSON.stringify(l)), Buffer.from('\n')]))));
          const { records, issues } = await readAll(file);
          assert.deepEqual(
            records,
            lines.filter((l) => !Buffer.isBuffer(l)),
          );
          assert.deepEqual(
            issues.map((i) => i.line),
            lines.flatMap((l, i) => (Buffer.isBuffer(l) ? [i + 1] : [])),
          );
          for (const i of issues) {
            assert.equal(i.file, file);
            assert.ok(['invalid-utf8', 'invalid-json', 'invalid-record'].includes(i.kind), `${i.kind}: ${i.message}`);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a line over the size limit, plain and gzipped: skipped and reported at its line, the records around it kept', async () => {
    const before = editRecord('a.ts', 'before');
    const after = editRecord('a.ts', 'after');
    const body = Buffer.concat([
      Buffer.from(JSON.stringify(before) + '\n'),
      Buffer.alloc(MAX_LINE_BYTES + 10, 0x61),
      Buffer.from('\n' + JSON.stringify(after) + '\n'),
    ]);
    for (const [name, bytes] of [
      ['huge.jsonl', body],
      ['huge.jsonl.gz', gzipSync(body)],
    ] as const) {
      const file = fileIn(name);
      await writeFile(file, bytes);
      const { records, issues } = await readAll(file);
      assert.deepEqual(records, [before, after], name);
      assert.deepEqual(
        issues.map((i) => [i.file, i.line, i.kind]),
        [[file, 2, 'line-too-long']],
        name,
      );
    }
  });

  describe('hostile manifest.json given to merge', function () {
    this.timeout(60_000);
    let good: string;
    let goodManifest: Record<string, unknown>;

    // beforeEach, not before: the temporary folder exists only once the outer beforeEach made it
    // (a `before` hook wrote the store and export into the working directory).
    beforeEach(async () => {
      const store = join(tmp(), 'store');
      await mkdir(repoDir(store, REPO), { recursive: true });
      await writeFile(
        join(repoDir(store, REPO), segmentFileName(SESSION, 0)),
        [editRecord('a.ts', 'one'), editRecord('a.ts', 'two')].map((r) => JSON.stringify(r) + '\n').join(''),
      );
      good = join(tmp(), 'good');
      await exportStore({ store, out: good, format: 'raw', version: 'test' });
      goodManifest = JSON.parse(await readFile(join(good, MANIFEST), 'utf8')) as Record<string, unknown>;
    });

    it('any manifest: merged, or refused with a bad-input error naming the input, never a crash', async () => {
      const keys = ['tool', 'schema_version', 'format', 'created_at', 'counts', 'configs', 'files', 'tasks', 'seal'];
      // Resealed, as a sender who knows the format would forge it: what follows the seal is fuzzed too.
      const resealed = (m: Record<string, unknown>) => {
        try {
          return JSON.stringify({ ...m, seal: sealOf(m as unknown as Manifest) });
        } catch {
          return JSON.stringify(m);
        }
      };
      const mutated = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.record({ key: fc.constantFrom(...keys), value: fc.jsonValue() }).map(({ key, value }) => resealed({ ...goodManifest, [key]: value })),
        fc.jsonValue().map((v) => resealed({ ...goodManifest, tasks: [v] })),
        fc.jsonValue().map((v) => resealed({ ...goodManifest, files: [v] })),
        fc.string(),
        fc.record({ key: fc.constantFrom(...keys), value: fc.jsonValue() }).map(({ key, value }) => JSON.stringify({ ...goodManifest, [key]: value })),
        fc.constantFrom(...keys).map((key) => JSON.stringify({ ...goodManifest, [key]: undefined })),
        fc.jsonValue().map((v) => JSON.stringify({ ...goodManifest, files: [v] })),
        fc.jsonValue().map((v) => JSON.stringify({ ...goodManifest, configs: [v] })),
        fc.jsonValue().map((v) => JSON.stringify({ ...goodManifest, tasks: [v] })),
        fc.constant(JSON.stringify({ ...goodManifest, files: [{ path: '../../../etc/hostname', sha256: '0'.repeat(64), bytes: 1 }] })),
      );
      let i = 0;
      await fc.assert(
        fc.asyncProperty(mutated, async (text) => {
          const dir = join(tmp(), `in-${++i}`);
          await mkdir(dir, { recursive: true });
          await cp(good, dir, { recursive: true });
          await writeFile(join(dir, MANIFEST), text);
          try {
            await mergeExports({ out: join(tmp(), `out-${i}`), inputs: [dir], rowsPerShard: 100, version: 'test' });
          } catch (err) {
            assert.ok(err instanceof CodetrailError && err.code === 'bad-input', `not a clear refusal: ${(err as Error).stack}`);
            assert.ok(err.message.includes(dir), `the message names the input: ${err.message}`);
          }
        }),
        {
          numRuns: 150,
          // Found by a run's random seed: String() of an object whose toString is not a function throws.
          examples: [[resealed({ ...goodManifest, created_at: { toString: [] } })], [resealed({ ...goodManifest, tool: { version: { valueOf: {} } } })]],
        },
      );
    });
  });
});
