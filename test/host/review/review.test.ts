// The review panel in the real VS Code, clicked through as a person would: the runner's driver
// clicks, selects and presses inside the webview (scripts/host/driver.mjs), and this test checks
// the store after each decision. A customer's name typed into a comment is redacted everywhere,
// a step is deleted, the task is approved; replay stays exact and export follows approval.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AUTHORS, AuthorshipTracker } from '../../../src/core/replay/authorship';
import { replayTask } from '../../../src/core/replay/pass';
import type { EventRecord } from '../../../src/core/schema/events';
import { activeExtension, codetrailCli, drive, fixtures, flush, nextEvent, runInTerminal, saveEditor, storeRecords, storeText, typeText } from '../helpers';

const { repo, store } = fixtures<{ repo: string }>();
const WORD = 'Quuxley Widgets';
const webview = (selector: string, text?: string) => ({ frame: 'webview', selector, ...(text === undefined ? {} : { text }) });
/** A line longer than any panel is wide: it must scroll inside its pane, never widen the page. */
const LONG_LINE = 'Callers pass both ends of the range and expect both back: pagination, the CSV exporter and the retry schedule all relied on it.';
const TASK_ROW = { selector: '.monaco-list-row[aria-label^="Task Make range inclusive"]' };

type Contrast = { checked: number; lowest: { element: string; text: string; ratio: number }[]; controls: { element: string; ratio: number }[] };
type StoredRecord = Awaited<ReturnType<typeof storeRecords>>[number];
/** The sessions that hold the task's work (a review decision is not work). */
const sessionsOfWork = (records: StoredRecord[], task: string) =>
  [...new Set(records.filter((r) => r.task === task && r.kind !== 'task.review').map((r) => r.session))].sort();

/** `drive`, with what the panel's status line says added to a failure. */
async function act<T = unknown>(action: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await drive<T>(action, args);
  } catch (err) {
    const read = (selector: string) => drive<string>('text', { ...webview(selector), timeoutMs: 2000 }).catch(() => '(no panel)');
    const [said, at, file] = [await read('#status'), await read('#scrub-label'), await read('.file-title')];
    throw new Error(`${(err as Error).message}; the panel says: ${said || '(nothing)'}; replaying ${at}, file ${file.trim() || '(none)'}`);
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
    // The browser workbench saves after a 1 s pause by default: on a loaded machine that writes
    // half-typed words to disk mid-word, which this test of review does not mean to exercise.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    assert.deepEqual(await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true }), [repo]);
    terminal = vscode.window.createTerminal({ name: 'review', cwd: repo });
    taskId = (await vscode.commands.executeCommand('codetrail.startTask', {
      title: 'Make range inclusive',
      description: 'range(1, 3) should give [1, 2, 3]',
    })) as string;
    const doc = await vscode.workspace.openTextDocument(join(repo, 'src/range.js'));
    const editor = await vscode.window.showTextDocument(doc);
    const endOfComment = doc.lineAt(0).range.end;
    editor.selection = new vscode.Selection(endOfComment, endOfComment);
    await typeText(editor, `\n// Asked for by ${WORD}. ${LONG_LINE}`);
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
    // git's own files are not the engineer's: nothing inside .git, no git: resources (path + ".git").
    const gitPaths = (await storeRecords(store))
      .flatMap((r) => [r.data?.file, r.data?.oldFile])
      .filter((f): f is string => typeof f === 'string' && /(^|\/)\.git(\/|$)|\.git$/.test(f));
    assert.deepEqual(gitPaths, [], 'no events for paths inside .git');
    assert.equal((await verdict()).status, 'exact');
    const opened = new Set((await storeRecords(store)).filter((r) => r.kind === 'file.open').map((r) => r.data.file));
    assert.deepEqual([...opened], ['src/range.js'], 'only what the engineer saw is opened (the npm extension reads package.json unseen)');
  });

  it('the Codetrail view lists the task; clicking it opens the panel: header, timeline and steps', async () => {
    await act('click', { selector: '.activitybar .action-item a[aria-label^="Codetrail"]' });
    const row = TASK_ROW;
    await act('waitFor', row);
    assert.match(await act<string>('attribute', { ...row, name: 'aria-label' }), /solved, .*replays exactly, not approved/);
    await act('click', row);
    await act('waitFor', webview('#steps li[role=option]'));
    assert.equal(await act('text', webview('#title')), 'Make range inclusive');
    assert.match(await act<string>('text', webview('.badges')), /replays exactly/);
    assert.match(await act<string>('attribute', { ...webview('.timeline svg'), name: 'aria-label' }), /edits/);
    await act('waitFor', webview('.mark.commit'));
  });

  it('the status bar says it records, and where; the recordings folder is shown as a path with a copy action in a browser', async () => {
    await act('waitFor', { selector: '.statusbar-item', text: 'Codetrail: recording range' });
    const shown = vscode.commands.executeCommand('codetrail.openStore');
    await act('waitFor', { selector: '.notification-toast', text: store });
    await act('waitFor', { selector: '.notification-toast .monaco-button', text: 'Copy Path' });
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await shown, store);
  });

  it('selecting a step shows its details: the failing test run', async () => {
    await act('click', webview('#steps li.terminal', 'node --test'));
    assert.equal(await act('attribute', { ...webview('#steps li.terminal', 'node --test'), name: 'aria-selected' }), 'true');
    await act('click', { ...webview('#steps li.terminal', 'node --test'), child: '.toggle' });
    await act('waitFor', { ...webview('#steps li.terminal', 'node --test'), child: '.detail:not(.loading)' });
    assert.match(await act<string>('text', { ...webview('#steps li.terminal', 'node --test'), child: '.detail' }), /failed: exit code 1/);
  });

  it("edit steps show their recorded origin; the commit step shows who wrote its added lines, as the store's replay says", async () => {
    const records = (await storeRecords(store)).filter((r) => r.task === taskId) as unknown as EventRecord[];
    const recordedOrigins = new Set(records.filter((r) => r.kind === 'edit').map((r) => r.origin));
    const shown = await act<string[]>('texts', webview('#steps li.edit .origin'));
    assert.ok(shown.length > 0, 'edit steps show an origin');
    for (const label of shown) for (const o of label.split(', ')) assert.ok(recordedOrigins.has(o as EventRecord['origin']), `${o} is a recorded origin`);
    // What the store implies: the task's records replayed with the authorship tracker.
    const tracker = new AuthorshipTracker();
    await replayTask(records, [tracker]);
    const commit = tracker.commits.at(-1)!;
    assert.ok(commit.added >= 2 && commit.counts.typed === commit.added, `every added line was typed here: ${JSON.stringify(commit)}`);
    const pct = (n: number) => `${Math.round((100 * n) / commit.added)}%`;
    const expected = `Who wrote the ${commit.added} added lines: ${AUTHORS.map((a) => `${a} ${commit.counts[a]} (${pct(commit.counts[a])})`).join(', ')}`;
    const step = webview('#steps li.commit');
    await act('click', { ...step, child: '.toggle' });
    await act('waitFor', { ...step, child: '.detail:not(.loading)' });
    assert.equal(await act('attribute', { ...step, child: '.authorship-bar', name: 'aria-label' }), expected);
  });

  it('the timeline has a time axis, every stretch of it goes to its step, and no Problems bar without problems', async () => {
    const ticks = await act<string[]>('texts', webview('.timeline .axis .tick'));
    assert.equal(ticks.length, 5, `ticks: ${ticks.join(' | ')}`);
    for (const t of ticks) assert.match(t, /\d{1,2}:\d{2}:\d{2}/);
    const checks = await act<string[]>('texts', webview('#steps li.diagnostics .label'));
    const problems = checks.filter((t) => !/: no problems$/.test(t));
    const bars = await act<string[]>('texts', webview('.timeline rect.bar.diagnostics'));
    assert.equal(bars.length > 0, problems.length > 0, `problem steps: ${problems.join(' | ') || 'none'}; Problems bars: ${bars.length}`);
    const hits = await act<string[]>('texts', webview('.timeline rect.hit'));
    assert.ok(hits.length >= 2, 'stretches with steps are clickable');
    const last = hits.at(-1)!.match(/go to step (\d+)/)![1]!;
    await act('click', { ...webview('.timeline rect.hit'), nth: -1 });
    await act('waitFor', webview(`#step-${Number(last) - 1}.active`));
    assert.equal(await act('attribute', { ...webview(`#step-${Number(last) - 1}`), name: 'aria-selected' }), 'true');
  });

  it('the scrubber replays the file at any step', async () => {
    // The replay pane keeps the last file it showed over steps without one: show the edited file first.
    await act('click', { ...webview('#steps li.edit'), nth: -1, child: '.row' });
    await act('waitFor', webview('#file .line.changed'));
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
    const sessionsBefore = sessionsOfWork(await storeRecords(store), taskId);
    const countBefore = (await storeRecords(store)).length;
    // The replay pane shows the file of the step, else the last one it showed: show the edited file.
    await act('click', { ...webview('#steps li.edit'), nth: -1, child: '.row' });
    await act('waitFor', webview('.file-title', 'src/range.js'));
    await act('press', { ...webview('#scrubber'), key: 'End' });
    await act('waitFor', webview('#file .line', WORD));
    assert.equal(await act('selectText', { ...webview('#file'), text: WORD }), WORD);
    await act('click', webview('#redact-selection'));
    await act('click', webview('#confirm-yes', 'Redact'));
    await statusSays(/Redacted everywhere/);
    const text = await storeText(store);
    assert.ok(!text.includes(WORD), 'the name is gone');
    const left = (await storeRecords(store)).filter((r) => JSON.stringify(r).includes('Quux'));
    assert.deepEqual(
      left.map((r) => `${r.kind} ${JSON.stringify(r.data).slice(0, 300)}`),
      [],
      'so are the keys typed before it was whole',
    );
    assert.ok(!text.includes('Quux'), 'nor anywhere else in the store');
    assert.ok(/«redacted:[0-9a-f]{6}»/.test(text));
    assert.equal((await verdict()).status, 'exact');
    const after = await storeRecords(store);
    assert.deepEqual(sessionsOfWork(after, taskId), sessionsBefore, 'redacting adds no session to the task');
    assert.equal(after.length, countBefore, 'redacting rewrites records, it adds none');
    // The panel reloaded from the rewritten store.
    await act('waitFor', webview('#file .line', '«redacted:'));
  });

  it('deleting a step removes its records behind a marked gap; still exact', async () => {
    const before = await storeRecords(store);
    const firstRun = before.find((r) => r.kind === 'terminal.command' && r.task === taskId)!;
    await act('click', { ...webview('#steps li.terminal', 'node --test'), child: '.row' });
    await act('click', webview('#delete-steps'));
    assert.match(await act<string>('text', webview('#confirm-question')), /Delete the step “Ran node --test: failed/, 'the question names the step');
    await act('click', webview('#confirm-yes', 'Delete'));
    await statusSays(/Deleted 1 record/);
    const after = await storeRecords(store);
    assert.ok(!after.some((r) => r.id === firstRun.id && r.kind === 'terminal.command'), 'the command record is gone');
    const gap = after.find((r) => r.kind === 'gap');
    assert.ok(gap, 'a gap marks the deleted step');
    assert.deepEqual(gap.data.kinds, [{ kind: 'terminal.command', count: 1 }]);
    const ofTask = (records: typeof before) => records.filter((r) => r.task === taskId).length;
    assert.equal(ofTask(after), ofTask(before), 'one record of the task out, one gap in');
    assert.deepEqual(sessionsOfWork(after, taskId), sessionsOfWork(before, taskId), 'deleting adds no session to the task');
    assert.equal((await verdict()).status, 'exact');
    await act('waitFor', webview('#steps li.gap'));
  });

  it('a step a filter hides is never acted on; selection and filter survive a reload of the panel', async () => {
    const run = { ...webview('#steps li.terminal', 'node --test'), child: '.row' };
    await act('click', run);
    assert.equal(await act('attribute', { ...webview('#delete-steps'), name: 'disabled' }), null, 'the selected step can be deleted');
    await act('fill', { ...webview('#search'), value: 'Edited' });
    await act('waitFor', { ...webview('#steps li.terminal'), state: 'detached' });
    assert.equal(await act('attribute', { ...webview('#delete-steps'), name: 'disabled' }), '', 'hidden by the filter: nothing to delete');
    await act('press', { ...webview('#steps'), key: 'Delete' });
    assert.equal(await act('attribute', { ...webview('#confirm'), name: 'hidden' }), '', 'Delete asks nothing about a hidden step');
    // VS Code drops a hidden webview's page; the panel comes back as the engineer left it.
    await act('mark', webview('body'));
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    await act('waitFor', webview('body:not([data-driver-mark]) #steps li.edit'));
    assert.equal(await act('value', webview('#search')), 'Edited', 'the filter is restored');
    await act('fill', { ...webview('#search'), value: '' });
    await act('waitFor', webview('#steps li.terminal', 'node --test'));
    assert.equal(await act('attribute', { ...webview('#steps li.terminal', 'node --test'), name: 'aria-selected' }), 'true', 'the selection is restored');
  });

  it('moved to another editor group, the panel keeps the step replayed, the selection and the open details', async () => {
    const row = webview('#steps li.terminal', 'node --test');
    await act('click', { ...row, child: '.toggle' });
    await act('waitFor', { ...row, child: '.detail:not(.loading)' });
    const label = await act<string>('text', webview('#scrub-label'));
    await act('mark', webview('body'));
    await vscode.commands.executeCommand('workbench.action.moveEditorToNextGroup');
    await act('waitFor', webview('body:not([data-driver-mark]) #steps li.terminal'));
    await act('waitFor', { ...row, child: '.detail:not(.loading)' });
    assert.equal(await act('attribute', { ...row, name: 'aria-selected' }), 'true', 'the selection');
    assert.equal(await act('text', webview('#scrub-label')), label, 'the step replayed');
    await vscode.commands.executeCommand('workbench.action.moveEditorToPreviousGroup');
    await act('waitFor', webview('#steps li.terminal'));
  });

  it('approving in the panel records the decision, and export follows it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'codetrail-review-export-'));
    const before = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'trajectories', '--out', join(work, 'before'), '--json'));
    assert.equal(before.taskCount, 0, 'not exported before approval');
    const workIds = (records: StoredRecord[]) => records.filter((r) => r.kind !== 'task.review').map((r) => r.id);
    const recordsBefore = await storeRecords(store);
    const rowBefore = await act<string>('attribute', { ...TASK_ROW, name: 'aria-label' });
    assert.match(rowBefore, /not approved$/);
    await act('click', webview('#approve'));
    await statusSays(/Approved for export/);
    const recordsAfter = await storeRecords(store);
    const reviews = recordsAfter.filter((r) => r.kind === 'task.review');
    assert.deepEqual(
      reviews.map((r) => [r.task, r.data.approved]),
      [[taskId, true]],
    );
    // Reviewing is not working on the task: no other record, no session, no time added.
    assert.deepEqual(workIds(recordsAfter), workIds(recordsBefore), 'approving records nothing but the decision');
    await act('waitFor', { selector: `.monaco-list-row[aria-label="${rowBefore.replace(/not approved$/, 'approved')}"]` });
    // The view lists the task's sessions: the ones that hold its work, not one more for the decision.
    await act('click', { ...TASK_ROW, child: '.monaco-tl-twistie' });
    await act('waitFor', { selector: '.monaco-list-row[aria-label^="Session"]' });
    const sessionRows = await act<string[]>('texts', { selector: '.monaco-list-row[aria-label^="Session"]' });
    assert.equal(sessionRows.length, sessionsOfWork(recordsAfter, taskId).length, `sessions listed: ${sessionRows.join(' | ')}`);
    await act('click', { ...TASK_ROW, child: '.monaco-tl-twistie' });
    const after = JSON.parse(await codetrailCli('export', '--store', store, '--format', 'trajectories', '--out', join(work, 'after'), '--json'));
    assert.equal(after.taskCount, 1, 'exported once approved');
    await act('waitFor', webview('.badges', 'approved'));
    await act('waitFor', webview('#approve', 'Withdraw approval'));
  });

  const WIDTHS = [400, 700, 1200];
  // Screenshots in README come from these runs (copied to docs/ by hand when the panel changes).
  for (const [theme, shot] of [
    ['Default Dark Modern', 'dark'],
    ['Default Light Modern', 'light'],
    ['Default Dark+', undefined],
    ['Default Light+', undefined],
  ] as const) {
    it(`${theme}: no sideways overflow at ${WIDTHS.join(', ')} px, text contrast at least 4.5:1`, async () => {
      const config = vscode.workspace.getConfiguration('workbench');
      if (config.get('colorTheme') !== theme) {
        const changed = nextEvent(vscode.window.onDidChangeActiveColorTheme);
        await config.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await changed;
      }
      await act('waitFor', {
        ...webview(`body[data-vscode-theme-id="${theme}"], body[data-vscode-theme-name="${theme.replace(/^Default /, '')}"]`),
        state: 'attached',
      });
      await vscode.commands.executeCommand('notifications.clearAll');
      // The states that widened the page: an edit step selected with its diff open, the file
      // replayed after it, a failing test run expanded.
      const edit = { ...webview('#steps li.edit'), nth: -1 }; // the fix
      await act('click', edit);
      await act('waitFor', webview('#file .line.changed'));
      for (const step of [edit, webview('#steps li.test', 'failed')]) {
        const toggle = { ...step, child: '.toggle' };
        if ((await act('attribute', { ...toggle, name: 'aria-expanded' })) !== 'true') await act('click', toggle);
        await act('waitFor', { ...step, child: '.detail:not(.loading)' });
      }
      try {
        for (const width of WIDTHS) {
          assert.equal(await act('resizeWebview', { width }), width);
          const { clientWidth, scrollWidth, outside } = await act<{ clientWidth: number; scrollWidth: number; outside: string[] }>('layout', {});
          assert.ok(
            scrollWidth <= clientWidth,
            `${theme} at ${width} px: the page is ${scrollWidth} px wide in a ${clientWidth} px panel; sticking out: ${outside.join(', ')}`,
          );
          assert.deepEqual(outside, [], `${theme} at ${width} px: cut off at the right edge`);
          if (shot) await act('screenshot', { name: `review-${shot}-${width}`, element: 'webview' });
        }
      } finally {
        await act('resizeViewport', { width: 1400, height: 900 });
      }
      // Text contrast, with a filter chip pressed and the mouse on it (the state that was 1.6:1).
      const chip = webview('.chip[data-category=edit]');
      await act('click', chip);
      await act('hover', chip);
      const { checked, lowest, controls } = await act<Contrast>('contrast', {});
      await act('click', chip);
      const show = (c: { element: string; ratio: number }) => `${c.element} ${c.ratio}:1 ${JSON.stringify(c)}`;
      assert.ok(checked > 20, `text checked: ${checked}`);
      assert.ok(
        lowest[0]!.ratio >= 4.5,
        `${theme}: text below 4.5:1: ${lowest
          .filter((c) => c.ratio < 4.5)
          .map(show)
          .join('; ')}`,
      );
      for (const c of controls) assert.ok(c.ratio >= 3, `${theme}: the edge of ${show(c)} is not visible enough (3:1)`);
      console.log(
        `      ${theme}: lowest text contrast ${lowest[0]!.ratio}:1 (${lowest[0]!.element}); field borders ${controls.map((c) => `${c.ratio}:1`).join(', ')}`,
      );
    });
  }

  it('the consent view reads again after consenting: what the data is for, that nothing leaves unapproved, where it lives, the policy file', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('codetrail.giveConsent'); // consented: shows what was agreed to
    await act('waitFor', webview('h2', 'Nothing leaves this machine until you approve it'));
    const purpose = await act<string>('text', webview('section.purpose'));
    assert.match(purpose, /training data for AI coding models/);
    assert.match(purpose, /host test/, 'the policy’s own purpose');
    assert.ok((await act<string>('text', webview('section.storage'))).includes(store), 'where recordings live');
    assert.match(await act<string>('text', webview('section.control')), /pause/);
    assert.deepEqual(await act<string[]>('texts', webview('.actions button')), ['Close', 'Withdraw consent…'], 'read mode: nothing to accept');
    const opened = nextEvent(vscode.window.onDidChangeActiveTextEditor, (e) => e?.document.fileName.endsWith('.codetrail.json') ?? false);
    await act('click', webview('#open-policy'));
    assert.equal((await opened)!.document.fileName, join(repo, '.codetrail.json'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
