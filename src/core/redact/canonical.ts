// R(text): the one redaction every stored text goes through. Line-local (private-key blocks
// are taken whole), so that redacting a few touched lines of a document gives the same result
// as redacting the whole document; half-typed secrets are redacted too (as `suspect`), so that
// no piece of a secret is ever kept while it is being typed.
import { findSecrets, findSuspectTokens, placeholder, type Finding } from './detectors';
import { PLACEHOLDER_PATTERN } from './placeholder';

export interface Span {
  /** Raw offsets of the secret in the text. */
  start: number;
  end: number;
  /** What stands in its place. */
  placeholder: string;
}

/**
 * A finding made (almost) only of placeholders, or of a piece of one, is not a secret:
 * redacting twice must change nothing, and an audit of redacted data must find nothing.
 */
function outsidePlaceholders(text: string): (f: Finding) => boolean {
  const covered = [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => [m.index, m.index + m[0].length] as const);
  return (f) => {
    let rest = '';
    let at = f.start;
    for (const [s, e] of covered) {
      if (e <= at || s >= f.end) continue;
      rest += text.slice(at, Math.max(at, s));
      at = Math.max(at, e);
    }
    rest += text.slice(at, f.end);
    return rest.replace(/[\s"'`,;:=]/g, '').length >= 4;
  };
}

/** Detector findings on text that may already hold placeholders. */
export function findRealSecrets(text: string): Finding[] {
  const found = findSecrets(text);
  return text.includes('«') ? found.filter(outsidePlaceholders(text)) : found;
}

/**
 * Secrets, then half-typed secrets where no secret was found. A half-typed one that runs into a
 * secret (typed right in front of it) keeps the part before it: that part is still a secret's
 * beginning.
 */
export function canonicalFindings(text: string): Finding[] {
  const secrets = findRealSecrets(text);
  const suspects: Finding[] = [];
  const real = text.includes('«') ? outsidePlaceholders(text) : () => true;
  for (const s of findSuspectTokens(text)) {
    if (!real(s)) continue;
    const hit = secrets.find((f) => f.start < s.end && s.start < f.end);
    if (!hit) suspects.push(s);
    else if (s.start < hit.start) suspects.push({ ...s, end: hit.start });
  }
  return suspects.length ? [...secrets, ...suspects].sort((a, b) => a.start - b.start) : secrets;
}

/** Replaces each finding (sorted; overlaps skipped) by its deterministic placeholder. */
export function applyPlaceholders(text: string, findings: readonly Finding[], salt: string): { text: string; spans: Span[] } {
  if (findings.length === 0) return { text, spans: [] };
  const spans: Span[] = [];
  let out = '';
  let at = 0;
  for (const f of findings) {
    if (f.start < at) continue;
    const p = placeholder(f.kind, text.slice(f.start, f.end), salt);
    spans.push({ start: f.start, end: f.end, placeholder: p });
    out += text.slice(at, f.start) + p;
    at = f.end;
  }
  return { text: out + text.slice(at), spans };
}

export function canonicalRedact(text: string, salt: string): { text: string; spans: Span[]; findings: Finding[] } {
  const findings = canonicalFindings(text);
  // Not a spread of the result: it runs per typing run, and V8 copies spreads in its runtime.
  const { text: redacted, spans } = applyPlaceholders(text, findings, salt);
  return { text: redacted, spans, findings };
}
