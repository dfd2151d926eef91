// Replaces every finding by its placeholder. Findings keep offsets into the input, so a caller
// can report where something was removed without holding the removed text.
import type { Finding } from './finding';
import { findSecrets } from './findSecrets';
import { placeholder } from './placeholder';

export function redact(text: string, salt: string): { text: string; findings: Finding[] } {
  const findings = findSecrets(text);
  if (findings.length === 0) return { text, findings };
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + placeholder(f.kind, text.slice(f.start, f.end), salt);
    at = f.end;
  }
  return { text: out + text.slice(at), findings };
}
