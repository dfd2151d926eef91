// In a workspace that is not trusted, Codetrail records nothing, even with policy and consent.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, fixtures, flush, openAtEnd, storeText, typeText } from '../helpers';

const { optin, store } = fixtures<{ optin: string }>();

describe('untrusted workspace', () => {
  before(async () => {
    await activeExtension();
  });

  it('the workspace really is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('with a policy and consent, typing still leaves the store without a single byte', async () => {
    await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true });
    const editor = await openAtEnd(join(optin, 'src/app.js'));
    await typeText(editor, '// untrusted');
    await vscode.commands.executeCommand('codetrail.startTask', { title: 'should not start' });
    await flush();
    assert.equal(await storeText(store), '');
  });
});
