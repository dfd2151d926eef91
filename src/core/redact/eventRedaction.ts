// The last gate before the store: every text field of every event goes through R, except the
// few that are redacted by construction (edit text, buffer snapshots, disk patches), where a
// second pass could change what replay needs. Fail closed: if redaction throws, the caller
// drops the event.
import type { EventData, EventKind } from '../schema/events';

/** Fields (by kind) already redacted where they are made; every other string is redacted here. */
const REDACTED_AT_SOURCE: Partial<Record<EventKind, ReadonlySet<string>>> = {
  edit: new Set(['changes.text']),
  'file.snapshot': new Set(['text']),
  'file.external': new Set(['patch']),
};

/** Fields that are ids, hashes or enums: never free text. */
const NOT_TEXT = new Set([
  'blob',
  'sha',
  'parents',
  'head',
  'policyHash',
  'terminal',
  'kind',
  'reason',
  'status',
  'source',
  'origin',
  'outcome',
  'severity',
  'change',
  'omitted',
  'confidence',
  'target',
  'captureLevel',
  'from',
  'to',
]);

export function redactEventData<K extends EventKind>(kind: K, data: EventData<K>, redactText: (text: string) => string): EventData<K> {
  const skip = REDACTED_AT_SOURCE[kind];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return skip?.has(path) || NOT_TEXT.has(path.slice(path.lastIndexOf('.') + 1)) ? value : redactText(value);
    if (Array.isArray(value)) return value.map((v) => walk(v, path));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, path ? `${path}.${k}` : k);
      return out;
    }
    return value;
  };
  return walk(data, '') as EventData<K>;
}
