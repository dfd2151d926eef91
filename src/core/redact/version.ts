// Which rule set redacted an export, recorded in its provenance. Bump the version whenever a rule
// changes what is found; a test pins the fingerprint of the rule tables to the version, so a
// changed table without a new version fails.
import { createHash } from 'node:crypto';
import { DETECTORS } from './findSecrets';
import { VENDOR_RULES } from './rules/vendorTokens';

export const REDACTION_RULES_VERSION = '1';

/** A digest of the rule tables and detector sources (regular expressions, word lists, code). */
export function rulesFingerprint(): string {
  const hash = createHash('sha256');
  for (const rule of VENDOR_RULES) hash.update(`${rule.kind}\0${rule.pattern.source}\0${rule.pattern.flags}\0${String(rule.accept ?? '')}\n`);
  for (const detector of DETECTORS) hash.update(`${detector.triggers.join(',')}\0${String(detector.find)}\n`);
  return hash.digest('hex').slice(0, 16);
}
