// The workload of the crash test (scripts/host/resilience.mjs): it types without end into a new
// file and journals every keystroke with its time, until the runner SIGKILLs this extension
// host. The runner then starts a new one (this suite runs again) and, last, writes `stop`: the
// final round flushes and ends. Whether anything was lost is judged by the runner, from the store
// and the journals, since mocha dies with this process.
import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { journal } from '../control';
import { activeExtension, fixtures, flush, openAtEnd } from '../helpers';

const { repo, control } = fixtures<{ repo: string; control: string }>();

describe('typing until the extension host is killed', function () {
  this.timeout(0); // the runner owns the deadline

  it('types and journals every keystroke', async () => {
    await activeExtension();
    await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true });
    const name = `typed-${process.pid}.txt`;
    writeFileSync(join(repo, name), '');
    const log = join(control, `journal-${process.pid}.jsonl`);
    const editor = await openAtEnd(join(repo, name));
    journal(log, { pid: process.pid, file: name, at: Date.now() });
    let length = 0;
    for (let word = 0; !existsSync(join(control, 'stop')); word++) {
      // Words that no redaction rule touches, unique so that any prefix of the text is telling.
      for (const ch of `w${word}${word % 8 === 7 ? '\n' : ' '}`) {
        const changed = new Promise<void>((resolve) => {
          const sub = vscode.workspace.onDidChangeTextDocument((e) => {
            if (e.document !== editor.document) return;
            sub.dispose();
            resolve();
          });
        });
        await vscode.commands.executeCommand('type', { text: ch });
        await changed;
        length += 1;
        journal(log, { n: length, at: Date.now() });
      }
    }
    await flush();
    assert.equal(editor.document.getText().length, length);
    journal(log, { done: true, n: length, at: Date.now() });
  });
});
