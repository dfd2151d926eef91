// A problem statement is often more than a line: what happens, what should, how to see it. The
// input box holds one line, so, as git's "use editor as commit input" does, the statement can be
// written in an editor instead: an untitled Markdown document whose title bar has Start Task and
// Cancel. Closing it cancels. Untitled documents are never recorded (capture takes `file:` only).
import * as vscode from 'vscode';
import { STATEMENT_COMMANDS } from './commandTable';

/** True while the active editor is the statement being written: shows its title bar actions. */
const EDITING_KEY = 'codetrail.writingStatement';

type Outcome = { text: string } | undefined;

export class StatementEditor implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private open: { doc: vscode.TextDocument; settle(outcome: Outcome): void } | undefined;

  constructor() {
    this.disposables.push(
      vscode.commands.registerCommand('codetrail.statement.start', () => this.finish(true)),
      vscode.commands.registerCommand('codetrail.statement.cancel', () => this.finish(false)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.showActions(editor)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc === this.open?.doc) this.settle(undefined);
      }),
    );
  }

  /**
   * Opens the statement for `title` in an editor holding `draft`; resolves with its text once the
   * engineer starts the task from the editor's title bar, or undefined when they cancel or close it.
   */
  async write(title: string, draft: string): Promise<string | undefined> {
    this.settle(undefined); // one statement at a time: an older one no longer starts anything
    const uri = vscode.Uri.from({ scheme: 'untitled', path: `Problem statement for ${title.replace(/[\\/]/g, '-')}.md` });
    const doc = await vscode.workspace.openTextDocument(uri);
    if (draft && doc.getText() === '') {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), draft);
      await vscode.workspace.applyEdit(edit);
    }
    const outcome = new Promise<Outcome>((resolve) => (this.open = { doc, settle: resolve }));
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const editor = await vscode.window.showTextDocument(doc, { preview: false, selection: new vscode.Range(end, end) });
    this.showActions(editor);
    void vscode.window.setStatusBarMessage(
      `Write the problem statement, then ${STATEMENT_COMMANDS['codetrail.statement.start']} in the editor's title bar`,
      10_000,
    );
    return (await outcome)?.text;
  }

  /**
   * The second step of starting a task: a one-line statement in the input box, or, through its
   * button, a longer one in an editor. Undefined: the engineer cancelled (Escape cancels the task,
   * it does not start it without a statement).
   */
  async ask(title: string): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    const inEditor: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Write a longer statement in an editor' };
    box.title = `Start a coding task (2/2): ${title}`;
    box.prompt = 'The problem statement (optional): Enter to start, Escape to cancel; the button writes a longer one in an editor';
    box.placeholder = 'e.g. range(1, 3) should give [1, 2, 3]';
    box.ignoreFocusOut = true;
    box.buttons = [inEditor];
    const choice = await new Promise<{ line: string } | { editor: string } | undefined>((resolve) => {
      box.onDidAccept(() => resolve({ line: box.value }));
      box.onDidTriggerButton(() => resolve({ editor: box.value }));
      box.onDidHide(() => resolve(undefined));
      box.show();
    });
    box.dispose();
    if (!choice) return undefined;
    return 'line' in choice ? choice.line : this.write(title, choice.editor);
  }

  /** Takes the text (or not), closes the draft without the "Save?" prompt, then settles: the caller finds the editor gone. */
  private async finish(start: boolean): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.open = undefined; // its closing below is not a cancel
    const text = open.doc.getText().trim();
    if (vscode.window.activeTextEditor?.document !== open.doc) await vscode.window.showTextDocument(open.doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    this.showActions(vscode.window.activeTextEditor);
    open.settle(start ? { text } : undefined);
  }

  private settle(outcome: Outcome): void {
    const open = this.open;
    this.open = undefined;
    open?.settle(outcome);
    this.showActions(vscode.window.activeTextEditor);
  }

  private showActions(editor: vscode.TextEditor | undefined): void {
    void vscode.commands.executeCommand('setContext', EDITING_KEY, this.open !== undefined && editor?.document === this.open.doc);
  }

  dispose(): void {
    this.settle(undefined);
    for (const d of this.disposables) d.dispose();
  }
}
