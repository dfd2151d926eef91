import type * as vscode from 'vscode';
import { Codetrail } from './codetrail';

let app: Codetrail | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  app = await Codetrail.create(context);
}

/** VS Code waits for the returned promise: this is the last flush of the window's buffer. */
export async function deactivate(): Promise<void> {
  await app?.dispose();
  app = undefined;
}
