// The thin slice: text typed in a real VS Code, in an opted-in repository, reaches the store and
// the CLI counts it; the same typing without the policy file or without consent leaves no byte.
import { strict as assert } from 'node:assert';
import { appendFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { replayFile } from '../replayFile';
import { activeExtension, codetrailCli, fixtures, flush, nextEvent, openAtEnd, storeRecords, storeText, typeText, untilFile } from '../helpers';

const { optin, plain, store, gitHold, gitAsked } = fixtures<{ optin: string; plain: string; gitHold: string; gitAsked: string }>();

async function stats(): Promise<{ eventCount: number; byKind: Record<string, number>; bySession: Record<string, number> }> {
  return JSON.parse(await codetrailCli('stats', '--store', store, '--json'));
}

describe('walking skeleton: typing → store → CLI', () => {
  before(async () => {
    await activeExtension();
    console.log(`VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost})`);
  });

  it('before consent, typing in the opted-in repository leaves the store without a single byte', async () => {
    const editor = await openAtEnd(join(optin, 'src/app.js'));
    await typeText(editor, '// before consent');
    await flush();
    assert.equal(await storeText(store), '');
  });

  it('after consent, each keystroke typed in the editor is an edit in the store, counted by the CLI', async () => {
    const accepted = (await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true })) as string[];
    assert.deepEqual(accepted, [optin]);
    const editor = await openAtEnd(join(optin, 'src/app.js'));
    const typed = '\n// recorded';
    await typeText(editor, typed);
    await flush();
    const counted = await stats();
    assert.ok((counted.byKind['edit'] ?? 0) >= 1, JSON.stringify(counted));
    assert.equal(counted.byKind['session.start'], 1);
    const keystrokes = (await storeRecords(store)).filter((r) => r.kind === 'edit').reduce((n, r) => n + r.data.keystrokes, 0);
    assert.equal(keystrokes, [...typed].length, 'every keystroke is in an edit (coalesced into bursts)');
    assert.equal(Object.keys(counted.bySession).length, 1);
    const typedEdits = (await storeRecords(store)).filter((r) => r.kind === 'edit').map((r) => r.data.changes.map((c: { text: string }) => c.text).join(''));
    assert.ok(typedEdits.join('').includes('// recorded'), `the typed characters are in the edits, in bursts: ${JSON.stringify(typedEdits)}`);
    assert.ok(typedEdits.length < [...typed].length, 'keystrokes are coalesced into fewer events');
    // The buffer snapshot replay starts from holds the file as it is now, unsaved text included;
    // the keystrokes made before consent are not recorded as edits.
    const edits = (await storeRecords(store)).filter((r) => r.kind === 'edit');
    assert.ok(!JSON.stringify(edits).includes('before'), 'no keystroke typed before consent is an edit');
  });

  it('keys typed while git is still asked whether the file is ignored are held, then recorded or dropped by its answer', async () => {
    // git's answer is held back (scenarios.mjs puts a git on PATH that waits while gitHold exists).
    await writeFile(gitHold, '');
    const tracked = await openAtEnd(join(optin, 'src/late.js'));
    const ignored = await openAtEnd(join(optin, 'ignored/late.txt'));
    await untilFile(gitAsked, 'git check-ignore to be asked about both files', (t) => t.includes('src/late.js') && t.includes('ignored/late.txt'));
    const typed = '\n// typed before git answered';
    await typeText(ignored, 'HELD-SECRET');
    await vscode.window.showTextDocument(tracked.document);
    await typeText(tracked, typed);
    await rm(gitHold);
    await flush(); // waits for the held keys to be decided
    const records = await storeRecords(store);
    const edits = records.filter((r) => r.kind === 'edit' && r.data.file === 'src/late.js');
    const keystrokes = edits.reduce((n, r) => n + r.data.keystrokes, 0);
    assert.equal(keystrokes, [...typed].length, `every key typed while git was asked is recorded: ${JSON.stringify(edits.map((r) => r.data.changes))}`);
    assert.equal(await replayFile(records, 'src/late.js'), tracked.document.getText(), 'the store rebuilds the file as typed');
    const text = await storeText(store);
    assert.ok(!text.includes('HELD-SECRET') && !text.includes('late.txt'), 'the keys held for the file git ignores are dropped');
  });

  it('a clean document reloaded from disk is an external edit; the next key typed in it is typing', async () => {
    const file = join(optin, 'src/reload.js');
    const editor = await openAtEnd(file);
    await flush();
    const reloaded = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === editor.document);
    await writeFile(file, '// changed on disk\n// by another program\n');
    await reloaded;
    assert.equal(editor.document.isDirty, false, 'VS Code reloaded the clean document');
    editor.selection = new vscode.Selection(editor.document.positionAt(0), editor.document.positionAt(0));
    await typeText(editor, 'x');
    await flush();
    const edits = (await storeRecords(store)).filter((r) => r.kind === 'edit' && r.data.file === 'src/reload.js');
    assert.deepEqual(
      edits.map((r) => r.origin),
      ['external', 'typing'],
      `the reload, then the key: ${JSON.stringify(edits.map((r) => [r.origin, r.data.changes]))}`,
    );
  });

  it('a document an extension reads in the background is not opened by the engineer; shown in an editor, it is', async () => {
    const opened = async () => (await storeRecords(store)).filter((r) => r.kind === 'file.open' && r.data.file === 'src/background.js');
    // What the npm extension does with package.json to find its scripts.
    const doc = await vscode.workspace.openTextDocument(join(optin, 'src/background.js'));
    await flush();
    assert.deepEqual(await opened(), [], 'read in the background: no step');
    const shownAt = Date.now();
    await vscode.window.showTextDocument(doc);
    await flush();
    const records = await opened();
    assert.equal(records.length, 1, 'shown: opened once');
    assert.ok((records[0] as unknown as { ts: number }).ts >= shownAt, 'recorded when shown, not when read');
  });

  it('a repository without a policy file in the same window leaves no byte about it', async () => {
    const [optinRepo] = await readdir(join(store, 'repos'));
    const editor = await openAtEnd(join(plain, 'src/app.js'));
    await typeText(editor, '// never recorded');
    await flush();
    assert.ok(!(await storeText(store)).includes('never recorded'));
    assert.deepEqual(await readdir(join(store, 'repos')), [optinRepo], 'only the opted-in repository has a folder');
    const records = await storeRecords(store);
    assert.ok(
      records.every((r) => !JSON.stringify(r.data).includes('plain')),
      'no event names the other repository',
    );
  });

  it('excluded and git-ignored files leave no byte: .env, secrets.*, ignored folders', async () => {
    for (const file of ['.env', 'config/secrets.json', 'ignored/notes.txt']) {
      const editor = await openAtEnd(join(optin, file));
      await typeText(editor, 'TOPSECRET');
      await vscode.commands.executeCommand('workbench.action.files.save');
    }
    await flush();
    const after = await storeText(store);
    assert.ok(!after.includes('TOPSECRET'));
    // The store held nothing about these files before either, so none may appear anywhere in it.
    for (const name of ['.env', 'secrets.json', 'notes.txt']) assert.ok(!after.includes(name), `nothing names ${name}`);
  });

  it('a file git starts ignoring (a line added to .gitignore) is no longer recorded', async () => {
    const scratch = join(optin, 'src/scratch.js');
    await writeFile(scratch, '// not in git\n');
    const editor = await openAtEnd(scratch);
    await typeText(editor, '// seen');
    await flush();
    const typedIn = async () => (await storeRecords(store)).filter((r) => r.kind === 'edit' && r.data.file === 'src/scratch.js').length;
    assert.ok((await typedIn()) > 0, 'recorded while git does not ignore it');
    // git's new answer is held until it has been asked: the gate's remembered answer must not outlive it.
    await writeFile(gitHold, '');
    await appendFile(join(optin, '.gitignore'), 'src/scratch.js\n');
    await untilFile(gitAsked, 'git check-ignore to be asked again about src/scratch.js', (t) => t.includes('src/scratch.js'));
    await rm(gitHold);
    await flush();
    const before = await typedIn();
    await typeText(editor, 'NOW-IGNORED');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await flush();
    assert.equal(await typedIn(), before, 'no edit after git said it is ignored');
    assert.ok(!(await storeText(store)).includes('NOW-IGNORED'));
  });

  it('a document typed past the size cap keeps a marker, not its text, from the change that crossed it', async () => {
    // 60 characters under the 2 MiB cap: the first key is recorded, the length then carried from each change.
    const big = join(optin, 'src/big.txt');
    await writeFile(big, 'x'.repeat(2 * 1024 * 1024 - 60));
    const editor = await openAtEnd(big);
    await typeText(editor, 'y');
    await flush();
    const about = async () => (await storeRecords(store)).filter((r) => r.data?.file === 'src/big.txt');
    assert.ok(
      (await about()).some((r) => r.kind === 'edit'),
      'an edit under the cap is recorded',
    );
    await editor.edit((b) => b.insert(editor.document.positionAt(editor.document.getText().length), 'OVERCAP'.repeat(20)));
    await typeText(editor, 'z');
    await flush();
    const records = await about();
    const marker = records.find((r) => r.kind === 'file.snapshot' && r.data.omitted === 'too-large');
    assert.ok(marker, `a too-large marker: ${JSON.stringify(records.map((r) => [r.kind, r.data.omitted]))}`);
    assert.equal(marker.data.textLength, editor.document.getText().length - 1, 'the length at the change that crossed the cap');
    assert.ok(!JSON.stringify(records).includes('OVERCAP'), 'no text past the cap');
    assert.ok(!records.some((r) => r.kind === 'edit' && r.data.version > marker.data.version), 'no edit after the marker');
  });

  it('while paused nothing is recorded; after resuming it is again', async () => {
    await vscode.commands.executeCommand('codetrail.pause');
    await flush();
    const atPause = await storeText(store);
    const editor = await openAtEnd(join(optin, 'src/app.js'));
    await typeText(editor, '// while paused');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await flush();
    assert.equal(await storeText(store), atPause, 'not one byte while paused');
    const paused = await stats();
    await vscode.commands.executeCommand('codetrail.resume');
    await typeText(editor, '// resumed');
    await flush();
    const resumed = await stats();
    assert.ok((resumed.byKind['edit'] ?? 0) > (paused.byKind['edit'] ?? 0), 'recording resumed');
    assert.equal(resumed.byKind['session.start'], (paused.byKind['session.start'] ?? 0) + 1, 'resuming starts a new session');
  });

  it('after consent is withdrawn, typing is no longer recorded', async () => {
    const revoked = (await vscode.commands.executeCommand('codetrail.revokeConsent', { deleteData: false })) as string[];
    assert.deepEqual(revoked, [optin]);
    const before = await stats();
    const editor = await openAtEnd(join(optin, 'src/app.js'));
    await typeText(editor, '// after revoke');
    await flush();
    const after = await stats();
    assert.equal(after.byKind['edit'], before.byKind['edit']);
    assert.ok(!(await storeText(store)).includes('after revoke'));
  });
});
