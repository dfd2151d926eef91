// A new user's first run, as VS Code's own conventions have it: the Getting Started walkthrough
// opens by itself and ticks its steps as the engineer consents, works a task, reviews, approves
// and exports; a team writes a policy with the command and a typo in it is underlined by the
// JSON language service through the contributed schema; and, code-server being a remote host,
// the extension runs in the remote extension host and keeps its store on the server.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import { parsePolicy, POLICY_FILE } from '../../../src/core/gate/policy';
import { MILESTONES, WALKTHROUGH_ID, type Milestone } from '../../../src/ui/walkthroughSteps';
import { activeExtension, codetrailCli, drive, fixtures, flush, nextEvent, saveEditor, storeRecords, typeText } from '../helpers';

const { repo, team, hostData, exportDir } = fixtures<{ repo: string; team: string; hostData: string; exportDir: string }>();

/** The walkthrough step's button in the Getting Started page. */
function stepButton(milestone: Milestone, checked?: boolean): string {
  const step = ['consent', 'startTask', 'endTask', 'review', 'approve', 'export', 'teamPolicy'][MILESTONES.indexOf(milestone)];
  return `button.getting-started-step[data-step-id="${WALKTHROUGH_ID}#${step}"]${checked === undefined ? '' : `[aria-checked="${checked}"]`}`;
}

/** Brings the walkthrough to the front and waits until the page shows the step ticked. */
async function untilTicked(milestone: Milestone): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  await drive('waitFor', { selector: stepButton(milestone, true) });
}

/** Every folder under `dir` whose path ends with `suffix`. */
function findDirs(dir: string, suffix: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(d, entry.name);
      if (path.endsWith(suffix)) found.push(path);
      else walk(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

describe('feels native', function () {
  this.timeout(180_000);
  let taskId: string;

  before(async () => {
    await activeExtension();
  });

  describe('the walkthrough on a first run', () => {
    it('opens by itself when the window holds a repository asking for consent, nothing ticked yet', async () => {
      // Opened by the extension, not by this test: it waits for the page to appear.
      await drive('waitFor', { selector: stepButton('consented', false) });
      for (const m of MILESTONES) assert.equal(await drive('attribute', { selector: stepButton(m), name: 'aria-checked' }), 'false', m);
      await drive('screenshot', { name: 'walkthrough-first-run' });
    });

    it('a badge on the Codetrail icon asks for consent until the engineer decides (a notification can go unseen)', async () => {
      const badge = { selector: '.activitybar .action-item:has(a[aria-label^="Codetrail"]) .badge-content', text: '1' };
      await drive('waitFor', badge);
      assert.match(
        await drive<string>('attribute', { selector: '.activitybar .action-item a[aria-label^="Codetrail"]', name: 'aria-label' }),
        /asks for your consent/,
      );
      assert.deepEqual(await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true }), [repo]);
      await drive('waitFor', { ...badge, state: 'detached' });
    });

    it('ticks "consent" once the engineer consented', async () => {
      await untilTicked('consented');
      assert.equal(await drive('attribute', { selector: stepButton('taskStarted'), name: 'aria-checked' }), 'false', 'only the step reached ticks');
    });

    it('ticks "start a task" and "end the task" as the task starts and ends', async () => {
      taskId = (await vscode.commands.executeCommand('codetrail.startTask', { title: 'Make range inclusive' })) as string;
      assert.match(taskId, /^[0-9A-Z]{26}$/);
      await untilTicked('taskStarted');
      const doc = await vscode.workspace.openTextDocument(join(repo, 'src/range.js'));
      const editor = await vscode.window.showTextDocument(doc);
      const line = doc
        .getText()
        .split('\n')
        .findIndex((l) => l.includes('i < end'));
      const at = doc.lineAt(line).text.indexOf('<') + 1;
      editor.selection = new vscode.Selection(line, at, line, at);
      await typeText(editor, '=');
      await saveEditor(editor);
      assert.equal(await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved' }), taskId);
      await untilTicked('taskEnded');
    });

    it('ticks "review" when the review panel opens', async () => {
      const opened = nextEvent(vscode.window.tabGroups.onDidChangeTabs, (e) => e.opened.some((t) => t.input instanceof vscode.TabInputWebview));
      await vscode.commands.executeCommand('codetrail.openReview', { task: taskId });
      await opened;
      await untilTicked('reviewOpened');
    });

    it('ticks "approve" when the task is approved, and "export" when an export is written', async () => {
      await vscode.commands.executeCommand('codetrail.approveTask', { task: taskId });
      await untilTicked('taskApproved');
      const summary = (await vscode.commands.executeCommand('codetrail.exportTasks', { format: 'trajectories', out: exportDir })) as {
        tasks: number;
        out: string;
      };
      assert.equal(summary.tasks, 1);
      const manifest = JSON.parse(readFileSync(join(exportDir, 'manifest.json'), 'utf8')) as { tasks?: unknown };
      assert.ok(manifest, 'the export wrote its manifest');
      await untilTicked('exported');
    });
  });

  describe('a team policy', () => {
    let policy: string;

    it('is written by Codetrail: Create a Team Policy… at the repository root, and ticks the last step', async () => {
      policy = (await vscode.commands.executeCommand('codetrail.createPolicy', { folder: team })) as string;
      assert.equal(policy, join(team, POLICY_FILE));
      const check = parsePolicy(readFileSync(policy, 'utf8'));
      assert.ok(check.ok && check.warnings.length === 0 && check.policy.enabled, JSON.stringify(check));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, policy, 'the new policy is open for editing');
      await untilTicked('policyCreated');
      await drive('screenshot', { name: 'walkthrough-all-ticked' });
      for (const m of MILESTONES) assert.equal(await drive('attribute', { selector: stepButton(m), name: 'aria-checked' }), 'true', m);
    });

    it('is never overwritten without asking, and never written outside the window’s folders', async () => {
      writeFileSync(policy, '{"version": 1, "enabled": true, "purpose": "ours"}\n');
      assert.equal(await vscode.commands.executeCommand('codetrail.createPolicy', { folder: team, overwrite: false, open: false }), undefined);
      assert.match(readFileSync(policy, 'utf8'), /"ours"/);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('codetrail.createPolicy', { folder: join(team, '..'), open: false })),
        /not a repository or folder open/,
      );
      assert.equal(existsSync(join(team, '..', POLICY_FILE)), false);
    });

    it('with a typo in a key, is underlined by the JSON language service (the contributed schema)', async () => {
      const doc = await vscode.workspace.openTextDocument(policy);
      const editor = await vscode.window.showTextDocument(doc);
      // The previous step rewrote the file on disk; an edit made before VS Code reloads it would be refused.
      const onDisk = readFileSync(policy, 'utf8');
      if (doc.getText() !== onDisk) await nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === doc && doc.getText() === onDisk);
      const diagnosed = nextEvent(
        vscode.languages.onDidChangeDiagnostics,
        (e) => e.uris.some((u) => u.fsPath === policy) && vscode.languages.getDiagnostics(doc.uri).length > 0,
      );
      const edited = await editor.edit((b) => b.insert(new vscode.Position(0, 1), '"retentionDay": 30, '));
      assert.ok(edited);
      await diagnosed;
      const diagnostics = vscode.languages.getDiagnostics(doc.uri);
      const typo = doc.getText().indexOf('"retentionDay"');
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics.map((d) => d.message)));
      assert.ok(diagnostics[0]!.range.contains(doc.positionAt(typo + 2)), `the typo is underlined: ${JSON.stringify(diagnostics[0])}`);
      assert.match(diagnostics[0]!.message, /retentionDay/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });

  describe('in a remote host (code-server)', () => {
    it('runs in the remote extension host, as a workspace extension', async () => {
      const ext = await activeExtension();
      assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
      assert.equal(typeof vscode.env.remoteName, 'string', 'code-server is a remote window');
      assert.ok(vscode.env.remoteName!.length > 0);
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web, 'the workbench runs in the browser, the extension on the server');
    });

    it('keeps its store on the server, in the server’s data folder, where the CLI reads it', async () => {
      await flush();
      const stores = findDirs(hostData, `${sep}codetrail.codetrail${sep}store`);
      assert.equal(stores.length, 1, `one default store under the server's data folder ${hostData}: ${stores.join(', ')}`);
      const store = stores[0]!;
      const records = await storeRecords(store);
      assert.ok(
        records.some((r) => r.kind === 'task.start' && r.task === taskId),
        'the task was recorded there',
      );
      const stats = JSON.parse(await codetrailCli('stats', '--store', store, '--json')) as { tasks?: Record<string, unknown> };
      assert.ok(JSON.stringify(stats).includes(taskId), 'the CLI, run on the server, finds the task in that store');
      // Reveal Recordings Folder cannot open a remote folder locally: it shows the path with a copy action.
      const shown = vscode.commands.executeCommand('codetrail.openStore');
      await drive('waitFor', { selector: '.notification-toast', text: store });
      await drive('click', { selector: '.notification-toast .monaco-button', text: 'Copy Path' });
      assert.equal(await shown, store);
      assert.equal(await vscode.env.clipboard.readText(), store);
    });
  });

  describe('starting a task by hand', () => {
    const box = '.quick-input-widget input.input';

    /**
     * Start a Coding Task… as a person does: the title, then in the second box `draft` and its
     * button, which opens the statement's editor. Resolves with the command's result to come and that editor.
     */
    async function startWithStatementEditor(title: string, draft: string): Promise<{ started: Thenable<string | undefined>; editor: vscode.TextEditor }> {
      const started = vscode.commands.executeCommand('codetrail.startTask') as Thenable<string | undefined>;
      await drive('waitFor', { selector: '.quick-input-title', text: '(1/2)' });
      await drive('fill', { selector: box, value: title });
      await drive('press', { selector: box, key: 'Enter' });
      await drive('waitFor', { selector: '.quick-input-title', text: '(2/2)' });
      if (draft) await drive('fill', { selector: box, value: draft });
      const opened = nextEvent(vscode.window.onDidChangeActiveTextEditor, (e) => e?.document.uri.scheme === 'untitled');
      await drive('click', { selector: '.quick-input-titlebar .action-label[aria-label^="Write a longer statement"]' });
      return { started, editor: (await opened)! };
    }

    it('takes a problem statement longer than a line in an editor, started from its title bar, and records none of the draft', async () => {
      const { started, editor } = await startWithStatementEditor('Range bounds', 'range(1, 3) leaves 3 out.');
      assert.equal(editor.document.getText(), 'range(1, 3) leaves 3 out.', 'the line typed so far is the draft');
      await typeText(editor, '\nExpected: [1, 2, 3].');
      await drive('click', { selector: '.editor-actions .action-label[aria-label^="Start Task"]' });
      const id = await started;
      assert.match(id ?? '', /^[0-9A-Z]{26}$/);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'untitled' && !d.isClosed), 'the draft was closed without asking to save it');
      await flush();
      const [store] = findDirs(hostData, `${sep}codetrail.codetrail${sep}store`);
      const records = (await storeRecords(store!)).filter((r) => r.task === id);
      const start = records.find((r) => r.kind === 'task.start');
      assert.deepEqual(
        { title: start?.data.title, description: start?.data.description },
        { title: 'Range bounds', description: 'range(1, 3) leaves 3 out.\nExpected: [1, 2, 3].' },
      );
      assert.deepEqual(
        records.filter((r) => JSON.stringify(r.data).includes('Problem statement')),
        [],
        'the draft editor is not part of the recording',
      );
      await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'abandoned' });
    });

    it('Cancel in the draft’s title bar cancels: no task starts', async () => {
      const { started } = await startWithStatementEditor('Never started', '');
      await drive('click', { selector: '.editor-actions .action-label[aria-label^="Cancel"]' });
      assert.equal(await started, undefined);
      assert.equal(vscode.window.activeTextEditor?.document.uri.scheme === 'untitled', false, 'the draft is gone');
    });
  });
});
