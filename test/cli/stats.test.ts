import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoDir } from '../../src/core/store/layout';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { newUlid } from '../../src/core/base/ids';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const run = promisify(execFile);
const cli = join(__dirname, '../../../dist/cli.js');

async function codetrail(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('codetrail CLI (the built dist/cli.js)', () => {
  const tmp = useTempDir();

  it('--help lists the commands', async () => {
    const { code, stdout } = await codetrail('--help');
    assert.equal(code, 0);
    assert.match(stdout, /stats \[options\]/);
  });

  it('stats --json counts by kind, task and session, and reports a torn line without failing', async () => {
    const task = newUlid();
    const otherSession = newUlid();
    const writer = new SegmentWriter({ dir: repoDir(tmp(), REPO), sessionId: SESSION });
    for (let i = 0; i < 3; i++) writer.append(JSON.stringify(editRecord('a.ts', `${i}`)));
    for (let i = 0; i < 2; i++) writer.append(JSON.stringify(editRecord('b.ts', `${i}`, { task, session: otherSession })));
    await writer.flush();
    // As a crash leaves an open segment: a torn last line, and no close (which would compress it).
    const [file] = await readdir(repoDir(tmp(), REPO));
    await appendFile(join(repoDir(tmp(), REPO), file!), '{"torn":');
    await writer.discard();

    const { code, stdout, stderr } = await codetrail('stats', '--store', tmp(), '--json');
    assert.equal(code, 0);
    const stats = JSON.parse(stdout);
    assert.equal(stats.eventCount, 5);
    assert.deepEqual(stats.byKind, { edit: 5 });
    assert.deepEqual(stats.byTask, { '(none)': 3, [task]: 2 });
    assert.deepEqual(stats.bySession, { [SESSION]: 3, [otherSession]: 2 });
    assert.equal(stats.issues.length, 1);
    assert.equal(stats.issues[0].line, 6);
    assert.match(stats.issues[0].message, /last line is incomplete/);
    assert.equal(stderr, '', 'under --json the problems are in the report, not on stderr');
  });

  it('a missing store is a clear error with a distinct exit code', async () => {
    const { code, stderr } = await codetrail('stats', '--store', join(tmp(), 'nope'));
    assert.equal(code, 3);
    assert.match(stderr, /no Codetrail store at .*nope/);
  });

  it('a bad command line exits 2', async () => {
    const { code } = await codetrail('stats', '--no-such-option');
    assert.equal(code, 2);
  });
});
