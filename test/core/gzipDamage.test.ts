// A gzipped segment with damage after or inside its compressed data: every record before the
// damage is read, and the damage is reported. Node's gunzip alone dropped what it had inflated
// from the piece of input the damage was in: bytes appended to a small segment lost all of it.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newUlid } from '../../src/core/base/ids';
import { readSegmentRecords, type ReadIssue } from '../../src/core/store/segmentReader';
import { tasksInSegment } from '../../src/core/store/taskStream';
import { editRecord } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const TASK = newUlid();
const lines = (from: number, count: number, task: string | null = null) =>
  Array.from({ length: count }, (_, i) => JSON.stringify(editRecord('src/a.js', `line ${from + i}\n`, { task })) + '\n').join('');

describe('damaged gzip segments (store/gzipDamage.ts)', () => {
  const tmp = useTempDir();

  async function read(bytes: Buffer): Promise<{ texts: string[]; issues: ReadIssue[]; file: string }> {
    const file = join(tmp(), '01JGXA1F00W0YVMWNFCY7GFF1S-0000.jsonl.gz');
    await writeFile(file, bytes);
    const issues: ReadIssue[] = [];
    const texts: string[] = [];
    for await (const { record } of readSegmentRecords(file, (issue) => issues.push(issue)))
      if (record.kind === 'edit') texts.push(record.data.changes[0]!.text!);
    return { texts, issues, file };
  }
  const expected = (count: number) => Array.from({ length: count }, (_, i) => `line ${i}\n`);

  it('bytes appended after the compressed data: every record read, the bytes reported after the last line', async () => {
    for (const appended of ['{"not": "a record"}\n', 'x', '\x1f\x8b\x08garbage']) {
      const { texts, issues } = await read(Buffer.concat([gzipSync(lines(0, 40)), Buffer.from(appended, 'latin1')]));
      assert.deepEqual(texts, expected(40), JSON.stringify(appended));
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.line, 41);
      assert.equal(issues[0]!.kind, 'unreadable');
      assert.match(issues[0]!.message, appended.startsWith('\x1f') ? /compressed data/ : /byte\(s\) after the end of the compressed data/);
    }
  });

  it('several members (concatenated gzip files): all of them, then what follows is reported; planning finds their tasks', async () => {
    const { texts, issues, file } = await read(Buffer.concat([gzipSync(lines(0, 30)), gzipSync(lines(30, 30, TASK)), Buffer.from('trailing')]));
    assert.deepEqual([...(await tasksInSegment(file))], [TASK]);
    assert.deepEqual(texts, expected(60));
    assert.deepEqual(
      issues.map((i) => [i.line, i.message]),
      [[61, 'cannot read further: 8 byte(s) after the end of the compressed data']],
    );
  });

  it("a member whose checksum fails is not taken: its bytes may be anyone's; the member before is", async () => {
    const second = gzipSync(lines(30, 30));
    const crc = second.length - 8;
    second.writeUInt32LE((second.readUInt32LE(crc) ^ 0xff) >>> 0, crc);
    const { texts, issues } = await read(Buffer.concat([gzipSync(lines(0, 30)), second, Buffer.from('trailing')]));
    assert.deepEqual(texts, expected(30));
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /fails its checksum/);
  });

  it('a whole segment reads with no issue (the recovery is only for damage)', async () => {
    const { texts, issues } = await read(Buffer.concat([gzipSync(lines(0, 20)), gzipSync(lines(20, 5))]));
    assert.deepEqual(texts, expected(25));
    assert.deepEqual(issues, []);
  });
});
