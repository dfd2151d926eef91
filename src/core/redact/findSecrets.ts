// Runs every rule over a text and resolves their reports into sorted, disjoint findings. A rule
// runs only when one of its trigger words occurs in the text, which keeps an ordinary code line
// to one regex pass plus the few rules it triggers.
import { patternDetector, type Detector } from './rule';
import { resolveOverlaps, type Candidate, type Finding } from './finding';
import { assignmentDetectors } from './rules/assignments';
import { commandLineSecrets } from './rules/commandLines';
import { headerDetectors } from './rules/headers';
import { personalDetectors } from './rules/personal';
import { privateKeyDetectors } from './rules/privateKeys';
import { urlDetectors } from './rules/urls';
import { VENDOR_RULES } from './rules/vendorTokens';
import { TriggerIndex } from './triggers';

export const DETECTORS: readonly Detector[] = [
  ...VENDOR_RULES.map(patternDetector),
  ...privateKeyDetectors,
  ...urlDetectors,
  ...headerDetectors,
  ...assignmentDetectors,
  commandLineSecrets,
  ...personalDetectors,
];

const TRIGGERS = new TriggerIndex(DETECTORS.map((d) => d.triggers));

/** Secret and personal-data spans in `text`: sorted, non-overlapping, offsets into `text`. */
export function findSecrets(text: string): Finding[] {
  if (text.length === 0) return [];
  const candidates: Candidate[] = [];
  for (const i of TRIGGERS.triggered(text)) DETECTORS[i]?.find(text, candidates);
  return resolveOverlaps(dropEmailsInsideUrlCredentials(candidates));
}

// In postgres://user:pass@db.corp.com the e-mail rule sees pass@db.corp.com; the credential
// is already covered and the host is no one's address.
function dropEmailsInsideUrlCredentials(candidates: Candidate[]): Candidate[] {
  const creds = candidates.filter((c) => c.kind === 'url-credentials');
  if (creds.length === 0) return candidates;
  return candidates.filter((c) => c.kind !== 'email' || !creds.some((u) => c.start >= u.start && c.start < u.end));
}
