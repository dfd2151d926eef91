// The review panel in the real VS Code, clicked through as a person would: the runner's driver
// clicks, selects and presses inside the webview (scripts/host/driver.mjs), and this test checks
// the store after each decision. A customer's name typed into a comment is redacted everywhere,
// a step is deleted, the task is approved; replay stays exact and export follows approval.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, codetrailCli, drive, fixtures, flush, nextEvent, runInTerminal, saveEditor, storeRecords, storeText, typeText } from '../helpers';

const { repo, store } = fixtures<{ repo: string }>();
const WORD = 'Quuxley Widgets';
const webview = (selector: string, text?: string) => ({ frame: 'webview', selector, ...(text === undefined ? {} : { text }) });

/** `drive`, with what the panel's status line says added to a failure. */
async function act<T = unknown>(action: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await drive<T>(action, args);
  } catch (err) {
    const said = await drive<string>('text', { ...webview('#status'), timeoutMs: 2000 }).catch(() => '(no panel)');
    throw new Error(`${(err as Error).message}; the panel says: ${said || '(nothing)'}`);
  }
}

/** Waits until the panel's status line says something matching. */
async function statusSays(pattern: RegExp): Promise<string> {
  try {
    await act('waitFor', webview('#status', pattern.source));
  } catch (err) {
    throw new Error(`${(err as Error).message}; the panel says: ${await act<string>('text', webview('#status'))}`);
  }
  return drive<string>('text', webview('#status'));
}

async function verdict(): Promise<{ status: string; checks: { saveCount: number; commitFileCount: number } }> {
  const report = JSON.parse(await codetrailCli('verify', '--store', store, '--json'));
  return report.tasks[0];
}

describe('reviewing a task in the panel', function () {
  this.timeout(240_000);
  let taskId: string;
  let terminal: vscode.Terminal;

  before(async () => {
    await activeExtension();
    assert.deepEqual(await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true }), [repo]);
    terminal = vscode.window.createTerminal({ name: 'review', cwd: repo });
    taskId = (await vscode.commands.executeCommand('codetrail.startTask', { title: 'Make range inclusive', description: 'range(1, 3) should give [1, 2, 3]' })) as string;
    const doc = await vscode.workspace.openTextDocument(join(repo, 'src/range.js'));
    const editor = await vscode.window.showTextDocument(doc);
    const endOfComment = doc.lineAt(0).range.end;
    editor.selection = new vscode.Selection(endOfComment, endOfComment);
    await typeText(editor, `\n// Asked for by ${WORD}.`);
    await saveEditor(editor);
    assert.equal(await runInTerminal(terminal, 'node --test'), 1);
    const at = doc.positionAt(doc.getText().indexOf('i < end') + 3);
    editor.selection = new vscode.Selection(at, at);
    await typeText(editor, '=');
    await saveEditor(editor);
    assert.equal(await runInTerminal(terminal, 'node --test'), 0);
    assert.equal(await runInTerminal(terminal, `git commit -qam "Make range inclusive for ${WORD}"`), 0);
    await flush(); // also asks git: the commit is recorded in the task
    await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved', note: '' });
    await flush();
    terminal.dispose();
    assert.ok((await storeText(store)).includes(WORD), 'the name was recorded before review');
    assert.equal((await verdict()).status, 'exact');
  });

  it('the Codetrail view lists the task; clicking it opens the panel: header, timeline and steps', async () => {
    await act('click', { selector: '.activitybar .action-item a[aria-label^="Codetrail"]' });
    const row = { selector: '.monaco-list-row[aria-label^="Task Make range inclusive"]' };
    await act('waitFor', row);
    assert.match(await act<string>('attribute', { ...row, name: 'aria-label' }), /solved, .*exact, not approved/);
    await act('click', row);
    await act('waitFor', webview('#steps li[role=option]'));
    assert.equal(await act('text', webview('#title')), 'Make range inclusive');
    assert.match(await act<string>('text', webview('.badges')), /replay: exact/);
    assert.match(await act<string>('attribute', { ...webview('.timeline svg'), name: 'aria-label' }), /edits/);
    await act('waitFor', webview('.mark.commit'));
  });

  it('selecting a step shows its details: the failing test run', async () => {
    await act('click', webview('#steps li.terminal', 'node --test'));
    assert.equal(await act('attribute', { ...webview('#steps li.terminal', 'node --test'), name: 'aria-selected' }), 'true');
    await act('click', { ...webview('#steps li.terminal', 'node --test'), child: '.toggle' });
    await act('waitFor', { ...webview('#steps li.terminal', 'node --test'), child: '.detail:not(.loading)' });
    assert.match(await act<string>('text', { ...webview('#steps li.terminal', 'node --test'), child: '.detail' }), /exit 1/);
  });

  it('the scrubber replays the file at any step', async () => {
    await act('press', { ...webview('#scrubber'), key: 'End' });
    await act('waitFor', webview('#file .line', 'i <= end'));
    assert.match(await act<string>('text', webview('#file')), /Quuxley Widgets/);
    // Back, one step at a time, to before the fix.
    let before = false;
    for (let i = 0; i < 40 && !before; i++) {
      const label = await act<string>('text', webview('#scrub-label'));
      await act('press', { ...webview('#scrubber'), key: 'ArrowLeft' });
      await act('waitFor', { ...webview('#scrub-label'), state: 'visible' });
      const now = await act<string>('text', webview('#scrub-label'));
      assert.notEqual(now, label, 'each key moves one step');
      before = (await act<string[]>('texts', webview('#file .line'))).some((l) => l.includes('i < end'));
    }
    assert.ok(before, 'the file as it was before the fix');
    await act('press', { ...webview('#scrubber'), key: 'Home' });
    await act('waitFor', webview('#scrub-label', 'Step 1 of'));
  });

  it('redacting a selected word rewrites it everywhere, and the task still replays exactly', async () => {
    await act('press', { ...webview('#scrubber'), key: 'End' });
    await act('waitFor', webview('#file .line', WORD));
    assert.equal(await act('selectText', { ...webview('#file'), text: WORD }), WORD);
    await act('click', webview('#redact-selection'));
    await act('click', webview('#confirm-yes', 'Redact'));
    await statusSays(/Redacted everywhere/);
    const text = await storeText(store);
    assert.ok(!text.includes(WORD), 'the name is gone');
    const pieces = (await storeRecords(store)).filter((r) => JSON.stringify(r).includes('Quux'));
    assert.deepEqual(pieces, [], 'so are the keys typed before it was whole (the records that still hold a piece)');
    assert.ok(/«redacted:[0-9a-f]{6}»/.test(text));
    assert.equal((await verdict()).status, 'exact');
    // The panel reloaded from the rewritten store.
    await act('waitFor', webview('#file .line', '«redacted:'));
  });

  it('deleting a step removes its records behind a marked gap; still exact', async () => {
    const before = await storeRecords(store);
    const firstRun = before.find((r) => r.kind === 'terminal.command' && r.task === taskId)!;
    await act('click', webview('#steps li.terminal', 'node --test'));
    await act('click', webview('#delete-steps'));
    await act('click', webview('#confirm-yes', 'Delete'));
    await statusSays(/Deleted 1 record/);
    const after = await storeRecords(store);
    assert.ok(!after.some((r) => r.id === firstRun.id && r.kind === 'terminal.command'), 'the command record is gone');
    const gap = after.find((r) => r.kind === 'gap');
    assert.ok(gap, 'a gap marks the deleted step');
    assert.deepEqual(gap.data.kinds, [{ kind: 'terminal.command', count: 1 }]);
    const ofTask = (records: typeof before) => records.filter((r) => r.task === taskId).length;
    assert.equal(ofTask(after), ofTask(before), 'one record of the task out, one gap in');
    assert.equal((await verdict()).status, 'exact');
    await act('waitFor', webview('#steps li.gap'));
  });

  it('approving in the panel records the decision, and export follows it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'codetrail-review-export-'));
    const before = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'trajectories', '--out', join(work, 'before'), '--json'));
    assert.equal(before.taskCount, 0, 'not exported before approval');
    await act('click', webview('#approve'));
    await statusSays(/Approved for export/);
    const reviews = (await storeRecords(store)).filter((r) => r.kind === 'task.review');
    assert.deepEqual(reviews.map((r) => [r.task, r.data.approved]), [[taskId, true]]);
    const after = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'trajectories', '--out', join(work, 'after'), '--json'));
    assert.equal(after.taskCount, 1, 'exported once approved');
    await act('waitFor', webview('.badges', 'approved'));
    await act('waitFor', webview('#approve', 'Withdraw approval'));
  });

  for (const [theme, kind] of [
    ['Default Dark Modern', vscode.ColorThemeKind.Dark],
    ['Default Light Modern', vscode.ColorThemeKind.Light],
  ] as const) {
    it(`follows the theme: ${theme} (screenshot)`, async () => {
      if (vscode.window.activeColorTheme.kind !== kind) {
        const changed = nextEvent(vscode.window.onDidChangeActiveColorTheme, (t) => t.kind === kind);
        await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await changed;
      }
      // A step with its details open and the file as it was after it.
      await act('click', { ...webview('#steps li.edit'), nth: -1 }); // the fix
      await act('waitFor', webview('#file .line.changed'));
      const toggle = { ...webview('#steps li.test', 'failed'), child: '.toggle' };
      if ((await act('attribute', { ...toggle, name: 'aria-expanded' })) !== 'true') await act('click', toggle);
      await act('waitFor', { ...webview('#steps li.test', 'failed'), child: '.detail:not(.loading)' });
      await vscode.commands.executeCommand('notifications.clearAll');
      await act('screenshot', { name: `review-${kind === vscode.ColorThemeKind.Dark ? 'dark' : 'light'}` });
    });
  }
});
