// `Codetrail: Export Approved Tasks…`: the engineer's own export, the same as `codetrail export`
// on the command line, written where the extension runs (in a remote window: on the remote
// machine, next to the store), into a new folder inside the one they pick.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { stringArg, boolArg, type Args } from '../core/base/commandArgs';
import type { ExportFormat, ExportSummary } from '../core/export/exporter';
import { taskTools } from './loadTasks';

export interface ExportHost {
  readonly storePath: string;
  readonly version: string;
  /** Writes buffered events first, so the export sees everything recorded so far. */
  flush(): Promise<void>;
}

/** What each format is for, in the engineer's language (literal strings, so l10n-dev finds them). */
function formatDetail(format: ExportFormat): string {
  switch (format) {
    case 'trajectories':
      return vscode.l10n.t('One row per task: problem, ordered steps, final patch, replay status');
    case 'trl':
      return vscode.l10n.t('Chat messages with tool calls, for supervised fine-tuning (TRL)');
    case 'swebench':
      return vscode.l10n.t('Solved tasks with commits, as SWE-bench instances');
    case 'zed':
      return vscode.l10n.t('Edit-prediction examples (Zed)');
    case 'progsnap2':
      return vscode.l10n.t('ProgSnap2 tables for education research');
    case 'raw':
      return vscode.l10n.t('Every recorded event, as stored');
    default:
      return format;
  }
}

/** Returns the export's summary, or undefined if the engineer cancelled. */
export async function exportTasks(host: ExportHost, args: Args): Promise<ExportSummary | undefined> {
  const { EXPORT_FORMATS, exportStore } = taskTools();
  const givenFormat = stringArg(args, 'format');
  const format = (EXPORT_FORMATS as readonly string[]).includes(givenFormat ?? '')
    ? (givenFormat as ExportFormat)
    : (
        await vscode.window.showQuickPick(
          EXPORT_FORMATS.map((f) => ({ label: f, detail: formatDetail(f), format: f })),
          { title: vscode.l10n.t('Export Approved Tasks'), placeHolder: vscode.l10n.t('Which format?') },
        )
      )?.format;
  if (!format) return undefined;
  let out = stringArg(args, 'out');
  if (!out) {
    const parent = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Export Here'),
      title: vscode.l10n.t('Folder to write the dataset into (a new folder is made inside it)'),
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    if (!parent?.[0]) return undefined;
    out = join(parent[0].fsPath, `codetrail-${format}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}`);
  }
  await host.flush();
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Codetrail: exporting approved tasks as {0}', format) },
    (progress) => {
      let last = 0;
      return exportStore({
        store: host.storePath,
        out: out!,
        format,
        includeUnapproved: boolArg(args, 'includeUnapproved') === true,
        // As `--progsnap2-code-states`: the spec's Directory representation unless Git is asked for.
        ...(stringArg(args, 'progsnap2CodeStates') === 'git' ? { formatOptions: { progsnap2CodeStates: 'git' as const } } : {}),
        version: host.version,
        onProgress: (done, total) => {
          const pct = total > 0 ? (done / total) * 100 : 100;
          progress.report({ increment: pct - last });
          last = pct;
        },
      });
    },
  );
  const open = vscode.l10n.t('Open Dataset Card');
  const message =
    summary.tasks === 0
      ? vscode.l10n.t('Codetrail: no approved task to export ({0} not approved). Approve tasks in the review panel first.', summary.skippedUnapproved)
      : vscode.l10n.t('Codetrail: exported {0} task(s) as {1} into {2}.', summary.tasks, format, summary.out);
  void vscode.window.showInformationMessage(message, ...(summary.tasks > 0 ? [open] : [])).then((pick) => {
    if (pick === open) void vscode.window.showTextDocument(vscode.Uri.file(join(summary.out, 'README.md')));
  });
  return summary;
}
