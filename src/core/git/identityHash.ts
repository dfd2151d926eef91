// Git author names and e-mails never enter a record: they are replaced by a keyed hash. The key is
// the installation's random salt, so the same person hashes the same within one installation
// (work can be grouped) but the hash cannot be checked against a guessed name without the salt.
import { createHmac } from 'node:crypto';

/** Same value and salt, same hash: `p_` and 16 hex digits (64 bits, enough not to collide within a store). */
export function identityHasher(salt: string): (value: string) => string {
  return (value) => 'p_' + createHmac('sha256', salt).update(`codetrail:identity:${value}`).digest('hex').slice(0, 16);
}
