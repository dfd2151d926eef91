// The review panel: one webview per task. Destructive actions are confirmed inside the page (next
// to what they act on) and arrive here confirmed. The page gets the header and timeline at once and asks
// for steps, details and replays as the engineer scrolls and scrubs. Messages from the page are
// validated before anything happens; the page loads nothing remote (strict CSP with a nonce).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/base/errors';
import { count } from '../../core/base/plural';
import type { TaskReview } from '../../core/review/reviewModel';
import type { FromWebview, ToWebview } from './protocol';
import { taskTools } from '../loadTasks';
import type { Reviews } from './reviews';

export class ReviewPanels implements vscode.Disposable {
  private readonly open = new Map<string, ReviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly reviews: Reviews,
  ) {
    reviews.onDidChange(
      (task) => {
        for (const [id, panel] of this.open) if (task === undefined || task === id) void panel.reload();
      },
      this,
      this.disposables,
    );
  }

  show(taskId: string): ReviewPanel {
    const existing = this.open.get(taskId);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = new ReviewPanel(this.extensionUri, this.reviews, taskId, () => this.open.delete(taskId));
    this.open.set(taskId, panel);
    return panel;
  }

  /** The panel of a task, if open (for tests and commands). */
  get(taskId: string): ReviewPanel | undefined {
    return this.open.get(taskId);
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

const PAGE_LIMIT = 1000;

export class ReviewPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private model: Promise<TaskReview>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly reviews: Reviews,
    readonly taskId: string,
    onDispose: () => void,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel('codetrail.review', 'Review task', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'codetrail.svg');
    this.model = reviews.load(taskId);
    this.panel.webview.html = this.html(media);
    this.panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m), this, this.disposables);
    this.panel.onDidDispose(
      () => {
        onDispose();
        vscode.Disposable.from(...this.disposables).dispose();
      },
      this,
      this.disposables,
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }

  /** The store changed: load the task again and start the page over. */
  async reload(): Promise<void> {
    this.model = this.reviews.load(this.taskId);
    await this.sendInit().catch((err) => this.post({ type: 'status', level: 'error', message: errorMessage(err) }));
  }

  private async sendInit(): Promise<void> {
    const model = await this.model;
    const header = model.header();
    this.panel.title = `Review: ${header.title}`;
    await this.post({ type: 'init', header, timeline: model.timeline() });
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = taskTools().parseFromWebview(raw);
    if (!message) return; // not ours, or malformed: never acted on
    try {
      await this.handle(message);
    } catch (err) {
      await this.post({ type: 'status', level: 'error', message: errorMessage(err) });
    }
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.sendInit();
      case 'page': {
        const model = await this.model;
        const page = model.page({
          offset: message.offset,
          limit: Math.min(message.limit, PAGE_LIMIT),
          categories: message.categories,
          file: message.file,
          text: message.text,
        });
        await this.post({ type: 'page', ...page });
        return;
      }
      case 'detail':
        await this.post({ type: 'detail', index: message.index, detail: await (await this.model).detail(message.index) });
        return;
      case 'fileAt':
        await this.post({ type: 'file', index: message.index, file: (await (await this.model).fileAt(message.index, message.file)) ?? null });
        return;
      case 'approve':
        await this.reviews.approve(this.taskId, message.approved);
        await this.post({
          type: 'status',
          level: 'info',
          message: message.approved ? 'Approved for export.' : 'Approval withdrawn: the task will not be exported.',
        });
        return;
      case 'redact': {
        await this.post({ type: 'busy', message: 'Redacting…' });
        const changed = await this.reviews.redact(this.taskId, message.word, true); // confirmed in the panel
        await this.post({
          type: 'status',
          level: 'info',
          message: changed === undefined ? 'Nothing was redacted.' : `Redacted everywhere in the task: ${count(changed, 'record')} rewritten.`,
        });
        return;
      }
      case 'deleteSteps': {
        const removed = await this.reviews.deleteSteps(this.taskId, message.indices, true);
        await this.post({
          type: 'status',
          level: 'info',
          message:
            removed === undefined
              ? 'Nothing was deleted.'
              : `Deleted ${count(removed, 'record')}; a gap marks where ${removed === 1 ? 'it was' : 'they were'}.`,
        });
        return;
      }
      case 'deleteTask': {
        const header = (await this.model).header();
        const removed = await this.reviews.deleteTask(this.taskId, header.title, true);
        if (removed !== undefined) this.dispose();
        return;
      }
    }
  }

  private html(media: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const uri = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(media, name)).toString();
    const csp = [
      `default-src 'none'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('codicon.css')}">
<link rel="stylesheet" href="${uri('review.css')}">
<title>Review task</title>
</head>
<body>
<div id="app" aria-busy="true"><p class="loading">Loading the task…</p></div>
<script nonce="${nonce}" src="${uri('review.js')}"></script>
</body>
</html>`;
  }
}
