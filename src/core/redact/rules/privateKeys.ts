// Private keys in PEM/OpenSSH/PGP armour. A whole block is one finding, whether its lines are real
// newlines or `\n` escapes inside a JSON string (GCP service-account files). A block still being
// typed has no END line yet: it then runs over the key-like lines that follow the header. Scanned
// a line at a time, a key's body lines carry no header at all, so long base64 lines that stand
// alone are caught as fragments. Follows secretlint-rule-privatekey (header and body shape) and
// gitleaks private-key, widened to ENCRYPTED/PKCS#8 headers and unterminated blocks.
import type { Detector } from '../rule';
import { Rank } from '../finding';
import { charClasses, classSwitchRate, shannonEntropy, vowelShare } from '../entropy';

const BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const END = /-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
// What may stand between header and footer: base64, armour headers (Proc-Type: 4,ENCRYPTED),
// line breaks real or escaped, and the quotes and `+` of a key split over string literals.
const BODY = /^[A-Za-z0-9+/=\s\\"'`+,:.\-]*$/;
// One body line of a block with no footer yet: optional escaped break, optional quote, base64.
const OPEN_BODY_LINE =
  /(?:\\r)?(?:\\n|\r?\n)[ \t]*["'`]?[ \t]*(?:[A-Z][A-Za-z-]+: [^\n\\"']*|[A-Za-z0-9+/]+={0,2}|=[A-Za-z0-9+/]{4}|)[ \t]*["'`]?[ \t]*[+,]?[ \t]*(?=\\r|\\n|\r?\n|$)/y;
const MAX_BLOCK = 64 * 1024;
// A footer line still being typed (or mistyped) right after the body; judged by its own line only,
// so that the block's extent does not depend on what follows it.
const PARTIAL_END = /^(?:\\r)?(?:\\n|\r?\n)[ \t]*-{1,5}(?:END[ A-Z0-9]*-*|EN?)?[ \t]*["'`]?(?=\\r|\\n|\r?\n|$)/;

function base64Count(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) n++;
  }
  return n;
}

export const privateKeyBlocks: Detector = {
  triggers: ['private key'],
  parts: [BEGIN, END, BODY, OPEN_BODY_LINE, PARTIAL_END],
  find(text, out) {
    BEGIN.lastIndex = 0;
    let m: RegExpExecArray | null;
    // The next footer is searched for once per footer, not once per header, so that many
    // headers without footers stay linear.
    let end: RegExpExecArray | null | undefined;
    while ((m = BEGIN.exec(text)) !== null) {
      const start = m.index;
      const headerEnd = start + m[0].length;
      if (end === undefined || (end !== null && end.index < headerEnd)) {
        END.lastIndex = headerEnd;
        end = END.exec(text);
      }
      if (end && end.index - headerEnd <= MAX_BLOCK) {
        // A block ends at the first armour line after its header: a body with `-----` in it (another
        // header, a mangled footer) is not one block.
        const body = text.slice(headerEnd, end.index);
        if (!body.includes('-----') && BODY.test(body) && base64Count(body) >= 16) {
          out.push({ kind: 'private-key', start, end: end.index + end[0].length, rank: Rank.block });
          BEGIN.lastIndex = end.index + end[0].length;
          continue;
        }
      }
      // No footer (yet): take the key-like lines that follow the header.
      let pos = headerEnd;
      let last = headerEnd;
      let b64 = 0;
      while (pos < text.length) {
        OPEN_BODY_LINE.lastIndex = pos;
        const line = OPEN_BODY_LINE.exec(text);
        if (!line || line[0].length === 0) break;
        const n = base64Count(line[0]);
        pos = OPEN_BODY_LINE.lastIndex;
        if (n > 0) {
          b64 += n;
          last = pos;
        }
        if (pos - headerEnd > MAX_BLOCK) break;
      }
      // The footer itself may be half typed (-----END RSA PRIV).
      const footer = PARTIAL_END.exec(text.slice(last));
      if (footer) last += footer[0].length;
      if (b64 >= 16) out.push({ kind: 'private-key', start, end: last, rank: Rank.block });
      BEGIN.lastIndex = Math.max(headerEnd, last);
    }
  },
};

// A line that is nothing but base64 (maybe quoted, maybe with an escaped line break), long and
// mixed enough that it is key material rather than a word or a hex digest.
const FRAGMENT_LINE = /^[ \t]*(?:\\n)?["'`]?(?:\\n)?((?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{0,3}={0,2}))(?:\\n)?["'`]?(?:\\n)?[ \t]*[+,]?[ \t]*$/gm;

export const privateKeyFragments: Detector = {
  triggers: [],
  parts: [FRAGMENT_LINE, String(isKeyMaterial)],
  find(text, out) {
    if (text.length < 20) return;
    FRAGMENT_LINE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = FRAGMENT_LINE.exec(text)) !== null) {
      const body = m[1] ?? '';
      if (isKeyMaterial(body)) {
        const start = m.index + m[0].indexOf(body);
        out.push({ kind: 'private-key-fragment', start, end: start + body.length, rank: Rank.structural });
      }
      if (m[0].length === 0) FRAGMENT_LINE.lastIndex++;
    }
  },
};

function isKeyMaterial(body: string): boolean {
  const c = charClasses(body);
  if (!(c.lower && c.upper && c.digit)) return false;
  // Random base64 changes character class at about two characters in three; camelCase names
  // and words far less often.
  if (classSwitchRate(body) < 0.35) return false;
  const entropy = shannonEntropy(body);
  // PEM lines are 64 characters (OpenSSH 70, PGP 64); the last line of a block is shorter and
  // often ends in padding.
  if (body.length >= 40) return entropy >= 4.2;
  // Short lines could be identifiers (kHTTP2InitialWindowSize): random base64 has few vowels.
  const runs = body.match(/[a-z]+/g) ?? [];
  const meanLowerRun = runs.reduce((n, r) => n + r.length, 0) / Math.max(1, runs.length);
  return body.length >= 20 && entropy >= 3.9 && vowelShare(body) < 0.3 && meanLowerRun < 2.5;
}

export const privateKeyDetectors: readonly Detector[] = [privateKeyBlocks, privateKeyFragments];

