// Secrets typed key by key, pasted, run in the terminal and present in a file: afterwards no
// piece of any of them is in the store, replay still calls the task exact, and audit finds
// nothing. Then the engineer's controls: deleting a task removes its bytes.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  activeExtension,
  codetrailCli,
  codetrailCliResult,
  fixtures,
  flush,
  nextEvent,
  runInTerminal,
  saveEditor,
  storeRecords,
  storeText,
  typeText,
} from '../helpers';

const { repo, store, secrets: secretsJson } = fixtures<{ repo: string; secrets: string }>();
const secrets = JSON.parse(secretsJson) as Record<'typed' | 'pasted' | 'terminal' | 'inFile', string>;

/** Every 6-character piece of the random part of a secret. */
function pieces(secret: string): string[] {
  const random = secret.replace(/^ghp_/, '');
  return Array.from({ length: random.length - 5 }, (_, i) => random.slice(i, i + 6));
}

const save = saveEditor;
const run = runInTerminal;

describe('no secret reaches the store', function () {
  this.timeout(180_000);
  let taskId: string;
  const terminal = () => vscode.window.terminals.find((t) => t.name === 'privacy')!;

  before(async () => {
    await activeExtension();
    await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true });
    vscode.window.createTerminal({ name: 'privacy', cwd: repo }).show();
  });

  it('records a task with a typed, a pasted, a terminal and an in-file secret', async () => {
    taskId = (await vscode.commands.executeCommand('codetrail.startTask', { title: 'Configure the client' })) as string;

    const config = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(repo, 'src/config.js')));
    const inside = config.document.lineAt(1).range.end;
    config.selection = new vscode.Selection(inside, inside);
    await typeText(config, `\n  token: "${secrets.typed}",`);
    await vscode.env.clipboard.writeText(`\n  awsSecretAccessKey: "${secrets.pasted}",`);
    const changed = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === config.document);
    await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    await changed;
    await save(config);

    const settings = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(repo, 'src/settings.py')));
    const end = settings.document.lineAt(settings.document.lineCount - 1).range.end;
    settings.selection = new vscode.Selection(end, end);
    await typeText(settings, 'PORT = 1\n');
    await save(settings);

    assert.equal(await run(terminal(), `export TOKEN=${secrets.terminal} && echo "token is $TOKEN"`), 0);
    assert.equal(await run(terminal(), 'git add -A && git commit -q -m "Configure the client"'), 0);
    await flush();
    await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved' });
    await flush();
  });

  it('no piece of six or more characters of any secret is in the store', async () => {
    const text = await storeText(store);
    assert.ok(text.length > 0);
    for (const [name, secret] of Object.entries(secrets)) {
      const found = pieces(secret).filter((p) => text.includes(p));
      assert.deepEqual(found, [], `pieces of the ${name} secret`);
    }
    assert.match(text, /«secret:/, 'placeholders stand where the secrets were');
  });

  it('the terminal command is recorded, redacted', async () => {
    const command = (await storeRecords(store)).find((r) => r.kind === 'terminal.command' && r.data.commandLine.startsWith('export TOKEN='));
    assert.ok(command, 'the export command is recorded');
    assert.match(command!.data.commandLine, /«secret:/);
  });

  it('replay of the redacted record still rebuilds the redacted commit exactly', async () => {
    const report = JSON.parse(await codetrailCli('verify', '--store', store, '--json'));
    const verdict = report.tasks.find((t: { task: string }) => t.task === taskId);
    assert.equal(verdict?.status, 'exact', JSON.stringify(verdict));
  });

  it('codetrail audit finds nothing in the store', async () => {
    const { code, stdout } = await codetrailCliResult('audit', '--store', store, '--json');
    const report = JSON.parse(stdout);
    assert.deepEqual(report.findings, []);
    assert.equal(code, 0);
    assert.ok(report.lineCount > 10);
  });

  it('deleting the task removes its bytes from disk', async () => {
    const removed = (await vscode.commands.executeCommand('codetrail.deleteTask', { task: taskId, confirm: true })) as number;
    assert.ok(removed > 10);
    const left = await storeRecords(store);
    assert.deepEqual(
      left.filter((r) => r.task === taskId),
      [],
    );
    assert.ok(!(await storeText(store)).includes('Configure the client'), 'not even the title is left');
  });
});
