// `Codetrail: Create a Team Policy…`: writes a starter `.codetrail.json` at a repository's root,
// never over an existing one without asking, opens it (the contributed JSON Schema checks it and
// explains each key) and says what committing it does.
import * as vscode from 'vscode';
import { POLICY_FILE, starterPolicyText } from '../core/gate/policy';
import { boolArg, stringArg, type Args } from '../core/base/commandArgs';
import { WALKTHROUGH_ID } from './walkthroughSteps';

export interface PolicyTarget {
  /** Repository roots and workspace folders of this window: the only places a policy is written. */
  roots(): string[];
}

/** Returns the policy file's path, or undefined if nothing was written. */
export async function createPolicy(target: PolicyTarget, args: Args): Promise<string | undefined> {
  const roots = [...new Set(target.roots())];
  const given = stringArg(args, 'folder');
  if (given !== undefined && !roots.includes(given)) {
    // A command argument cannot make us write outside this window's folders.
    throw new Error(vscode.l10n.t('{0} is not a repository or folder open in this window', given));
  }
  const root =
    given ??
    (roots.length <= 1
      ? roots[0]
      : await vscode.window.showQuickPick(roots, {
          title: vscode.l10n.t('Create a Team Policy'),
          placeHolder: vscode.l10n.t('Which repository should opt in to Codetrail?'),
        }));
  if (!root) {
    if (roots.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Codetrail: open a repository first: the policy is written at its root.'));
    return undefined;
  }
  const file = vscode.Uri.joinPath(vscode.Uri.file(root), POLICY_FILE);
  if (await exists(file)) {
    const replace = vscode.l10n.t('Replace');
    const overwrite =
      boolArg(args, 'overwrite') ??
      (await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} already has a {1}. Replace it with a starter policy?', root, POLICY_FILE),
        { modal: true, detail: vscode.l10n.t('The current file is lost unless it is committed.') },
        replace,
      )) === replace;
    if (!overwrite) {
      if (args.open !== false) await vscode.window.showTextDocument(file);
      return undefined;
    }
  }
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(starterPolicyText()));
  if (args.open !== false) {
    const editor = await vscode.window.showTextDocument(file);
    // The purpose is what engineers read first in the consent prompt: put the cursor there.
    const at = editor.document.getText().indexOf('"purpose": ""');
    if (at >= 0) {
      const inside = editor.document.positionAt(at + '"purpose": "'.length);
      editor.selection = new vscode.Selection(inside, inside);
    }
  }
  const more = vscode.l10n.t('Learn More');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t(
        'Codetrail: wrote {0}. Nothing is recorded until it is committed; then everyone who opens this repository is asked to consent to it, and any later change asks everyone again.',
        POLICY_FILE,
      ),
      more,
    )
    .then((pick) => {
      if (pick === more)
        void vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: WALKTHROUGH_ID, step: `${WALKTHROUGH_ID}#teamPolicy` }, false);
    });
  return file.fsPath;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
