// What a finding is replaced by. Secrets and e-mail addresses become a keyed hash tag, so the same
// value reads the same across a recording (a model can still see "the same token was reused")
// without the value being recoverable; the salt is per store, so tags do not link stores. A home
// path keeps its shape and loses only the user name.
import { createHmac } from 'node:crypto';

/** Every placeholder this module (and word redaction, `«redacted:tag»`) writes: `«kind[:sub]:tag»`. */
export const PLACEHOLDER_PATTERN = /«[a-z]+(?::[a-z0-9-]+)?:[0-9a-f]{6}»/g;

export function placeholder(kind: string, secret: string, salt: string): string {
  if (kind === 'home-path') {
    const sep = /(\\\\|\\|\/)$/.exec(secret)?.[1] ?? '';
    return `~${sep}`;
  }
  const tag = createHmac('sha256', salt).update(secret, 'utf8').digest('hex').slice(0, 6);
  return kind === 'email' ? `«email:${tag}»` : `«secret:${kind}:${tag}»`;
}
