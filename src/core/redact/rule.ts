// The shape every rule takes, and the runner for the common case: one regular expression whose
// match (or first capture group) is the secret.
import type { Candidate } from './finding';

export interface Detector {
  /** Lower-case substrings; the detector runs only if the lower-cased text contains one. */
  readonly triggers: readonly string[];
  find(text: string, out: Candidate[]): void;
  /** The detector's patterns and word lists, for the rule-set fingerprint. */
  readonly parts?: ReadonlyArray<RegExp | string | ReadonlySet<string>>;
}

export interface PatternRule {
  kind: string;
  /** The public rule set this rule follows, so it can be compared when that set changes. */
  follows: string;
  triggers: readonly string[];
  /** Global (and, when it has a capture group, `d`) flags; group 1, if any, is the secret. */
  pattern: RegExp;
  rank: number;
  /** Extra check on the matched secret (entropy, known examples). */
  accept?: (secret: string) => boolean;
  /** How the secret starts while it is still being typed, for suspect-token detection. */
  partial?: { prefixes: readonly string[]; chars: string; digitInTail?: readonly string[]; atLineEndOnly?: boolean };
}

export function patternDetector(rule: PatternRule): Detector {
  const { pattern, kind, rank, accept } = rule;
  return {
    triggers: rule.triggers,
    find(text, out) {
      pattern.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = pattern.exec(text)) !== null) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        const span = m.indices?.[1] ?? [m.index, m.index + m[0].length];
        const secret = text.slice(span[0], span[1]);
        if (secret.length === 0 || (accept && !accept(secret))) continue;
        out.push({ kind, start: span[0], end: span[1], rank });
      }
    },
  };
}
