// Is a string random enough to be a credential? Names alone cannot decide (`tokenType = 'Bearer'`),
// so values assigned to secret-sounding names are weighed here: length, character classes and
// Shannon entropy, after ruling out the shapes ordinary identifiers, paths and words take.

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const n = value.length;
  if (n === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Share of vowels among the letters of `value`: about 0.4 in words, 0.2 in random letters. */
export function vowelShare(value: string): number {
  const letters = value.replace(/[^A-Za-z]/g, '');
  if (letters.length === 0) return 0;
  return (letters.match(/[aeiouAEIOU]/g) ?? []).length / letters.length;
}

export interface CharClasses {
  lower: boolean;
  upper: boolean;
  digit: boolean;
  symbol: boolean;
}

export function charClasses(value: string): CharClasses {
  return {
    lower: /[a-z]/.test(value),
    upper: /[A-Z]/.test(value),
    digit: /[0-9]/.test(value),
    symbol: /[^A-Za-z0-9]/.test(value),
  };
}

function classOf(code: number): number {
  if (code >= 97 && code <= 122) return 0;
  if (code >= 65 && code <= 90) return 1;
  if (code >= 48 && code <= 57) return 2;
  return 3;
}

/** Share of adjacent character pairs that change class (lower, upper, digit, other). */
export function classSwitchRate(value: string): number {
  if (value.length < 2) return 0;
  let switches = 0;
  let prev = classOf(value.charCodeAt(0));
  for (let i = 1; i < value.length; i++) {
    const cls = classOf(value.charCodeAt(i));
    if (cls !== prev) switches++;
    prev = cls;
  }
  return switches / (value.length - 1);
}

function classCount(c: CharClasses): number {
  return Number(c.lower) + Number(c.upper) + Number(c.digit) + Number(c.symbol);
}

// Shapes that carry no secret even when long: words joined into identifiers, dotted member
// chains, paths, URLs, versions, MIME types, CSS-ish and template-ish text.
// (Each word starts at a capital or after a separator, so matching cannot backtrack exponentially.)
const IDENTIFIER_WORDS = /^[A-Za-z][a-z]*(?:[A-Z][a-z]*|[-_.: ][A-Za-z][a-z]*)*$/;
const UPPER_WORDS = /^[A-Z]+(?:[-_.][A-Z]+)*$/;
const PATH_START = /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/;
// A path segment is a word, a kebab/snake name or a file name; random base64 between slashes
// (AWS secret keys) is none of these.
const PATH_SEGMENT = /^(?:[a-z0-9@._-]*|[A-Z][a-z0-9._-]*|[A-Z0-9_]+)$/;
const URLISH = /^[a-z][a-z0-9+.-]*:\/\//i;
const VERSIONISH = /^v?\d+(?:\.\d+)+(?:[-+][\w.]+)?$/;
const DIGITS_ONLY = /^[\d_.,:-]+$/;

export function isPathLike(value: string): boolean {
  if (!value.includes('/') && !value.includes('\\')) return false;
  const rest = value.replace(PATH_START, '');
  return rest.split(/[\/\\]/).every((segment) => PATH_SEGMENT.test(segment));
}

/**
 * Letters only, yet random? Identifiers read as words: about a third vowels, lower-case runs of
 * four or more (getElementById), capitals alone or in one acronym (XMLHttpRequest). Random
 * letters have a fifth vowels, lower-case runs of about two, and capitals in many small runs.
 * Two of the three signs must agree.
 */
function randomLetters(value: string): boolean {
  const letters = value.replace(/[^A-Za-z]/g, '');
  if (letters.length < 16 || !/[a-z]/.test(letters) || !/[A-Z]/.test(letters)) return false;
  const vowels = vowelShare(letters);
  const runs = value.match(/[a-z]+/g) ?? [];
  const meanRun = runs.reduce((n, r) => n + r.length, 0) / Math.max(1, runs.length);
  const upperRuns = (value.match(/[A-Z]{2,}/g) ?? []).length;
  return Number(vowels < 0.3) + Number(meanRun < 3) + Number(upperRuns >= 3) >= 2;
}

/** A word with a short number (signature1, token2024): a name or an example, not a key. */
export function isNumberedWord(value: string): boolean {
  const numbered = /^([A-Za-z][A-Za-z_-]*?)[-_]?\d{1,4}$/.exec(value);
  return numbered !== null && IDENTIFIER_WORDS.test(numbered[1] ?? '') && vowelShare(numbered[1] ?? '') >= 0.25;
}

/**
 * True for values that look like generated credentials: at least `minLength` characters with no
 * whitespace, not an identifier/path/URL/version shape, mixing character classes, and with
 * entropy close to what a random string of that length would have.
 */
export function looksRandom(value: string, minLength = 8): boolean {
  if (value.length < minLength || value.length > 4096) return false;
  if (/\s/.test(value)) return false;
  if ((IDENTIFIER_WORDS.test(value) && !randomLetters(value)) || UPPER_WORDS.test(value)) return false;
  if (isPathLike(value) || URLISH.test(value) || VERSIONISH.test(value) || DIGITS_ONLY.test(value)) return false;
  if (isNumberedWord(value)) return false;
  const classes = charClasses(value);
  const count = classCount(classes);
  // Lower-case words and punctuation (value#still-query) carry no key: keys mix in digits or capitals.
  if (!classes.digit && !classes.upper) return false;
  if (count < 2) return false;
  // Letters with only separators between them read as words ("my-app_name"), not as a key.
  if (!classes.digit && count === 2 && classes.symbol && /^[A-Za-z]+(?:[-_.][A-Za-z]+)+$/.test(value)) return false;
  // A hex digest has at most 4 bits per character; judge it against its own alphabet.
  const ceiling = /^[0-9a-fA-F]+$/.test(value) ? 3.0 : 3.5;
  const threshold = Math.min(ceiling, 0.8 * Math.log2(value.length));
  return shannonEntropy(value) >= threshold;
}
