import { createHash } from 'node:crypto';

/** The id git gives this text as a blob (UTF-8), so replayed content can be checked against commits. */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
