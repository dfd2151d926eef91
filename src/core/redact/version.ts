// Which rule set redacted an export, recorded in its provenance. Bump the version whenever a rule
// changes what is found; a test pins the fingerprint of the rule tables to the version, so a
// changed table without a new version fails.
import { createHash } from 'node:crypto';
import { looksRandom } from './entropy';
import { FAKE_PARTS } from './fakeValues';
import { DETECTORS } from './findSecrets';
import { VENDOR_RULES } from './rules/vendorTokens';
import { NAME_PARTS } from './secretNames';

export const REDACTION_RULES_VERSION = '2';

function describe(part: RegExp | string | ReadonlySet<string>): string {
  return part instanceof RegExp ? `${part.source}/${part.flags}` : typeof part === 'string' ? part : [...part].join(',');
}

/**
 * A digest of the rule tables: vendor patterns, each detector's triggers, entry point and declared
 * patterns and word lists. Helper code outside those is not covered; bump the version for it too.
 * It hashes function source text, so it is comparable only within one build (the test pins tsc's).
 */
export function rulesFingerprint(): string {
  const hash = createHash('sha256');
  for (const rule of VENDOR_RULES) hash.update(`${rule.kind}\0${rule.pattern.source}\0${rule.pattern.flags}\0${String(rule.accept ?? '')}\n`);
  for (const detector of DETECTORS) {
    hash.update(`${detector.triggers.join(',')}\0${String(detector.find)}\n`);
    for (const part of detector.parts ?? []) hash.update(`${describe(part)}\n`);
  }
  for (const part of [...NAME_PARTS, ...FAKE_PARTS, String(looksRandom)]) hash.update(`${describe(part)}\n`);
  return hash.digest('hex').slice(0, 16);
}
