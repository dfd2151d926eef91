// Every command in one table, registered in one place. Commands that ask the engineer something
// also take the answer as an argument, so keybindings, other tools and tests can drive them.
import * as vscode from 'vscode';
import { CodetrailError, errorMessage } from '../core/base/errors';
import { argsObject, boolArg, stringArg, type Args } from '../core/base/commandArgs';
import type { CommandHost } from './commandHost';
import type { CommandId } from './commandTable';
import { createPolicy } from './createPolicy';
import { exportTasks } from './exportTasks';
import { revealStore } from './revealStore';

type Handler = (app: CommandHost, args: Args) => unknown;

const HANDLERS: Record<CommandId, Handler> = {
  'codetrail.giveConsent': (app, args) => app.consent.give({ accept: boolArg(args, 'accept'), repo: stringArg(args, 'repo') }),
  'codetrail.revokeConsent': (app, args) => app.consent.revoke({ deleteData: boolArg(args, 'deleteData'), repo: stringArg(args, 'repo') }),
  'codetrail.pause': (app) => app.taskControl.pause(),
  'codetrail.resume': (app) => app.taskControl.resume(),
  'codetrail.startTask': (app, args) =>
    app.taskControl.startTask({
      title: stringArg(args, 'title', 500),
      description: stringArg(args, 'description', 100_000),
      issueUrl: stringArg(args, 'issueUrl', 2000),
    }),
  'codetrail.endTask': (app, args) => app.taskControl.endTask({ outcome: outcomeArg(args), note: stringArg(args, 'note', 100_000) }),
  'codetrail.deleteSession': (app, args) => app.data.deleteSession({ confirm: boolArg(args, 'confirm') }),
  'codetrail.deleteTask': (app, args) => app.data.deleteTask({ task: stringArg(args, 'task', 64), confirm: boolArg(args, 'confirm') }),
  'codetrail.deleteRepositoryData': (app, args) => app.data.deleteRepositoryData({ repo: stringArg(args, 'repo'), confirm: boolArg(args, 'confirm') }),
  'codetrail.flush': (app) => app.flush(),
  'codetrail.showMenu': (app) => showMenu(app),
  'codetrail.openStore': (app) => revealStore(app.storePath),
  'codetrail.openReview': async (app, args) => {
    const task = await taskArg(app, args, 'Review which task?');
    if (task) app.reviewPanels.show(task);
    return task;
  },
  'codetrail.approveTask': async (app, args) => {
    const task = await taskArg(app, args, 'Approve which task for export?');
    if (task) await app.reviews.approve(task, true);
    return task;
  },
  'codetrail.withdrawApproval': async (app, args) => {
    const task = await taskArg(app, args, 'Withdraw approval of which task?');
    if (task) await app.reviews.approve(task, false);
    return task;
  },
  'codetrail.redactInTask': async (app, args) => {
    const task = await taskArg(app, args, 'Redact text in which task?');
    if (!task) return undefined;
    const word =
      stringArg(args, 'word', 500) ??
      (await vscode.window.showInputBox({
        title: 'Redact everywhere in the task',
        prompt: 'The text to replace with a placeholder in every record of the task',
        ignoreFocusOut: true,
      }));
    return word ? app.reviews.redact(task, word, boolArg(args, 'confirm')) : undefined;
  },
  'codetrail.deleteTaskSession': (app, args) => {
    const task = stringArg(args, 'task', 64);
    const session = stringArg(args, 'session', 64);
    return task && session ? app.reviews.deleteTaskSession(task, session, boolArg(args, 'confirm')) : undefined;
  },
  'codetrail.refreshRecordings': (app) => app.recordings.refresh(),
  'codetrail.exportTasks': async (app, args) => {
    const summary = await exportTasks(app.exportHost, args);
    if (summary && summary.tasks > 0) app.walkthrough.reach('exported');
    return summary;
  },
  'codetrail.createPolicy': async (app, args) => {
    const file = await createPolicy(
      { roots: () => [...app.repos.all().map((r) => r.root), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)] },
      args,
    );
    if (file) app.walkthrough.reach('policyCreated');
    return file;
  },
};

/** The task an argument names, or the one the engineer picks from the recorded tasks. */
async function taskArg(app: CommandHost, args: Args, question: string): Promise<string | undefined> {
  const given = stringArg(args, 'task', 64);
  if (given) return given;
  const tasks = await app.recordings.tasks();
  const pick = await vscode.window.showQuickPick(
    tasks.map((t) => ({
      label: t.title,
      description: `${t.outcome ?? 'in progress'} · ${t.status} · ${t.approved ? 'approved' : 'not approved'}`,
      task: t.task,
    })),
    { title: 'Codetrail', placeHolder: tasks.length ? question : 'No recorded tasks yet' },
  );
  return pick?.task;
}

function outcomeArg(args: Args): 'solved' | 'partial' | 'abandoned' | undefined {
  const value = stringArg(args, 'outcome');
  return value === 'solved' || value === 'partial' || value === 'abandoned' ? value : undefined;
}

/** Runs a command; errors are shown once, here, and passed on to the caller. */
export async function runCommand(app: CommandHost, id: CommandId, args: unknown): Promise<unknown> {
  try {
    return await HANDLERS[id](app, argsObject(args));
  } catch (err) {
    const prefix = err instanceof CodetrailError ? `Codetrail (${err.code})` : 'Codetrail';
    void vscode.window.showErrorMessage(`${prefix}: ${errorMessage(err)}`);
    throw err;
  }
}

async function showMenu(app: CommandHost): Promise<void> {
  const states = app.repos.all().map((r) => r.state.kind);
  const items: { label: string; command: string }[] = [];
  if (states.includes('needs-consent')) items.push({ label: '$(shield) Review policy and consent…', command: 'codetrail.giveConsent' });
  if (states.includes('consented') && !app.taskControl.isPaused) {
    items.push(
      app.tasks.current
        ? { label: `$(pass) End task “${app.tasks.current.title}”…`, command: 'codetrail.endTask' }
        : { label: '$(add) Start a coding task…', command: 'codetrail.startTask' },
    );
  }
  if (states.includes('consented')) {
    items.push(
      app.taskControl.isPaused
        ? { label: '$(debug-start) Resume recording', command: 'codetrail.resume' }
        : { label: '$(debug-pause) Pause recording', command: 'codetrail.pause' },
    );
    items.push({ label: '$(shield) What Codetrail records (your consent)', command: 'codetrail.giveConsent' });
    items.push({ label: '$(circle-slash) Withdraw consent…', command: 'codetrail.revokeConsent' });
  }
  items.push({ label: '$(checklist) Review recorded tasks…', command: 'codetrail.openReview' });
  items.push({ label: '$(folder-opened) Reveal recordings folder', command: 'codetrail.openStore' });
  const pick = await vscode.window.showQuickPick(items, { title: 'Codetrail', placeHolder: 'What should Codetrail do?' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}
