// The last pass before the store: every text field of every event goes through R, except the
// few that are redacted at their source, where the whole document is known (edit text, buffer
// snapshots, disk patches): a second pass over a piece of a line could change what replay needs.
// Those fields are typed `RedactedText` in what capture hands over (`CapturedData`), from the
// same table the pass skips them by, so a capture path cannot leave one raw. Fail closed: if
// redaction throws, the caller drops the event.
import type { EventData, EventKind } from '../schema/events';
import type { RedactedText } from './redacted';

/** Per kind, the one field (a dotted path; arrays are walked through) redacted where it is made. */
export const REDACTED_AT_SOURCE = { edit: 'changes.text', 'file.snapshot': 'text', 'file.external': 'patch' } as const satisfies Partial<
  Record<EventKind, string>
>;
type AtSource = typeof REDACTED_AT_SOURCE;

/** `T` with the string at dotted path `P` required to be redacted. */
type RedactedAt<T, P extends string> = T extends unknown
  ? P extends `${infer Head}.${infer Rest}`
    ? { [F in keyof T]: F extends Head ? RedactedIn<T[F], Rest> : T[F] }
    : { [F in keyof T]: F extends P ? Exclude<T[F], string> | RedactedText : T[F] }
  : never;
type RedactedIn<V, P extends string> = V extends readonly (infer E)[] ? RedactedAt<E, P>[] : V extends object ? RedactedAt<V, P> : V;

/** An event's data as capture hands it over: raw text, except the fields redacted at their source. */
export type CapturedData<K extends EventKind> = K extends keyof AtSource ? RedactedAt<EventData<K>, AtSource[K]> : EventData<K>;

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

/** Applies `redactText` to every free-text field of `data` but the one redacted at its source. */
export function redactEventData<K extends EventKind>(kind: K, data: EventData<K>, redactText: (text: string) => string): EventData<K> {
  const skip: string | undefined = (REDACTED_AT_SOURCE as Partial<Record<EventKind, string>>)[kind];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return path === skip || NOT_TEXT.has(path.slice(path.lastIndexOf('.') + 1)) ? value : redactText(value);
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
