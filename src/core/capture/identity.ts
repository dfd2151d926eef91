// Who is recording, pseudonymously: a random id per installation, and a salt for hashing
// anything personal (author names, e-mails). Neither is ever derived from the person.
import { randomBytes } from 'node:crypto';
import { newContributorId } from '../base/ids';
import type { KeyValueState } from '../base/state';

export interface Identity {
  contributorId: string;
  salt: string;
}

const KEY = 'codetrail.identity.v1';

export async function loadIdentity(state: KeyValueState): Promise<Identity> {
  const existing = state.get<Identity>(KEY);
  if (existing && /^c_[0-9a-f]{16}$/.test(existing.contributorId) && typeof existing.salt === 'string') return existing;
  const identity = { contributorId: newContributorId(), salt: randomBytes(16).toString('hex') };
  await state.update(KEY, identity);
  return identity;
}
