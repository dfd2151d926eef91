// `Codetrail: Reveal Recordings Folder`. The store lives where the extension runs. On desktop VS
// Code on this machine the file manager opens it; in a browser or a remote window (SSH, WSL, a dev
// container, Codespaces, code-server) the folder is on another machine, which the local file
// manager cannot open: the path is shown with a copy action instead, for a remote terminal
// (`codetrail tasks --store <path>`) or File › Open Folder.
import * as vscode from 'vscode';

/** Resolves with the store's path once it is revealed or the message is dismissed. */
export async function revealStore(storePath: string): Promise<string> {
  if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(storePath));
    return storePath;
  }
  const copy = vscode.l10n.t('Copy Path');
  const where = vscode.env.remoteName
    ? vscode.l10n.t('Codetrail keeps recordings on the remote machine ({0}), in {1}', vscode.env.remoteName, storePath)
    : vscode.l10n.t('Codetrail keeps its recordings on the machine VS Code runs on, in {0}', storePath);
  if ((await vscode.window.showInformationMessage(where, copy)) === copy) await vscode.env.clipboard.writeText(storePath);
  return storePath;
}
