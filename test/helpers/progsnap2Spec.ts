// A ProgSnap2 validator driven by the spec's machine-readable definition (test/fixtures/progsnap2/
// spec.json, extracted from the ProgSnap2 toolbox's progsnap2-v1.0.yaml by
// scripts/progsnap2-spec.mjs). It applies the toolbox's own rules (spec/event_validator.py: the
// event type is known; required columns are there; a column that is neither universal nor listed
// for the row's event type is unexpected; values fit their datatype) and the rules the spec states
// in words: enum values from their vocabulary, X- for extensions, scores in [0, 1], parent events
// that exist, test ids not shared across problems, the metadata table, and code states (Directory or Git)
// that hold the whole project. The CSV is read by DuckDB, not by the code that wrote it.
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { projectRoot } from './manifest';

export interface Ps2Spec {
  source: { repository: string; path: string; commit: string; git_blob: string; licence: string };
  version: string;
  enum_types: Record<string, string[]>;
  metadata: { name: string; datatype: string; default: string | boolean | null }[];
  columns: { name: string; requirement: 'Required' | 'Optional' | 'EventSpecific'; datatype: string }[];
  event_types: { name: string; required: string[]; optional: string[] }[];
}

export const PS2_SPEC = JSON.parse(readFileSync(join(projectRoot, 'test/fixtures/progsnap2/spec.json'), 'utf8')) as Ps2Spec;

/** The toolbox's timestamp forms (datatypes.py TIMESTAMP_FORMATS); the validator also wants a zone. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$/;
const isExtension = (name: string) => name.startsWith('X-');

/** The problem with `value` as a `datatype` value, if any. Enum columns are checked against their vocabulary. */
function datatypeProblem(spec: Ps2Spec, column: string, datatype: string, value: string): string | undefined {
  switch (datatype) {
    case 'Integer':
      return /^-?\d+$/.test(value) ? undefined : 'not an integer';
    case 'Real':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) ? undefined : 'not a real number';
    case 'Boolean':
      return /^(true|false)$/i.test(value) ? undefined : 'not a boolean';
    case 'Timestamp':
      return TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'not a timestamp with a time zone';
    case 'Enum': {
      const vocabulary = spec.enum_types[column];
      if (!vocabulary) return undefined;
      return vocabulary.includes(value) ? undefined : `not in the ${column} vocabulary (${vocabulary.join(', ')})`;
    }
    default:
      return undefined;
  }
}

async function readCsv(path: string): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const lit = `'${path.replace(/'/g, "''")}'`;
    const reader = `read_csv(${lit}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = ${await columnsClause(path)})`;
    const rows = (await con.runAndReadAll(`SELECT * FROM ${reader}`)).getRowObjectsJson() as Record<string, string | null>[];
    const header = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`)).getRowObjectsJson().map((r) => String(r.column_name));
    return { header, rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? '']))) };
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

/** Every header name as a VARCHAR column: DuckDB's sniffer would otherwise rename or type them. */
async function columnsClause(path: string): Promise<string> {
  // Column names hold no commas or quotes (the spec's and X- names): the first line splits as is.
  const first = (await readFile(path, 'utf8')).split(/\r?\n/, 1)[0]!;
  return `{${first
    .split(',')
    .map((n) => `'${n.replace(/'/g, "''")}': 'VARCHAR'`)
    .join(', ')}}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(d, entry.name));
      else out.push(relative(dir, join(d, entry.name)).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/** `git` in the export's code states repository (the Git representation), its output as bytes. */
function gitIn(dir: string, args: string[]): Buffer {
  return execFileSync('git', [`--git-dir=${join(dir, 'CodeStates')}`, ...args], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The files of one code state, path → content, in either representation, as a reader of the dataset finds them. */
export async function readCodeState(dir: string, representation: 'Directory' | 'Git', id: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (representation === 'Directory') {
    for (const path of await filesUnder(join(dir, 'CodeStates', id))) files.set(path, await readFile(join(dir, 'CodeStates', id, path), 'utf8'));
    return files;
  }
  for (const entry of gitIn(dir, ['ls-tree', '-r', '-z', id]).toString('utf8').split('\0').filter(Boolean)) {
    const [meta, path] = [entry.slice(0, entry.indexOf('\t')), entry.slice(entry.indexOf('\t') + 1)];
    files.set(path, gitIn(dir, ['cat-file', 'blob', meta.split(' ')[2]!]).toString('utf8'));
  }
  return files;
}

/** A MainTable row by column name ('' where empty); the universal columns are always there. */
export type Ps2Row = Record<string, string> & Record<'EventType' | 'EventID' | 'SubjectID' | 'ToolInstances' | 'CodeStateID', string>;

export interface Ps2Report {
  problems: string[];
  rows: Ps2Row[];
  /** CodeStateID → the files of that state. */
  states: Map<string, string[]>;
}

/** Validates the ProgSnap2 dataset in `dir`; every problem found, none when it conforms. */
export async function validateProgSnap2(dir: string, spec: Ps2Spec = PS2_SPEC): Promise<Ps2Report> {
  const problems: string[] = [];
  const columns = new Map(spec.columns.map((c) => [c.name, c]));
  const types = new Map(spec.event_types.map((t) => [t.name, t]));

  // DatasetMetadata: known properties, typed values, Restricted scope naming MainTable columns.
  const meta = await readCsv(join(dir, 'DatasetMetadata.csv'));
  if (meta.header.join(',') !== 'Property,Value') problems.push(`DatasetMetadata.csv: header is ${meta.header.join(',')}, not Property,Value`);
  const props = new Map(meta.rows.map((r) => [r.Property!, r.Value!]));
  for (const [name, value] of props) {
    const prop = spec.metadata.find((p) => p.name === name);
    if (!prop) problems.push(`DatasetMetadata.csv: unknown property ${name}`);
    else {
      const problem = datatypeProblem(spec, name, prop.datatype, value);
      if (problem) problems.push(`DatasetMetadata.csv: ${name} = ${JSON.stringify(value)}: ${problem}`);
    }
  }
  if ((props.get('Version') ?? '') !== spec.version)
    problems.push(`DatasetMetadata.csv: Version ${JSON.stringify(props.get('Version'))} is not the spec's ${spec.version}`);
  const representation = props.get('CodeStateRepresentation') ?? String(spec.metadata.find((p) => p.name === 'CodeStateRepresentation')?.default);
  const scopeColumns = props.get('EventOrderScope') === 'Restricted' ? (props.get('EventOrderScopeColumns') ?? '').split(';').filter(Boolean) : [];
  if (props.get('EventOrderScope') === 'Restricted' && scopeColumns.length === 0)
    problems.push('DatasetMetadata.csv: EventOrderScope is Restricted but EventOrderScopeColumns is empty');

  // MainTable: header, then each row by its event type.
  const { header, rows } = await readCsv(join(dir, 'MainTable.csv'));
  for (const name of header)
    if (!columns.has(name) && !isExtension(name)) problems.push(`MainTable.csv: column ${name} is not in the spec and not an X- extension`);
  for (const c of spec.columns)
    if (c.requirement === 'Required' && !header.includes(c.name)) problems.push(`MainTable.csv: required column ${c.name} is missing`);
  for (const name of scopeColumns)
    if (!header.includes(name)) problems.push(`DatasetMetadata.csv: EventOrderScopeColumns names ${name}, not a MainTable column`);

  const universal = new Set(spec.columns.filter((c) => c.requirement !== 'EventSpecific').map((c) => c.name));
  const ids = new Set<string>();
  const testProblems = new Map<string, string>();
  const known = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const where = `MainTable.csv row ${i + 2} (${row.EventType} ${row.EventID})`;
    const type = types.get(row.EventType!);
    if (!type && !isExtension(row.EventType!)) problems.push(`${where}: event type ${row.EventType} is not in the spec and not an X- extension`);
    const required = [...spec.columns.filter((c) => c.requirement === 'Required').map((c) => c.name), ...(type?.required ?? [])];
    const allowed = new Set([...universal, ...(type?.required ?? []), ...(type?.optional ?? [])]);
    for (const name of required) {
      // The spec's own words: CodeStateID "should be left blank to indicate that it is unknown",
      // which it is only before a task's first recorded state (its files are not known yet).
      const unknownState = name === 'CodeStateID' && !known.has(row.ProblemID ?? '');
      if (!row[name] && !unknownState) problems.push(`${where}: required column ${name} is empty`);
    }
    if (row.CodeStateID) known.add(row.ProblemID ?? '');
    for (const [name, value] of Object.entries(row)) {
      if (!value) continue;
      if (!allowed.has(name) && !isExtension(name)) problems.push(`${where}: column ${name} is not expected on ${row.EventType}`);
      const column = columns.get(name);
      const problem = column && datatypeProblem(spec, name, column.datatype, value);
      if (problem) problems.push(`${where}: ${name} = ${JSON.stringify(value)}: ${problem}`);
    }
    if (row.Score && !(Number(row.Score) >= 0 && Number(row.Score) <= 1)) problems.push(`${where}: Score ${row.Score} is outside [0, 1]`);
    if (row.DestinationCodeStateSection && !row.CodeStateSection) problems.push(`${where}: DestinationCodeStateSection without a CodeStateSection`);
    for (const name of scopeColumns) if (!row[name]) problems.push(`${where}: ${name} is empty, so its Order cannot be placed in its scope`);
    if (ids.has(row.EventID!)) problems.push(`${where}: EventID ${row.EventID} is not unique`);
    ids.add(row.EventID!);
    if (row.TestID) {
      const problem = testProblems.get(row.TestID) ?? row.ProblemID!;
      if (problem !== row.ProblemID) problems.push(`${where}: TestID ${row.TestID} is reused across problems (${problem}, ${row.ProblemID})`);
      testProblems.set(row.TestID, problem);
    }
  }
  for (const [i, row] of rows.entries())
    if (row.ParentEventID && !ids.has(row.ParentEventID)) problems.push(`MainTable.csv row ${i + 2}: ParentEventID ${row.ParentEventID} names no event`);

  // Code states: each one named is a directory of the project's files, or a commit of the
  // CodeStates repository whose tree they are (the Git representation).
  const states = new Map<string, string[]>();
  if (representation !== 'Directory' && representation !== 'Git')
    problems.push(`CodeStateRepresentation ${representation}: this validator reads Directory and Git code states`);
  else {
    for (const id of new Set(rows.map((r) => r.CodeStateID!).filter(Boolean))) {
      if (representation === 'Git') {
        let files: string[] | undefined;
        try {
          gitIn(dir, ['cat-file', '-e', `${id}^{commit}`]);
          files = gitIn(dir, ['ls-tree', '-r', '-z', '--name-only', id]).toString('utf8').split('\0').filter(Boolean).sort();
        } catch {
          problems.push(`CodeStates: ${id}, named by MainTable.csv, is not a commit of the repository`);
        }
        if (files) states.set(id, files);
        continue;
      }
      const path = join(dir, 'CodeStates', id);
      const isDir = await stat(path).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isDir) problems.push(`CodeStates/${id}: named by MainTable.csv, not a directory`);
      else states.set(id, await filesUnder(path));
    }
    // The file an edit, a save or a diagnostic is about is in the project state the row names.
    for (const [i, row] of rows.entries()) {
      const files = states.get(row.CodeStateID!);
      if (!files || !row.CodeStateSection || !/^(File\.(Edit|Save)|Compile.*)$/.test(row.EventType!)) continue;
      if (!files.includes(row.CodeStateSection))
        problems.push(`MainTable.csv row ${i + 2} (${row.EventType}): CodeStateSection ${row.CodeStateSection} is not in code state ${row.CodeStateID}`);
    }
  }
  return { problems, rows: rows as Ps2Row[], states };
}
