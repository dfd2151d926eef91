import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulidx';

/**
 * Random bytes for ids, drawn from the system's generator a pool at a time: ulidx's own source asks
 * it for one byte per character (16 calls per id, most of the cost of recording an event).
 */
const pool = Buffer.alloc(4096);
let next = pool.length;
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 256;
}

/** Sortable unique ids (ULID); monotonic so that ids made in one millisecond still sort in order. */
export const newUlid: (now?: number) => string = monotonicFactory(pooledRandom);

/** A random pseudonymous contributor id, made once per installation and never derived from a name. */
export function newContributorId(): string {
  return 'c_' + randomBytes(8).toString('hex');
}
