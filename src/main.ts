// The recorder's entry (dist/main.js), loaded by src/extension.ts right after activation.
import type * as vscode from 'vscode';
import { Codetrail } from './codetrail';
import { runCommand } from './ui/commands';
import type { CommandId } from './ui/commandTable';

export interface Running {
  run(id: CommandId, args: unknown): Promise<unknown>;
  dispose(): Promise<void>;
}

export async function start(context: vscode.ExtensionContext): Promise<Running> {
  const app = await Codetrail.create(context);
  return { run: (id, args) => runCommand(app, id, args), dispose: () => app.dispose() };
}
