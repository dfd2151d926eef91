// Validation of stored lines. One compiled checker per kind, chosen by the record's `kind`, so a
// reader pays for one object check per line rather than trying every member of the union.
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type * as Events from './events';
import type { EventKind, EventRecord } from './events';
import { EVENT_SCHEMA_VERSION } from './version';

let checkers: Map<string, TypeCheck<ReturnType<typeof Events.recordOf>>> | undefined;

/** The schema is built when a line is first checked: a bundle that only lists the store's segments
 * (the extension's recorder) then holds none of it. */
function compileCheckers() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use on purpose
  const { EVENT_KINDS, recordOf } = require('./events') as typeof Events;
  return new Map(EVENT_KINDS.map((k) => [k, TypeCompiler.Compile(recordOf(k))]));
}

function checkerFor(kind: string) {
  checkers ??= compileCheckers();
  return checkers.get(kind);
}

export type ParsedLine = { ok: true; record: EventRecord } | { ok: false; error: string };

/** Checks a decoded value against schema v1 and says what is wrong in one line. */
export function checkRecord(value: unknown): ParsedLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'not a JSON object' };
  const { v, kind } = value as { v?: unknown; kind?: unknown };
  if (v !== EVENT_SCHEMA_VERSION) return { ok: false, error: `unsupported schema version ${JSON.stringify(v)} (expected ${EVENT_SCHEMA_VERSION})` };
  const checker = typeof kind === 'string' ? checkerFor(kind) : undefined;
  if (!checker) return { ok: false, error: `unknown event kind ${JSON.stringify(kind)}` };
  if (checker.Check(value)) return { ok: true, record: value as EventRecord };
  const first = checker.Errors(value).First();
  return { ok: false, error: first ? `${first.path || '/'}: ${first.message}` : 'does not match the schema' };
}

export function parseRecordLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${(err as Error).message}` };
  }
  return checkRecord(value);
}

export function isKind<K extends EventKind>(record: EventRecord, kind: K): record is Extract<EventRecord, { kind: K }> {
  return record.kind === kind;
}
