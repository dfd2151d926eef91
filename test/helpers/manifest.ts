// package.json as written (with %key% placeholders) and as VS Code shows it in English (each
// placeholder replaced from package.nls.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const projectRoot = join(__dirname, '../../..');
export const rawManifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
export const nlsStrings = JSON.parse(readFileSync(join(projectRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;

const PLACEHOLDER = /^%([^%\s]+)%$/;

/** Every string of `value` that is a %key% placeholder, with the path where it occurs. */
export function placeholders(value: unknown, path = ''): { path: string; key: string }[] {
  if (typeof value === 'string') {
    const m = PLACEHOLDER.exec(value);
    return m ? [{ path, key: m[1]! }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholders(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => placeholders(v, path ? `${path}.${k}` : k));
  return [];
}

function localize(value: unknown): unknown {
  if (typeof value === 'string') {
    const m = PLACEHOLDER.exec(value);
    return m && nlsStrings[m[1]!] !== undefined ? nlsStrings[m[1]!] : value;
  }
  if (Array.isArray(value)) return value.map(localize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localize(v)]));
  return value;
}

/** package.json with its placeholders replaced by the English strings. */
export const manifest = localize(rawManifest) as typeof rawManifest;
