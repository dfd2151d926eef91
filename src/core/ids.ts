import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulidx';

/** Sortable unique ids (ULID); monotonic so that ids made in one millisecond still sort in order. */
export const newUlid: (now?: number) => string = monotonicFactory();

/** A random pseudonymous contributor id, made once per installation and never derived from a name. */
export function newContributorId(): string {
  return 'c_' + randomBytes(8).toString('hex');
}
