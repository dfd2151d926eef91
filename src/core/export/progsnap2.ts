// ProgSnap2 tables: DatasetMetadata.csv, MainTable.csv, and code states, each the whole project
// as recorded at that point: every file the task's replay knows, as the engineer's editor showed
// it (open buffers over disk). Code states are in the spec's Directory representation
// (CodeStates/<id>/<path>) or, when asked, its Git one (progsnap2Git.ts). Written to
// the ProgSnap2 toolbox's machine-readable spec (CSSPLICE/ProgSnapToolbox, progsnap2-v1.0.yaml):
// its vocabularies, and per event type the columns it requires or allows; other columns stay
// empty on that row. Standard event types where ProgSnap2 has them; X- types and X- columns (the
// spec's extension prefix) for terminal, git and task events and what ProgSnap2 has no column for.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import type { ReplayObserver } from '../replay/pass';
import type { Replayer } from '../replay/replayer';
import type { EventKind, EventRecord, Origin, RecordOfKind } from '../schema/events';
import type { ExportFormatSpec } from './format';
import { DirectoryCodeStateWriter, type CodeState, type CodeStateWriter, type StateFile } from './progsnap2CodeStates';
import { GitCodeStateWriter } from './progsnap2Git';

export const PROGSNAP2_VERSION = '1.0';

export const PROGSNAP2_COLUMNS = [
  'EventType',
  'EventID',
  'Order',
  'SubjectID',
  'ToolInstances',
  'CodeStateID',
  'ClientTimestamp',
  'ProblemID',
  'SessionID',
  'CodeStateSection',
  'DestinationCodeStateSection',
  'EventInitiator',
  'EditType',
  'SourceLocation',
  'ParentEventID',
  'CompileResult',
  'CompileMessageType',
  'CompileMessageData',
  'ExecutionID',
  'TestID',
  'ExecutionResult',
  'Score',
  'X-Session',
  'X-Origin',
  'X-Command',
  'X-ExitCode',
  'X-Passed',
  'X-Failed',
  'X-FailingTests',
  'X-CommitSHA',
  'X-Message',
] as const;

export type ProgSnapColumn = (typeof PROGSNAP2_COLUMNS)[number];
export type ProgSnapRow = Record<ProgSnapColumn, string>;

/** How code states are written: the spec's Directory (the default: what its readers know) or Git representation. */
export const PROGSNAP2_CODE_STATES = ['directory', 'git'] as const;
export type CodeStateRepresentation = (typeof PROGSNAP2_CODE_STATES)[number];

export function datasetMetadata(codeStates: CodeStateRepresentation): [string, string][] {
  return [
    ['Version', PROGSNAP2_VERSION],
    // One clock per engineer (the extension host's); Order is comparable within one task's rows.
    ['IsEventOrderingConsistent', 'true'],
    ['EventOrderScope', 'Restricted'],
    ['EventOrderScopeColumns', 'SubjectID;ProblemID'],
    ['CodeStateRepresentation', codeStates === 'git' ? 'Git' : 'Directory'],
  ];
}

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
  // The run as a whole; each failing test gets a Run.Test row of its own (testRows).
  'test.run': (e: RecordOfKind<'test.run'>) => (runResult(e) ? 'Run.Program' : 'X-Run.Unknown'),
  'terminal.command': 'X-Terminal.Command',
  'git.commit': 'X-Git.Commit',
  'git.head': 'X-Git.Head',
  'task.start': 'X-Task.Start',
  'task.end': 'X-Task.End',
  'file.external': 'X-File.External',
  'file.snapshot': (e: RecordOfKind<'file.snapshot'>) => (e.data.reason === 'external' ? 'X-File.External' : null),
  // A language server's verdict on a file: a Compile row, and one Compile.Error/Warning row per diagnostic.
  diagnostics: 'Compile',
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

/** Who caused an event, in the spec's EventInitiator vocabulary; '' when not known (an outside change). */
const INITIATOR: Record<Origin, string> = {
  typing: 'UserDirectAction',
  paste: 'UserDirectAction',
  undo: 'UserDirectAction',
  redo: 'UserDirectAction',
  multiCursor: 'UserDirectAction',
  user: 'UserDirectAction',
  // Accepting a suggestion: the spec's own example of an indirect action.
  completion: 'UserIndirectAction',
  'completion.word': 'UserIndirectAction',
  'completion.inline': 'UserIndirectAction',
  // An agent's edit: the tool acting on what the engineer asked.
  agent: 'ToolReaction',
  format: 'ToolReaction',
  editor: 'ToolReaction',
  system: 'ToolReaction',
  // Made outside the editor (terminal, git, another tool): by whom is not recorded.
  external: '',
};

/** The event types whose rows carry EventInitiator (the spec allows it on no others). */
const WITH_INITIATOR = /^(File\.|Compile$)/;

function editType(e: RecordOfKind<'edit'>): string {
  if (e.origin === 'paste') return 'Paste';
  if (e.origin === 'undo') return 'Undo';
  if (e.origin === 'redo') return 'Redo';
  const removes = e.data.changes.some((c) => c.length > 0);
  const inserts = e.data.changes.some((c) => c.textLength > 0);
  return removes && !inserts ? 'Delete' : removes ? 'Replace' : 'Insert';
}

function runResult(e: RecordOfKind<'test.run'>): 'Success' | 'Error' | undefined {
  if (e.data.exitCode === 0 && !e.data.failed) return 'Success';
  if ((e.data.failed ?? 0) > 0 || (e.data.exitCode !== null && e.data.exitCode !== 0)) return 'Error';
  return undefined;
}

/** 1-based line and column of a UTF-16 offset, as `Text:<line>:<column>`. */
function textLocation(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return `Text:${line}:${offset - start + 1}`;
}

/** Kinds after which the project's content may differ: the code state is recomputed then. */
const CHANGES_CONTENT = new Set<EventKind>([
  'edit',
  'file.save',
  'file.snapshot',
  'file.external',
  'file.create',
  'file.delete',
  'file.rename',
  'git.commit',
  'git.head',
  'gap',
]);

/** Collects a task's rows and code states while watching its replay; `numbered` once the task is kept. */
export class ProgSnapRows implements ReplayObserver {
  readonly rows: ProgSnapRow[] = [];
  private readonly codeStates = new Map<string, CodeState>();
  /** Every file the task's records name: replay may know their content. */
  private readonly files = new Set<string>();
  /** Content hashes by text, per path: a file's hash is recomputed only when its text changed. */
  private readonly hashes = new Map<string, StateFile>();
  /** The project now; written only once a row names it (a record with no row of its own can change it). */
  private current: CodeState | undefined;
  private editLocation = '';

  constructor(private readonly taskId: string) {}

  /** The rows with their Order, continuing from `order` (a task left out of the export takes no numbers). */
  numbered(order: { next: number }): ProgSnapRow[] {
    for (const row of this.rows) row.Order = String(order.next++);
    return this.rows;
  }

  states(): CodeState[] {
    return [...this.codeStates.values()];
  }

  before(e: EventRecord, replayer: Replayer): void {
    // Where an edit starts, in lines and columns of the text it applies to.
    const text = e.kind === 'edit' ? replayer.bufferText(e.session, e.data.file) : undefined;
    this.editLocation = e.kind === 'edit' && text !== undefined ? textLocation(text, e.data.changes[0]!.offset) : '';
  }

  after(e: EventRecord, replayer: Replayer): void {
    if ('file' in e.data && typeof e.data.file === 'string') this.files.add(e.data.file);
    if (CHANGES_CONTENT.has(e.kind)) this.current = this.projectState(e.session, replayer);
    const type = typeOf(e);
    if (!type) return;
    // Problems in a file whose content was never recorded (package.json, which the npm extension
    // reads unseen): no code state holds it, and the spec's Compile row must point into one.
    if (e.kind === 'diagnostics' && replayer.bufferText(e.session, e.data.file) === undefined && replayer.knownDiskText(e.data.file) === undefined) return;
    const file = 'file' in e.data && typeof e.data.file === 'string' ? e.data.file : '';
    const row = this.row(type, e.id, e);
    if (type === 'Session.Start' || type === 'Session.End') row.SessionID = e.session;
    if (type.startsWith('File.') || type === 'Compile') row.CodeStateSection = file;
    if (WITH_INITIATOR.test(type)) row.EventInitiator = INITIATOR[e.origin];
    if (e.kind === 'file.rename') Object.assign(row, { CodeStateSection: e.data.oldFile, DestinationCodeStateSection: e.data.file });
    if (e.kind === 'edit') Object.assign(row, { EditType: editType(e), SourceLocation: this.editLocation });
    if (e.kind === 'terminal.command')
      Object.assign(row, { 'X-Command': e.data.commandLine, 'X-ExitCode': e.data.exitCode === null ? '' : String(e.data.exitCode) });
    if (e.kind === 'git.commit') Object.assign(row, { 'X-CommitSHA': e.data.sha, 'X-Message': e.data.message });
    if (e.kind === 'git.head') Object.assign(row, { 'X-CommitSHA': e.data.to, 'X-Message': e.data.message });
    if (e.kind === 'file.external' || e.kind === 'file.snapshot') row['X-Message'] = file;
    this.rows.push(row);
    if (e.kind === 'test.run') this.testRows(e, row);
    if (e.kind === 'diagnostics') this.diagnosticRows(e, row);
  }

  /** A row with the universal columns filled in; event-specific ones are the caller's. */
  private row(type: string, id: string, e: EventRecord): ProgSnapRow {
    const row = Object.fromEntries(PROGSNAP2_COLUMNS.map((c) => [c, ''])) as ProgSnapRow;
    return Object.assign(row, {
      EventType: type,
      EventID: id,
      SubjectID: e.contributor,
      ToolInstances: 'VS Code;Codetrail',
      CodeStateID: this.stateOfRow(e.ts),
      ClientTimestamp: new Date(e.ts).toISOString(),
      ProblemID: this.taskId,
      'X-Session': e.session,
      'X-Origin': e.origin,
    });
  }

  /** The run (Run.Program, its ExecutionID the record's id) and a Run.Test row per failing test. */
  private testRows(e: RecordOfKind<'test.run'>, run: ProgSnapRow): void {
    const total = (e.data.passed ?? 0) + (e.data.failed ?? 0);
    Object.assign(run, {
      'X-Command': e.data.command,
      'X-ExitCode': e.data.exitCode === null ? '' : String(e.data.exitCode),
      'X-Passed': e.data.passed === null ? '' : String(e.data.passed),
      'X-Failed': e.data.failed === null ? '' : String(e.data.failed),
      'X-FailingTests': e.data.failingTests.join(';'),
    });
    if (run.EventType !== 'Run.Program') return;
    Object.assign(run, {
      ExecutionID: e.id,
      ExecutionResult: runResult(e)!,
      Score: e.data.passed !== null && total > 0 ? (e.data.passed / total).toFixed(4) : '',
    });
    for (const [i, name] of [...new Set(e.data.failingTests)].entries()) {
      // TestIDs must not be shared across problems: the task id scopes the test's name.
      Object.assign(this.pushRow('Run.Test', `${e.id}.t${i + 1}`, e), {
        ExecutionID: e.id,
        TestID: `${this.taskId}/${name}`,
        ExecutionResult: 'TestFailed',
        Score: '0',
      });
    }
  }

  /** The Compile row's result, and one child row per diagnostic, as the spec's Compile.Error/Warning. */
  private diagnosticRows(e: RecordOfKind<'diagnostics'>, compile: ProgSnapRow): void {
    compile.CompileResult = e.data.errors > 0 ? 'Error' : e.data.warnings > 0 ? 'Warning' : 'Success';
    compile['X-Message'] = `${e.data.errors} error(s), ${e.data.warnings} warning(s)`;
    for (const [i, d] of e.data.items.entries()) {
      Object.assign(this.pushRow(d.severity === 'error' ? 'Compile.Error' : 'Compile.Warning', `${e.id}.d${i + 1}`, e), {
        ParentEventID: e.id,
        CodeStateSection: e.data.file,
        CompileMessageType: `${d.source ?? 'diagnostic'}${d.code ? `(${d.code})` : ''}`,
        CompileMessageData: d.message ?? '(message not recorded at this capture level)',
        SourceLocation: `Text:${d.line + 1}:${d.character + 1}`,
      });
    }
  }

  private pushRow(type: string, id: string, e: EventRecord): ProgSnapRow {
    const row = this.row(type, id, e);
    this.rows.push(row);
    return row;
  }

  /** The project as replay knows it now; undefined when nothing is known. */
  private projectState(session: string, replayer: Replayer): CodeState | undefined {
    const disk = replayer.diskContent();
    const files = new Map<string, StateFile>();
    for (const path of new Set([...this.files, ...disk.keys()])) {
      const onDisk = disk.get(path);
      // Deleted or renamed away: gone from the project, even if an editor still shows it.
      if (onDisk === null) continue;
      const text = replayer.bufferText(session, path) ?? onDisk;
      if (text === undefined) continue;
      const known = this.hashes.get(path);
      const entry = known?.text === text ? known : { text, sha: createHash('sha256').update(text).digest('hex') };
      this.hashes.set(path, entry);
      files.set(path, entry);
    }
    if (files.size === 0) return undefined;
    const id = stateId(files);
    return this.codeStates.get(id) ?? { id, files, ts: 0 };
  }

  private stateOfRow(ts: number): string {
    if (!this.current) return '';
    if (!this.codeStates.has(this.current.id)) this.codeStates.set(this.current.id, Object.assign(this.current, { ts }));
    return this.current.id;
  }
}

/** A code state's id: a hash of its paths and their contents, so equal projects share one directory. */
function stateId(files: Map<string, StateFile>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) hash.update(path).update('\0').update(files.get(path)!.sha).update('\0');
  return hash.digest('hex').slice(0, 20);
}

/** RFC 4180: quote fields holding commas, quotes or line breaks. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',') + '\r\n';
}

/** ProgSnap2 is tables, not JSON rows: one MainTable.csv for all tasks, code states as files. */
export const progsnap2Format: ExportFormatSpec = {
  split: 'train',
  description: `ProgSnap2 (spec ${PROGSNAP2_VERSION}) tables (DatasetMetadata.csv, MainTable.csv) with code states in CodeStates/<id>/ (or, with the Git representation, as commits of the bare repository CodeStates/, a CodeStateID naming its commit), each the whole project as recorded at that event.`,
  schema: null,
  mergeKey: null,
  trajectory: false,
  open({ out, options }) {
    // Streamed: the table of a year of recordings does not fit in memory.
    const table = createWriteStream(join(out, 'MainTable.csv'), { flags: 'wx' });
    const failed = new Promise<never>((_, reject) => table.once('error', reject));
    failed.catch(() => undefined);
    const append = async (text: string) => {
      if (!table.write(text)) await Promise.race([once(table, 'drain'), failed]);
    };
    let written = 0;
    const order = { next: 0 };
    const representation = options?.progsnap2CodeStates ?? 'directory';
    const codeStates: CodeStateWriter = representation === 'git' ? new GitCodeStateWriter(out) : new DirectoryCodeStateWriter(out);
    /** The table up to the last task written: its rows go in once its states are stored. */
    let tableDone = append(csvLine([...PROGSNAP2_COLUMNS]));
    return {
      task(taskId) {
        const rows = new ProgSnapRows(taskId);
        return {
          observer: rows,
          async write() {
            // The task before is in the table (or its failure is this one's).
            await tableDone;
            // States first: in the Git representation a state's id is its commit's, known once stored.
            const { ids } = await codeStates.writeTask(taskId, rows.states());
            const numbered = rows.numbered(order);
            written += numbered.length;
            tableDone = ids.then(async (stored) => {
              let chunk = '';
              for (const row of numbered) {
                if (stored && row.CodeStateID) row.CodeStateID = stored.get(row.CodeStateID)!;
                chunk += csvLine(PROGSNAP2_COLUMNS.map((c) => row[c]));
              }
              await append(chunk);
            });
            tableDone.catch(() => undefined);
          },
        };
      },
      async finish() {
        await tableDone;
        table.end();
        await Promise.race([once(table, 'finish'), failed]);
        const checksums = await codeStates.finish();
        await writeFile(
          join(out, 'DatasetMetadata.csv'),
          csvLine(['Property', 'Value']) +
            datasetMetadata(representation)
              .map((r) => csvLine(r))
              .join(''),
        );
        return { configs: [{ name: 'main_table', split: 'train', files: ['MainTable.csv'] }], rows: written, ...(checksums ? { checksums } : {}) };
      },
    };
  },
};
