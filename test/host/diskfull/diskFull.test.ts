// Recording into a store on a real, tiny tmpfs (mounted by scripts/host/resilience.mjs) that
// fills up: the status bar says recording is paused, nothing written before is damaged, and
// recording resumes once there is room again. The runner looks at the workbench for us.
import { strict as assert } from 'node:assert';
import { statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fillDisk, freeDisk } from '../../helpers/tinyDisk';
import { askWorkbench } from '../control';
import { replayFile } from '../replayFile';
import { activeExtension, codetrailCli, fixtures, flush, openAtEnd, saveEditor, storeRecords, typeText } from '../helpers';

const { repo, store, control, disk } = fixtures<{ repo: string; control: string; disk: string }>();

/** Everything but the last few hundred bytes: one big file, then smaller ones into the gaps. */
async function fillUp(): Promise<void> {
  const { bavail, bsize } = statfsSync(disk);
  const room = bavail * bsize - 64 * 1024;
  if (room > 0) writeFileSync(join(disk, 'filler-big'), Buffer.alloc(room));
  await fillDisk(disk);
}

const flushOutcome = () =>
  flush().then(
    () => 'ok',
    (err: Error) => err.message,
  );

describe('recording onto a disk that fills up', function () {
  this.timeout(180_000);

  it('pauses with a visible warning, keeps what it wrote, and resumes when there is room', async () => {
    await activeExtension();
    assert.deepEqual(await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true }), [repo]);
    const taskId = (await vscode.commands.executeCommand('codetrail.startTask', { title: 'fill the disk' })) as string;
    const editor = await openAtEnd(join(repo, 'notes.txt'));
    await typeText(editor, 'before the disk filled\n');
    await saveEditor(editor);
    await flush();
    const before = await storeRecords(store);
    assert.equal(replayFile(before, 'notes.txt'), 'notes\nbefore the disk filled\n', 'typing before is recorded');
    assert.equal((await askWorkbench(control, 'statusbar', 'disk full', false)).ok, true, 'no warning while there is room');

    await fillUp();
    await typeText(editor, 'while the disk is full, more text than fits '.repeat(5));
    assert.match(await flushOutcome(), /disk holding the Codetrail store is full/);
    const shown = await askWorkbench(control, 'statusbar', 'Codetrail paused: disk full', true);
    assert.equal(shown.ok, true, `the status bar says recording is paused (it shows: ${shown.shown})`);
    // The notification centre keeps the warning after its toast has timed out.
    await vscode.commands.executeCommand('notifications.showList');
    const toast = await askWorkbench(control, 'notifications', 'the disk holding its recordings is full', true);
    await vscode.commands.executeCommand('notifications.hideList');
    assert.equal(toast.ok, true, `a warning says so (notifications: ${toast.shown})`);

    // Nothing written before is damaged while the disk is full.
    const stillThere = await storeRecords(store);
    assert.deepEqual(
      stillThere.filter((r) => before.some((b) => b.id === r.id)),
      before,
    );
    const whileFull = JSON.parse(await codetrailCli('stats', '--store', store, '--json')) as { issues: unknown[] };
    assert.deepEqual(whileFull.issues, [], 'every line of every segment reads back');

    await freeDisk(disk);
    assert.equal(await flushOutcome(), 'ok', 'a flush succeeds once there is room');
    const cleared = await askWorkbench(control, 'statusbar', 'disk full', false);
    assert.equal(cleared.ok, true, `the warning is gone (status bar: ${cleared.shown})`);

    await typeText(editor, 'after there was room again\n');
    await saveEditor(editor);
    assert.equal(await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved' }), taskId);
    await flush();

    const after = await storeRecords(store);
    assert.deepEqual(
      after.filter((r) => before.some((b) => b.id === r.id)),
      before,
      'everything from before is still there, unchanged',
    );
    assert.ok(replayFile(after, 'notes.txt').endsWith('after there was room again\n'), 'recording resumed');
    const sessions = new Set(after.map((r) => r.session));
    assert.ok(sessions.size >= 2, 'the pause ended the session; a new one started on resume');
    const stats = JSON.parse(await codetrailCli('stats', '--store', store, '--json')) as { issues: unknown[] };
    assert.deepEqual(stats.issues, []);
    const verify = JSON.parse(await codetrailCli('verify', '--store', store, '--json')) as {
      tasks: Array<{ task: string; status: string; checks: { saveCount: number } }>;
    };
    const verdict = verify.tasks.find((t) => t.task === taskId);
    assert.ok(verdict && verdict.status !== 'diverged', `replay of the task does not diverge: ${JSON.stringify(verdict)}`);
    assert.ok(verdict.checks.saveCount >= 2, `both saves were checked against the replay: ${JSON.stringify(verdict)}`);
  });
});
