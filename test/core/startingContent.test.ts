// The review panel's content of a file before its first snapshot: HEAD's, unless the task started
// with changes to it; untracked files from the record; never anything for unsafe paths.
import { strict as assert } from 'node:assert';
import { filesInDiff, isSafeRelPath, startingContent } from '../../src/core/review/startingContent';
import type { EventRecord } from '../../src/core/schema/events';

const HEAD = 'a'.repeat(40);

function gitState(data: Partial<Extract<EventRecord, { kind: 'git.state' }>['data']>): EventRecord {
  return {
    v: 1,
    id: '01J00000000000000000000000',
    ts: 1,
    session: 's',
    task: 't',
    repo: 'r_1',
    contributor: 'c',
    kind: 'git.state',
    origin: 'system',
    data: { reason: 'task', head: HEAD, branch: 'main', detached: false, inProgress: null, dirtyDiff: '', diffOmitted: [], untracked: [], ...data },
  } as EventRecord;
}

describe('starting content for the review panel', () => {
  const reads: string[] = [];
  const read = async (sha: string, file: string) => {
    reads.push(`${sha.slice(0, 4)}:${file}`);
    return file === 'gone.js' ? null : `HEAD of ${file}`;
  };
  beforeEach(() => (reads.length = 0));

  it('reads a file at the task’s HEAD', async () => {
    const base = startingContent([gitState({})], read)!;
    assert.equal(await base('src/range.js'), 'HEAD of src/range.js');
    assert.equal(await base('gone.js'), null, 'not at HEAD: did not exist');
    assert.deepEqual(reads, ['aaaa:src/range.js', 'aaaa:gone.js']);
  });

  it('leaves files the task started with changes to unknown, rather than showing HEAD’s', async () => {
    const dirtyDiff = 'diff --git a/src/a.js b/src/a.js\nindex 1..2 100644\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1 @@\n-x\n+y\n';
    const base = startingContent([gitState({ dirtyDiff, diffOmitted: [{ path: 'big.bin', reason: 'binary' }] })], read)!;
    assert.equal(await base('src/a.js'), undefined);
    assert.equal(await base('big.bin'), undefined);
    assert.deepEqual(reads, []);
  });

  it('takes untracked files from the record', async () => {
    const base = startingContent(
      [
        gitState({
          untracked: [
            { path: 'notes.md', size: 3, content: 'hi\n' },
            { path: 'link', size: 4, content: 'a.js', symlink: true },
          ],
        }),
      ],
      read,
    )!;
    assert.equal(await base('notes.md'), 'hi\n');
    assert.equal(await base('link'), undefined);
    assert.deepEqual(reads, []);
  });

  it('never asks git about unsafe paths; nothing without HEAD or at capture level metadata', async () => {
    const base = startingContent([gitState({})], read)!;
    for (const bad of ['../outside.js', '/etc/passwd', '-p', '.git/config', 'a/../../b', 'C:\\x']) assert.equal(await base(bad), undefined, bad);
    assert.deepEqual(reads, []);
    assert.equal(startingContent([gitState({ head: null })], read), undefined);
    const metadata = {
      ...gitState({}),
      kind: 'session.start',
      data: { reason: 'window', policyHash: 'h', consentAt: 1, captureLevel: 'metadata', redactionRules: '1', extensionVersion: '0', vscodeVersion: '1' },
    } as EventRecord;
    assert.equal(startingContent([metadata, gitState({})], read), undefined);
  });

  it('lists the files of a diff, both sides of a rename', () => {
    assert.deepEqual([...filesInDiff('diff --git a/old.js b/new.js\nsimilarity index 90%\n')], ['old.js', 'new.js']);
    assert.equal(isSafeRelPath('src/ok.js'), true);
  });
});
