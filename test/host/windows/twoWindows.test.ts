// One of two workbench windows open on the same repository at once (scripts/host/resilience.mjs
// opens both). Each records a task of its own; the two type at the same time, after a barrier,
// so that both writers are busy together. The runner then checks the store as a whole.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitForFile } from '../control';
import { textFor } from './text';
import { activeExtension, fixtures, flush, openAtEnd, saveEditor, typeText } from '../helpers';

const { repo, control, window: name } = fixtures<{ repo: string; control: string; window: string }>();

describe('one of two windows on one repository', function () {
  this.timeout(240_000);

  it('records its own task while the other window records too', async () => {
    assert.match(name, /^win-[ab]$/, 'the runner opens win-a and win-b');
    const other = name === 'win-a' ? 'win-b' : 'win-a';
    await activeExtension();
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath),
      [repo],
      'this window is open on the shared repository',
    );
    await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true });
    const taskId = (await vscode.commands.executeCommand('codetrail.startTask', { title: `task of ${name}` })) as string | undefined;
    assert.match(taskId ?? '', /^[0-9A-Z]{26}$/);
    const editor = await openAtEnd(join(repo, `${name}.txt`));

    writeFileSync(join(control, `ready-${name}`), taskId!);
    await waitForFile(join(control, `ready-${other}`), 120_000);

    await typeText(editor, textFor(name));
    await saveEditor(editor);
    await flush();
    assert.equal(await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved' }), taskId);
    await flush();
    writeFileSync(join(control, `done-${name}`), taskId!);
  });
});
