// Errors and warnings of the files the engineer is working on, when they change (throttled).
import vscode = require('vscode');
import { KeyedThrottle } from '../core/capture/throttle';
import type { CaptureSink } from './sink';

const THROTTLE_MS = 1500;
const MAX_ITEMS = 50;

export class DiagnosticsCapture implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly throttle = new KeyedThrottle<vscode.Uri>(THROTTLE_MS, (_key, uri) => this.record(uri));
  /** What was last recorded per file, to skip repeats. */
  private readonly last = new Map<string, string>();

  constructor(private readonly sink: CaptureSink) {
    vscode.languages.onDidChangeDiagnostics(
      (e) => {
        for (const uri of e.uris) if (uri.scheme === 'file') this.throttle.push(uri.toString(), uri);
      },
      this,
      this.disposables,
    );
  }

  drain(): void {
    this.throttle.drain();
  }

  private record(uri: vscode.Uri): void {
    // Only files the engineer has in an editor: language servers report on whole projects.
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    const target = this.sink.targetFor(uri.fsPath);
    if (!target) return;
    const relevant = vscode.languages.getDiagnostics(uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    const withText = target.policy.capture === 'full';
    const items = relevant.slice(0, MAX_ITEMS).map((d) => ({
      line: d.range.start.line,
      character: d.range.start.character,
      severity: d.severity === vscode.DiagnosticSeverity.Error ? ('error' as const) : ('warning' as const),
      ...(withText ? { message: d.message.slice(0, 1000) } : {}),
      ...(d.source ? { source: d.source } : {}),
      ...(d.code !== undefined ? { code: String(typeof d.code === 'object' ? d.code.value : d.code) } : {}),
    }));
    const data = {
      file: target.relPath,
      errors: relevant.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length,
      warnings: relevant.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length,
      items,
    };
    const key = uri.toString();
    const serialized = JSON.stringify(data);
    if (this.last.get(key) === serialized) return;
    this.last.set(key, serialized);
    this.sink.session.record(target.repoId, 'diagnostics', data, 'system');
  }

  dispose(): void {
    this.throttle.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
