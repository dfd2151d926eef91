// The two keys for one repository, turned into one state: is there a committed, valid, enabled
// policy, and has this engineer consented to exactly that policy?
import type { ConsentLedger } from './consent';
import { parsePolicy, type Policy } from './policy';

export type RepoState =
  | { kind: 'no-policy' }
  | { kind: 'not-committed' }
  | { kind: 'invalid'; hash: string; errors: string[]; warnings: string[] }
  | { kind: 'disabled'; hash: string; warnings: string[] }
  | { kind: 'needs-consent'; policy: Policy; hash: string; warnings: string[]; policyChanged: boolean }
  | { kind: 'consented'; policy: Policy; hash: string; warnings: string[]; consentAt: number };

export interface PolicyTexts {
  /** The policy file at HEAD: the only version in force. */
  committed: string | undefined;
  /** The file in the working tree, to tell "not committed yet" from "no policy". */
  onDisk: string | undefined;
}

export function evaluateRepoState(root: string, texts: PolicyTexts, consent: ConsentLedger): RepoState {
  if (texts.committed === undefined) return texts.onDisk === undefined ? { kind: 'no-policy' } : { kind: 'not-committed' };
  const check = parsePolicy(texts.committed);
  const warnings = [...check.warnings];
  if (texts.onDisk !== undefined && texts.onDisk !== texts.committed) warnings.push('uncommitted changes to the policy file take effect only once committed');
  if (!check.ok) return { kind: 'invalid', hash: check.hash, errors: check.errors, warnings };
  if (!check.policy.enabled) return { kind: 'disabled', hash: check.hash, warnings };
  const given = consent.get(root);
  if (given?.policyHash === check.hash) return { kind: 'consented', policy: check.policy, hash: check.hash, warnings, consentAt: given.at };
  return { kind: 'needs-consent', policy: check.policy, hash: check.hash, warnings, policyChanged: given !== undefined };
}
