// The consent view: a page that says in short points what Codetrail records and never records,
// what for, where it stays and how to stop, with a link to the committed policy file. It asks
// (Record / Not now, neither focused, so a stray Enter agrees to nothing) or, once agreed, can be
// read again at any time from the status bar menu and the Codetrail view. One view per window.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { consentDocument, POLICY_FILE, type ConsentContext, type ConsentDocument } from '../core/gate/consentText';

export type ConsentMode = 'ask' | 'read';

type FromPage = { type: 'accept' } | { type: 'decline' } | { type: 'openPolicy' } | { type: 'revoke' };
const PAGE_MESSAGES = new Set(['accept', 'decline', 'openPolicy', 'revoke']);

function parse(message: unknown): FromPage | undefined {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && PAGE_MESSAGES.has(type) && Object.keys(message as object).length === 1 ? (message as FromPage) : undefined;
}

interface Showing {
  root: string;
  mode: ConsentMode;
  panel: vscode.WebviewPanel;
  decided: Promise<boolean>;
  decide: (yes: boolean) => void;
}

export class ConsentView implements vscode.Disposable {
  private showing: Showing | undefined;

  /**
   * Shows the view for a repository. In `ask` mode resolves true only when the engineer chose to
   * record; closing the view or choosing "Not now" resolves false. `background`: shown without
   * taking focus (the first start, while the engineer may be typing).
   */
  show(root: string, context: ConsentContext, mode: ConsentMode, background = false): Promise<boolean> {
    const current = this.showing;
    if (current && current.root === root && current.mode === mode) {
      current.panel.reveal(undefined, background);
      return current.decided;
    }
    current?.panel.dispose();
    const panel = vscode.window.createWebviewPanel(
      'codetrail.consent',
      `Codetrail: ${context.repoName}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: background },
      { enableScripts: true, localResourceRoots: [] },
    );
    let decide!: (yes: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (decide = resolve));
    const showing: Showing = { root, mode, panel, decided, decide };
    this.showing = showing;
    panel.webview.html = html(consentDocument(context), mode, context.repoName);
    panel.webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parse(raw);
      if (!message) return; // never acted on
      switch (message.type) {
        case 'accept':
          decide(mode === 'ask');
          panel.dispose();
          return;
        case 'decline':
          decide(false);
          panel.dispose();
          return;
        case 'openPolicy':
          await vscode.window.showTextDocument(vscode.Uri.joinPath(vscode.Uri.file(root), POLICY_FILE), {
            preview: true,
            viewColumn: vscode.ViewColumn.Beside,
          });
          return;
        case 'revoke':
          panel.dispose();
          await vscode.commands.executeCommand('codetrail.revokeConsent', { repo: root });
          return;
      }
    });
    panel.onDidDispose(() => {
      decide(false);
      if (this.showing === showing) this.showing = undefined;
    });
    return decided;
  }

  /** The repository's question was answered elsewhere (a command, another window): close the view. */
  answered(root: string): void {
    if (this.showing?.root === root && this.showing.mode === 'ask') this.showing.panel.dispose();
  }

  dispose(): void {
    this.showing?.panel.dispose();
  }
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(doc: ConsentDocument, mode: ConsentMode, repoName: string): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`].join('; ');
  const sections = doc.sections
    .map(
      (s) =>
        `<section class="${s.id}" aria-labelledby="h-${s.id}"><h2 id="h-${s.id}">${esc(s.heading)}</h2><ul>${s.points.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></section>`,
    )
    .join('\n');
  const warnings = doc.warnings.length
    ? `<section class="warnings"><h2>About the policy file</h2><ul>${doc.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`
    : '';
  const actions =
    mode === 'ask'
      ? `<button type="button" id="accept">Record ${esc(repoName)}</button><button type="button" id="decline" class="secondary">Not now</button>`
      : `<p class="agreed">You agreed to this policy. Recording follows it.</p><button type="button" id="decline" class="secondary">Close</button><button type="button" id="revoke" class="secondary">Withdraw consent…</button>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(doc.title)}</title>
<style nonce="${nonce}">
  body { margin: 0; padding: 16px 24px 32px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.45; }
  main { max-width: 72ch; }
  h1 { font-size: 1.5em; font-weight: 600; margin: 0 0 6px; overflow-wrap: anywhere; }
  h1:focus { outline: none; }
  .lead { margin: 0 0 12px; }
  h2 { font-size: 1.05em; font-weight: 600; margin: 18px 0 4px; }
  ul { margin: 0; padding-left: 20px; }
  li { margin: 3px 0; overflow-wrap: anywhere; }
  .sharing { border-left: 3px solid var(--vscode-focusBorder); padding-left: 10px; }
  .warnings li { color: var(--vscode-editorWarning-foreground); }
  a { color: var(--vscode-textLink-foreground); }
  a:hover { color: var(--vscode-textLink-activeForeground); }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 22px; }
  .agreed { margin: 0 8px 0 0; color: var(--vscode-descriptionForeground); }
  button { font: inherit; padding: 4px 14px; border-radius: 2px; cursor: pointer; border: 1px solid var(--vscode-button-border, transparent); color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
  :focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1 id="title" tabindex="-1">${esc(doc.title)}</h1>
<p class="lead">${esc(doc.lead)}</p>
${sections}
${warnings}
<p class="policy">The rules come from the repository’s committed policy file: <a href="#" id="open-policy">open ${POLICY_FILE}</a>.</p>
<div class="actions" role="group" aria-label="Your decision">${actions}</div>
</main>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const [id, type] of [['accept', 'accept'], ['decline', 'decline'], ['revoke', 'revoke'], ['open-policy', 'openPolicy']]) {
    document.getElementById(id)?.addEventListener('click', (e) => { e.preventDefault(); vscode.postMessage({ type }); });
  }
  // Focus the question, not a button: reading comes first and Enter agrees to nothing.
  document.getElementById('title').focus();
</script>
</body>
</html>`;
}
