// ProgSnap2 tables: DatasetMetadata.csv, MainTable.csv, and code states as a directory
// (CodeStates/<id>/<path>), one per distinct content of a file after an edit, save or change.
// Standard event types where ProgSnap2 has them; X- types for terminal, git and task events.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resolveInside, writeNewFile } from '../confine';
import { replayTask, type ReplayObserver } from '../replay/pass';
import type { Replayer } from '../replay/replayer';
import type { EventKind, EventRecord, RecordOfKind } from '../schema/events';
import type { ExportFormatSpec } from './format';

export const PROGSNAP2_COLUMNS = [
  'EventType', 'EventID', 'Order', 'SubjectID', 'ToolInstances', 'CodeStateID', 'CodeStateSection', 'ServerTimestamp',
  'SessionID', 'ProblemID', 'ParentEventID', 'EditType', 'EventInitiator', 'ExecutionResult', 'Score', 'SourceLocation',
  'X-Command', 'X-ExitCode', 'X-Passed', 'X-Failed', 'X-FailingTests', 'X-CommitSHA', 'X-Message', 'X-Origin',
] as const;

export type ProgSnapRow = Record<(typeof PROGSNAP2_COLUMNS)[number], string>;

export const DATASET_METADATA: [string, string][] = [
  ['Version', '6.0'],
  ['IsEventOrderingConsistent', 'true'],
  ['EventOrderScope', 'Restricted'],
  ['EventOrderScopeColumns', 'SubjectID;SessionID'],
  ['CodeStateRepresentation', 'Directory'],
];

/** The ProgSnap2 event type of each kind (null: not a row); a new kind must say which. */
const TYPES = {
  'session.start': 'Session.Start',
  'session.end': 'Session.End',
  edit: 'File.Edit',
  'file.open': 'File.Open',
  'file.close': 'File.Close',
  'file.save': 'File.Save',
  'editor.focus': 'File.Focus',
  'file.create': 'File.Create',
  'file.delete': 'File.Delete',
  'file.rename': 'File.Rename',
  'test.run': 'Run.Test',
  'terminal.command': 'X-Terminal.Command',
  'git.commit': 'X-Git.Commit',
  'git.head': 'X-Git.Head',
  'task.start': 'X-Task.Start',
  'task.end': 'X-Task.End',
  'file.external': 'X-File.External',
  'file.snapshot': (e: RecordOfKind<'file.snapshot'>) => (e.data.reason === 'external' ? 'X-File.External' : null),
  diagnostics: (e: RecordOfKind<'diagnostics'>) => (e.data.errors > 0 ? 'Compile.Error' : 'X-Diagnostics'),
  'task.review': null,
  'git.state': null,
  selection: null,
  viewport: null,
  'window.focus': null,
  'terminal.open': null,
  gap: null,
} satisfies { [K in EventKind]: string | null | ((e: RecordOfKind<K>) => string | null) };

function typeOf(e: EventRecord): string | null {
  const type = TYPES[e.kind] as string | null | ((e: EventRecord) => string | null);
  return typeof type === 'function' ? type(e) : type;
}

export interface CodeState {
  id: string;
  path: string;
  text: string;
}

/** Rows and the code states they name, for one task. `order` continues across tasks. */
export async function progsnapRows(taskId: string, events: EventRecord[], order: { next: number }): Promise<{ rows: ProgSnapRow[]; states: CodeState[] }> {
  const table = new ProgSnapRows(taskId, order);
  await replayTask(events, [table]);
  return { rows: table.rows, states: table.states() };
}

/** Collects a task's rows and code states while watching its replay. */
export class ProgSnapRows implements ReplayObserver {
  readonly rows: ProgSnapRow[] = [];
  private readonly codeStates = new Map<string, CodeState>();
  private current = '';

  constructor(
    private readonly taskId: string,
    private readonly order: { next: number },
  ) {}

  states(): CodeState[] {
    return [...this.codeStates.values()];
  }

  after(e: EventRecord, replayer: Replayer): void {
    const { taskId, order } = this;
    const states = this.codeStates;
    const type = typeOf(e);
    if (!type) return;
    const file = 'file' in e.data && typeof e.data.file === 'string' ? e.data.file : '';
    if (file && (e.kind === 'edit' || e.kind === 'file.save' || e.kind === 'file.external' || e.kind === 'file.snapshot')) {
      const text = e.kind === 'edit' || e.kind === 'file.save' ? replayer.bufferText(e.session, file) : replayer.diskContent().get(file) ?? undefined;
      if (text !== undefined) {
        const id = createHash('sha256').update(file).update('\0').update(text).digest('hex').slice(0, 16);
        states.set(id, { id, path: file, text });
        this.current = id;
      }
    }
    const row = Object.fromEntries(PROGSNAP2_COLUMNS.map((c) => [c, ''])) as ProgSnapRow;
    Object.assign(row, {
      EventType: type,
      EventID: e.id,
      Order: String(order.next++),
      SubjectID: e.contributor,
      ToolInstances: 'VS Code; Codetrail',
      CodeStateID: this.current,
      CodeStateSection: file,
      ServerTimestamp: new Date(e.ts).toISOString(),
      SessionID: e.session,
      ProblemID: taskId,
      EventInitiator: e.origin === 'system' || e.origin === 'external' ? 'System' : 'User',
      'X-Origin': e.origin,
    });
    if (e.kind === 'edit') row.EditType = e.origin === 'paste' ? 'Paste' : e.origin === 'undo' || e.origin === 'redo' ? 'Undo/Redo' : e.data.changes.some((c) => c.length > 0) ? 'Replace' : 'Insert';
    if (e.kind === 'edit') row.SourceLocation = `Text:${e.data.changes[0]!.offset}`;
    if (e.kind === 'terminal.command') Object.assign(row, { 'X-Command': e.data.commandLine, 'X-ExitCode': e.data.exitCode === null ? '' : String(e.data.exitCode) });
    if (e.kind === 'test.run') {
      Object.assign(row, {
        'X-Command': e.data.command,
        'X-ExitCode': e.data.exitCode === null ? '' : String(e.data.exitCode),
        ExecutionResult: e.data.exitCode === 0 ? 'Success' : (e.data.failed ?? 0) > 0 ? 'TestFailed' : e.data.exitCode === null ? '' : 'Error',
        'X-Passed': e.data.passed === null ? '' : String(e.data.passed),
        'X-Failed': e.data.failed === null ? '' : String(e.data.failed),
        'X-FailingTests': e.data.failingTests.join(';'),
      });
      const total = (e.data.passed ?? 0) + (e.data.failed ?? 0);
      if (e.data.passed !== null && total > 0) row.Score = (e.data.passed / total).toFixed(4);
    }
    if (e.kind === 'git.commit') Object.assign(row, { 'X-CommitSHA': e.data.sha, 'X-Message': e.data.message });
    if (e.kind === 'git.head') Object.assign(row, { 'X-CommitSHA': e.data.to, 'X-Message': e.data.message });
    if (e.kind === 'diagnostics') row['X-Message'] = `${e.data.errors} error(s), ${e.data.warnings} warning(s)`;
    this.rows.push(row);
  }
}

/** RFC 4180: quote fields holding commas, quotes or line breaks. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',') + '\r\n';
}

/** ProgSnap2 is tables, not JSON rows: one MainTable.csv for all tasks, code states as files. */
export const progsnap2Format: ExportFormatSpec = {
  split: 'train',
  description: 'ProgSnap2 tables (DatasetMetadata.csv, MainTable.csv) with code states in CodeStates/.',
  schema: null,
  mergeKey: null,
  open({ out }) {
    const csv: string[] = [csvLine([...PROGSNAP2_COLUMNS])];
    const order = { next: 0 };
    return {
      task(taskId) {
        const table = new ProgSnapRows(taskId, order);
        return {
          observer: table,
          async write() {
            for (const row of table.rows) csv.push(csvLine(PROGSNAP2_COLUMNS.map((c) => row[c])));
            for (const state of table.states()) {
              // The file name comes from the store (untrusted): it must land inside the export.
              const path = await resolveInside(out, `CodeStates/${state.id}/${state.path}`, `recorded file name ${JSON.stringify(state.path)}`);
              await mkdir(dirname(path), { recursive: true });
              // Another task may have written the same state already (ids are content hashes).
              await writeNewFile(path, state.text).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)));
            }
          },
        };
      },
      async finish() {
        await writeFile(join(out, 'MainTable.csv'), csv.join(''));
        await writeFile(join(out, 'DatasetMetadata.csv'), csvLine(['Property', 'Value']) + DATASET_METADATA.map((r) => csvLine(r)).join(''));
        return { configs: [{ name: 'main_table', split: 'train', files: ['MainTable.csv'] }], rows: csv.length - 1 };
      },
    };
  },
};
