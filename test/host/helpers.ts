// Helpers for tests that run inside the real VS Code extension host.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

export const EXTENSION_ID = 'codetrail.codetrail';

/** Paths the scenario made (test/host/scenarios.mjs): repositories by role, and the store. */
export function fixtures<T extends Record<string, string>>(): T & { store: string } {
  const raw = process.env.CODETRAIL_FIXTURES;
  if (!raw) throw new Error('CODETRAIL_FIXTURES is not set');
  return JSON.parse(raw) as T & { store: string };
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  await ext.activate();
  return ext;
}

/** Resolves with the first event that satisfies `test`. */
export function nextEvent<T>(event: vscode.Event<T>, test: (e: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const sub = event((e) => {
      if (!test(e)) return;
      sub.dispose();
      resolve(e);
    });
  });
}

/** Types through the editor's own typing path, one key at a time, as a person would. */
export async function typeText(editor: vscode.TextEditor, text: string): Promise<void> {
  for (const ch of text) {
    // `type` goes to whichever editor is active: a page that took its place would swallow the keys.
    const active = vscode.window.activeTextEditor?.document;
    if (active !== editor.document)
      throw new Error(`cannot type into ${editor.document.uri.fsPath}: the active editor is ${active?.uri.toString() ?? 'none (a page or panel took focus)'}`);
    const changed = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === editor.document);
    await vscode.commands.executeCommand('type', { text: ch });
    await changed;
  }
}

export async function openAtEnd(path: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(path);
  const editor = await vscode.window.showTextDocument(doc);
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/** All bytes the store holds, decompressed, as one string: for "not a single byte" checks. */
export async function storeText(store: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const bytes = await readFile(path);
        parts.push(path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8'));
      }
    }
  };
  await walk(store);
  return parts.join('\n'); // files that are not segments (a writer's pid mark) end without one
}

/** Runs the CLI and resolves with its exit code and output, whatever the exit code. */
export async function codetrailCliResult(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    return { code: 0, stdout: await codetrailCli(...args) };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '' };
  }
}

export async function codetrailCli(...args: string[]): Promise<string> {
  const ext = await activeExtension();
  const { stdout } = await promisify(execFile)(process.execPath, [join(ext.extensionPath, 'dist/cli.js'), ...args], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return stdout;
}

export async function flush(): Promise<void> {
  await vscode.commands.executeCommand('codetrail.flush');
}

/** Every record in the store, in recording order. */
export async function storeRecords(
  store: string,
): Promise<Array<{ id: string; ts: number; kind: string; repo: string; task: string | null; session: string; origin: string; data: any }>> {
  const text = await storeText(store);
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((r) => typeof r?.id === 'string')
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** How long a test's terminal command may take before runInTerminal gives up and says what it saw. */
const TERMINAL_COMMAND_DEADLINE_MS = 120_000;

/**
 * Types a command into the terminal, as a person would, and resolves with its exit code once it
 * ends: the command is the first execution the shell reports on this terminal after it was sent.
 *
 * Not `shellIntegration.executeCommand`: VS Code's runCommand sends Ctrl+C first whenever its
 * model of the prompt line still holds text, which it does from the previous command's end until
 * the shell draws its next prompt. A test that sends its next command the moment the previous
 * one ends lands in that gap: the Ctrl+C then interrupts the prompt or the new command (exit 130,
 * or an execution that ends without a code). Typed text waits in the terminal until the shell
 * reads it, as a fast typist's would. A command that never ends fails after a deadline, naming
 * every execution seen on the terminal.
 */
export async function runInTerminal(terminal: vscode.Terminal, commandLine: string): Promise<number | undefined> {
  if (!terminal.shellIntegration) await nextEvent(vscode.window.onDidChangeTerminalShellIntegration, (e) => e.terminal === terminal);
  const seen: string[] = [];
  const line = (what: string, e: vscode.TerminalShellExecution) => `${what} ${JSON.stringify(e.commandLine.value)} (confidence ${e.commandLine.confidence})`;
  const listeners: vscode.Disposable[] = [];
  let ours: vscode.TerminalShellExecution | undefined;
  try {
    return await new Promise<number | undefined>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`${why}; on this terminal: ${seen.join('; ') || 'nothing'}`));
      const timer = setTimeout(
        () => fail(`no end of ${JSON.stringify(commandLine)} within ${TERMINAL_COMMAND_DEADLINE_MS / 1000} s`),
        TERMINAL_COMMAND_DEADLINE_MS,
      );
      listeners.push(
        { dispose: () => clearTimeout(timer) },
        vscode.window.onDidStartTerminalShellExecution((e) => {
          if (e.terminal !== terminal) return;
          seen.push(line('started', e.execution));
          if (ours) return;
          ours = e.execution;
          // The shell may report the line with the newline that ran it.
          if (ours.commandLine.confidence === vscode.TerminalShellExecutionCommandLineConfidence.High && ours.commandLine.value.trim() !== commandLine.trim())
            fail(`sent ${JSON.stringify(commandLine)}, but the shell ran something else first`);
          // Reading is what lets the output flow; drain it so the command can finish.
          void (async () => {
            for await (const _ of ours.read());
          })();
        }),
        vscode.window.onDidEndTerminalShellExecution((e) => {
          if (e.terminal !== terminal) return;
          seen.push(line(`ended (exit ${e.exitCode})`, e.execution));
          if (e.execution === ours) resolve(e.exitCode);
        }),
      );
      terminal.sendText(commandLine, true);
    });
  } finally {
    for (const l of listeners) l.dispose();
  }
}

/** Saves the editor's document and resolves once it is saved. */
export async function saveEditor(editor: vscode.TextEditor): Promise<void> {
  const saved = nextEvent(vscode.workspace.onDidSaveTextDocument, (d) => d === editor.document);
  await vscode.commands.executeCommand('workbench.action.files.save');
  await saved;
}

/**
 * Asks the host runner to act in the workbench page as a person would (click, select, press,
 * screenshot): see scripts/host/driver.mjs. `frame: 'webview'` acts inside the open webview panel.
 */
export async function drive<T = unknown>(action: string, args: Record<string, unknown> = {}): Promise<T> {
  const url = process.env.CODETRAIL_DRIVER_URL;
  if (!url) throw new Error('CODETRAIL_DRIVER_URL is not set: run the host tests through scripts/host/run-tests.mjs');
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ action, args }) });
  const reply = (await res.json()) as { ok: boolean; result?: T; error?: string };
  if (!reply.ok) throw new Error(`driver ${action} ${JSON.stringify(args)}: ${reply.error}`);
  return reply.result as T;
}

/**
 * Resolves with a file's text once `test` accepts it, woken by changes in its folder (no polling);
 * after `timeoutMs` it fails saying what it waited for and what the file held.
 */
export async function untilFile(path: string, what: string, test: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const read = () => readFile(path, 'utf8').catch(() => '');
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err: Error | undefined, text = '') => {
      if (done) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(text);
    };
    const check = () => void read().then((text) => test(text) && finish(undefined, text));
    const watcher = watch(dirname(path), (_event, name) => {
      if (!name || name === basename(path)) check();
    });
    const timer = setTimeout(
      () =>
        void read().then((text) =>
          finish(new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; ${path} holds ${JSON.stringify(text.slice(0, 500))}`)),
        ),
      timeoutMs,
    );
    check();
  });
}
