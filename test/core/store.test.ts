import { strict as assert } from 'node:assert';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoDir } from '../../src/core/store/layout';
import { MAX_LINE_BYTES, readSegmentRecords, type ReadIssue } from '../../src/core/store/segmentReader';
import { compressSegment, SegmentWriter } from '../../src/core/store/segmentWriter';
import { listSegments, readStore } from '../../src/core/store/storeReader';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

async function collect(store: string) {
  const issues: ReadIssue[] = [];
  const records = [];
  for await (const r of readStore(store, (i) => issues.push(i))) records.push(r);
  return { records, issues };
}

describe('store: segment writer and reader', () => {
  const tmpDir = useTempDir();

  it('a segment compressed by its window between listing and reading is read from its compressed copy, whole', async () => {
    const writer = new SegmentWriter({ dir: repoDir(tmpDir(), REPO), sessionId: SESSION });
    const records = [0, 1, 2].map((i) => editRecord('a.ts', String(i)));
    for (const r of records) writer.append(JSON.stringify(r));
    await writer.flush();
    const [listed] = await listSegments(tmpDir());
    await writer.discard(); // leaves the plain segment, as a window that is still open does
    await compressSegment(listed!.path); // the window closes it: .gz appears, the plain file goes
    const issues: ReadIssue[] = [];
    const read = [];
    for await (const r of readSegmentRecords(listed!.path, (i) => issues.push(i))) read.push(r.record);
    assert.deepEqual(issues, []);
    assert.deepEqual(read, records);
  });

  const tmp = useTempDir();

  it('round-trips records, buffered until flush, with private folders and files', async () => {
    const dir = repoDir(tmp(), REPO);
    const writer = new SegmentWriter({ dir, sessionId: SESSION });
    const written = [editRecord('a.ts', 'one'), editRecord('a.ts', 'two ✓ 𝄞')];
    for (const r of written) writer.append(JSON.stringify(r));
    assert.equal(writer.pendingCount, 2);
    await assert.rejects(stat(dir), 'nothing touches disk before a flush');
    await writer.flush();
    const { records, issues } = await collect(tmp());
    assert.deepEqual(issues, []);
    assert.deepEqual(
      records.map((r) => r.record),
      written,
    );
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(tmp(), 'repos'))).mode & 0o777, 0o700);
    const [file] = await readdir(dir);
    assert.equal((await stat(join(dir, file!))).mode & 0o777, 0o600);
    await writer.close();
  });

  it('reports a torn last line and a corrupt middle line, and keeps every valid record around them', async () => {
    const dir = repoDir(tmp(), REPO);
    const writer = new SegmentWriter({ dir, sessionId: SESSION });
    const before = editRecord('a.ts', 'before');
    const after = editRecord('a.ts', 'after');
    writer.append(JSON.stringify(before));
    await writer.flush();
    const [file] = await readdir(dir);
    const path = join(dir, file!);
    await appendFile(path, '{"v":1,"id":garbage\n');
    await appendFile(path, JSON.stringify(after) + '\n');
    await appendFile(path, JSON.stringify(editRecord('a.ts', 'torn')).slice(0, 40));
    const { records, issues } = await collect(tmp());
    assert.deepEqual(
      records.map((r) => r.record),
      [before, after],
    );
    assert.deepEqual(
      issues.map((i) => [i.kind, i.line]),
      [
        ['invalid-json', 2],
        ['torn-tail', 4],
      ],
    );
    assert.ok(issues.every((i) => i.file === path));
    await writer.close();
  });

  it('rotates a segment past its size and compresses it; the reader reads both in order', async () => {
    const dir = repoDir(tmp(), REPO);
    const writer = new SegmentWriter({ dir, sessionId: SESSION, rotateBytes: 1024 });
    const written = [];
    for (let i = 0; i < 40; i++) {
      const r = editRecord('a.ts', `line ${i} `.repeat(10));
      written.push(r);
      writer.append(JSON.stringify(r));
      if (i % 5 === 4) await writer.flush();
    }
    await writer.close();
    const names = (await readdir(dir)).sort();
    const gz = names.filter((n) => n.endsWith('.jsonl.gz'));
    assert.ok(gz.length >= 3, `expected several compressed segments, got ${names.join(', ')}`);
    assert.ok(!names.some((n) => n.endsWith('.tmp')));
    for (const n of gz) assert.equal((await stat(join(dir, n))).mode & 0o777, 0o600);
    // each compressed file really is gzip of whole lines
    const text = gunzipSync(await readFile(join(dir, gz[0]!))).toString('utf8');
    assert.ok(text.endsWith('\n'));
    const { records, issues } = await collect(tmp());
    assert.deepEqual(issues, []);
    assert.deepEqual(
      records.map((r) => r.record),
      written,
    );
  });

  it('a plain segment left next to its complete .gz (crash during rotation) is read once, not twice', async () => {
    const dir = repoDir(tmp(), REPO);
    const writer = new SegmentWriter({ dir, sessionId: SESSION, rotateBytes: 10 });
    writer.append(JSON.stringify(editRecord('a.ts', 'x')));
    await writer.close();
    const [gzName] = await readdir(dir);
    assert.match(gzName!, /\.jsonl\.gz$/);
    await writeFile(join(dir, gzName!.replace(/\.gz$/, '')), gunzipSync(await readFile(join(dir, gzName!))));
    assert.equal((await listSegments(tmp())).length, 1);
    assert.equal((await collect(tmp())).records.length, 1);
  });

  it('reports invalid UTF-8 and over-long lines by line number and goes on', async () => {
    const dir = repoDir(tmp(), REPO);
    const writer = new SegmentWriter({ dir, sessionId: SESSION });
    const last = editRecord('a.ts', 'last');
    writer.append(JSON.stringify(editRecord('a.ts', 'first')));
    await writer.flush();
    const [file] = await readdir(dir);
    const path = join(dir, file!);
    await appendFile(path, Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
    await appendFile(path, 'x'.repeat(MAX_LINE_BYTES + 10) + '\n');
    await appendFile(path, JSON.stringify(last) + '\n');
    const issues: ReadIssue[] = [];
    const got = [];
    for await (const r of readSegmentRecords(path, (i) => issues.push(i))) got.push(r.record);
    assert.equal(got.length, 2);
    assert.deepEqual(got[1], last);
    assert.deepEqual(
      issues.map((i) => [i.kind, i.line]),
      [
        ['invalid-utf8', 2],
        ['line-too-long', 3],
      ],
    );
    await writer.close();
  });
});
