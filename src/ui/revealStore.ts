// `Codetrail: Reveal Recordings Folder`. The store lives where the extension runs: in a remote
// window (SSH, WSL, a dev container, Codespaces, code-server) that is the remote machine, which
// the local file manager cannot open. There the path is shown and copied instead, for a remote
// terminal (`codetrail stats --store <path>`) or File › Open Folder.
import * as vscode from 'vscode';

export async function revealStore(storePath: string): Promise<void> {
  const remote = vscode.env.remoteName;
  if (!remote) {
    await vscode.env.openExternal(vscode.Uri.file(storePath));
    return;
  }
  await vscode.env.clipboard.writeText(storePath);
  void vscode.window.showInformationMessage(vscode.l10n.t('Codetrail keeps recordings on the remote machine ({0}), in {1}. The path is copied to the clipboard.', remote, storePath));
}
