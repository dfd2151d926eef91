// Terminal commands through shell integration: the command line, where it ran, how long, its
// exit code, an output excerpt (only if the policy allows), and test runs found in it. What is
// typed into a running program (a password prompt) is never read: only the shell's record of
// each command is.
import vscode = require('vscode');
import { relative, sep } from 'node:path';
import { OutputCollector } from '../core/terminal/outputCollector';
import { testRunFromTerminal } from '../core/testRuns/fromTerminal';
import type { CaptureSink } from './sink';

/** How long a new terminal may take to report shell integration before it is recorded without. */
const SHELL_INTEGRATION_WAIT_MS = 10_000;
/** Output kept in the store when the policy allows it. */
const STORED_OUTPUT_BYTES = 16 * 1024;
const CONFIDENCE = ['low', 'medium', 'high'] as const;

export class TerminalCapture implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly ids = new WeakMap<vscode.Terminal, string>();
  private nextId = 1;
  private readonly running = new Map<vscode.TerminalShellExecution, { startTs: number; output: OutputCollector; drained: Promise<void> }>();

  constructor(private readonly sink: CaptureSink) {
    const win = vscode.window;
    win.onDidStartTerminalShellExecution(this.onStart, this, this.disposables);
    win.onDidEndTerminalShellExecution(this.onEnd, this, this.disposables);
    win.onDidOpenTerminal(this.onOpen, this, this.disposables);
  }

  private idOf(terminal: vscode.Terminal): string {
    let id = this.ids.get(terminal);
    if (!id) this.ids.set(terminal, (id = `t${this.nextId++}`));
    return id;
  }

  private onOpen(terminal: vscode.Terminal): void {
    const repos = this.sink.recordingRepos();
    if (repos.length === 0) return;
    this.sink.writers?.opened(this.idOf(terminal), Date.now());
    const record = (shellIntegration: boolean) => {
      for (const repo of this.sink.recordingRepos()) {
        this.sink.session.record(repo.repoId, 'terminal.open', { terminal: this.idOf(terminal), name: terminal.name, shellIntegration }, 'user');
      }
    };
    if (terminal.shellIntegration) return record(true);
    let timer: NodeJS.Timeout | undefined;
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== terminal) return;
      clearTimeout(timer);
      sub.dispose();
      record(true);
    });
    timer = setTimeout(() => {
      sub.dispose();
      record(false);
    }, SHELL_INTEGRATION_WAIT_MS);
    this.disposables.push(sub);
  }

  private onStart(e: vscode.TerminalShellExecutionStartEvent): void {
    if (this.sink.recordingRepos().length === 0) return;
    this.sink.writers?.start(e.execution, { commandLine: () => e.execution.commandLine.value, terminal: this.idOf(e.terminal), ts: Date.now() });
    const output = new OutputCollector();
    // read() must be called as the execution starts; it yields until the command ends.
    const drained = (async () => {
      for await (const chunk of e.execution.read()) output.push(chunk);
    })().catch(() => undefined);
    this.running.set(e.execution, { startTs: Date.now(), output, drained });
  }

  private async onEnd(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const started = this.running.get(e.execution);
    this.running.delete(e.execution);
    const endTs = Date.now();
    this.sink.writers?.end(e.execution, endTs);
    const cwdPath = e.execution.cwd?.path ?? e.shellIntegration.cwd?.path ?? this.onlyFolder();
    if (!cwdPath) return;
    const repo = this.sink.repoTargetFor(cwdPath);
    if (!repo) return;
    if (started) await Promise.race([started.drained, new Promise((r) => setTimeout(r, 2000))]);
    const { confidence } = e.execution.commandLine;
    // A line typed ahead, while the shell was still busy, is reported with the line break that ran it.
    const commandLine = e.execution.commandLine.value.replace(/[\r\n]+$/, '');
    // An empty line, or the ^C VS Code sends to clear a prompt before running a command, is not
    // a command the engineer ran.
    if (commandLine.trim() === '' || /^\^[A-Z@\[\\\]^_]$/.test(commandLine.trim())) return;
    const text = started?.output.text() ?? '';
    const cwd = relative(repo.root, cwdPath).split(sep).join('/') || '.';
    const startTs = started?.startTs ?? endTs;
    const { session } = this.sink;
    session.record(
      repo.repoId,
      'terminal.command',
      {
        terminal: this.idOf(e.terminal),
        commandLine,
        confidence: CONFIDENCE[confidence] ?? 'low',
        cwd: cwd.startsWith('..') ? null : cwd,
        startTs,
        endTs,
        exitCode: e.exitCode ?? null,
        ...(repo.policy.terminalOutput && repo.policy.capture === 'full' && started ? { output: started.output.excerpt(STORED_OUTPUT_BYTES) } : {}),
      },
      'user',
      startTs,
    );
    const testRun = testRunFromTerminal(commandLine, text, e.exitCode ?? null, endTs - startTs);
    if (testRun) session.record(repo.repoId, 'test.run', repo.policy.capture === 'full' ? testRun : { ...testRun, failingTests: [] }, 'user', startTs);
  }

  /** With one workspace folder, a command whose cwd the shell did not report ran there. */
  private onlyFolder(): string | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    return folders.length === 1 && folders[0]!.uri.scheme === 'file' ? folders[0]!.uri.fsPath : undefined;
  }

  dispose(): void {
    this.running.clear();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
