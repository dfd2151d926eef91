// VS Code activates Codetrail once the window has started. Activation only registers the commands
// and returns: the recorder (most of the code: redaction rules, git, the schema) is loaded on the
// next turn of the event loop, from its own bundle, so VS Code's activation of Codetrail costs
// about a millisecond instead of the time to compile the whole recorder. A command that arrives
// before the recorder is ready waits for it.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_TITLES, ITEM_COMMANDS, type CommandId } from './ui/commandTable';
import type { Running } from './main';

let running: Promise<Running | undefined> | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const ready = new Promise<typeof import('./main')>((resolve, reject) =>
    setImmediate(() => {
      try {
        // A path esbuild does not follow: main.js is its own bundle.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time on purpose
        resolve(require(join(__dirname, 'main.js')));
      } catch (err) {
        reject(err);
      }
    }),
  ).then((main) => main.start(context));
  running = ready.catch((err: unknown) => {
    void vscode.window.showErrorMessage(vscode.l10n.t('Codetrail could not start: {0}', err instanceof Error ? err.message : String(err)));
    return undefined;
  });
  for (const id of Object.keys(COMMAND_TITLES) as CommandId[]) {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (args?: unknown) => (await ready).run(id, args)));
  }
  for (const [id, { runs }] of Object.entries(ITEM_COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (args?: unknown) => (await ready).run(runs, args)));
  }
}

/** VS Code waits for the returned promise: this is the last flush of the window's buffer. */
export async function deactivate(): Promise<void> {
  const app = await running;
  running = undefined;
  await app?.dispose();
}
