import { newUlid } from '../../src/core/base/ids';
import type { EventRecord } from '../../src/core/schema/events';

export const SESSION = newUlid();
export const REPO = 'r_0123456789abcdef';
export const CONTRIBUTOR = 'c_fedcba9876543210';

/** A valid edit record; `overrides` replaces envelope fields. */
export function editRecord(file: string, text: string, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    v: 1,
    id: newUlid(),
    ts: Date.now(),
    session: SESSION,
    task: null,
    repo: REPO,
    contributor: CONTRIBUTOR,
    kind: 'edit',
    origin: 'typing',
    data: { file, fromVersion: 1, version: 2, changes: [{ offset: 0, length: 0, text, textLength: text.length }], keystrokes: 1, durationMs: 0 },
    ...overrides,
  } as EventRecord;
}
