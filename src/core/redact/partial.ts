// Secrets caught half-typed. The editor records keystroke bursts, so a token can reach the
// recorder as `ghp_4fK` before the rest is typed: too short for any rule, yet the start of a
// secret. These checks find such beginnings (a vendor prefix with a short tail, a credential
// URL without its `@host` yet, an `Authorization: Bearer` still being filled in, an assignment to
// a secret-sounding name whose value is still open) so the caller can hold the text back, or
// redact the suspect part when it must flush.
import type { Finding } from './finding';
import { findSecrets } from './findSecrets';
import { isNumberedWord, isPathLike } from './entropy';
import { isFakeValue } from './fakeValues';
import { ASSIGNMENT_TRIGGERS, LINE_LEAD, assignmentSites, isCodeLike, refersToName } from './rules/assignments';
import { lineEndNear, lineStartNear } from './lines';
import { classifyName } from './secretNames';
import { TriggerIndex, escapeRegExp } from './triggers';
import { VENDOR_RULES } from './rules/vendorTokens';

interface PrefixRule {
  prefix: string;
  chars: RegExp;
  digitInTail: boolean;
  atLineEndOnly: boolean;
}

const PREFIX_RULES: PrefixRule[] = VENDOR_RULES.flatMap((rule) =>
  (rule.partial?.prefixes ?? []).map((prefix) => ({
    prefix,
    chars: new RegExp(`[${rule.partial?.chars ?? ''}]`),
    digitInTail: rule.partial?.digitInTail?.includes(prefix) ?? false,
    atLineEndOnly: rule.partial?.atLineEndOnly ?? false,
  })),
).sort((a, b) => b.prefix.length - a.prefix.length);

const PREFIX = new RegExp(`(?<![A-Za-z0-9_-])(?:${PREFIX_RULES.map((r) => escapeRegExp(r.prefix)).join('|')})`, 'g');
const RULE_BY_PREFIX = new Map(PREFIX_RULES.map((r) => [r.prefix, r]));

// What may follow a token that is being typed: the end of the line, space, a closing quote or
// bracket. Anything else (`hf_hub_download`, `npm_config_x`) makes it some other identifier.
const TOKEN_END = /^(?:$|[\s"'`,;)\]}>]|\\[nr"])/;

// scheme://user:pa — a password being typed before the @host.
const OPEN_USERINFO =
  /(?:\b[a-z][a-z0-9+.-]{1,30}:\/\/[^\s:@\/?#"'`<>()[\]{}]*:|\bjdbc:oracle:[a-z]+:[^\s\/:@"'`]+\/)([^\s\/@"'`<>?#()[\]{}]*)(?=$|[\s"'`])/gim;
// Values being typed where the name and the value are apart: XML settings, `aws configure set`,
// and Telegram's Bot API URLs, which carry the token in the path.
// Group 1 is the name (or `password` where the syntax implies it), group 2 the value so far.
const OPEN_SPLIT = [
  /\b(?:key|name)[ \t]*=[ \t]*"([^"\n]{1,100})"[^>\n]{0,40}?\bvalue[ \t]*=[ \t]*"([^"\n]*)$/gm,
  /<([A-Za-z_][\w.-]*)>([A-Za-z0-9][^<>\s"'`:;,)]*)$/gm,
  /\bname:[ \t]*["']?([A-Za-z_][\w.-]*)["']?[ \t]*\r?\n[ \t]*value:[ \t]*["']?([^"'\n]*)$/gm,
  /\baws[ \t]+configure[ \t]+set[ \t]+(\S+)[ \t]+(\S*)$/gm,
  /\b(?:sshpass|docker[ \t]+login\b[^\n]*?|mysql\w*\b[^\n]*?)[ \t]-(p)[ \t]*['"]?([^\s'"]*)$/gm,
  /api\.telegram\.org\/(bot)(\d[\w:-]*)/g,
];
// Authorization: Bearer ab — with the header name, any value; bare, one that is not a word.
const OPEN_AUTH_HEADER =
  /\bauthori[sz]ation\\?["']?[ \t]*[:=][ \t]*\\?["'`]?[ \t]*(?:bearer|basic|token)?[ \t]+([A-Za-z0-9._~+\/=-]*)(?=\\?["'`]?[ \t]*[,;)}\]]*[ \t]*$)/gim;
const OPEN_BEARER = /\b(?:Bearer|Basic)[ \t]+([A-Za-z0-9._~+\/=-]*)(?=\\?["'`]?[ \t]*[,;)}\]]*[ \t]*$)/gm;
// An assignment to a secret-sounding name with nothing typed after the operator yet.
const OPEN_ASSIGNMENT =
  /(?<![\w.-])(?:-{0,2}([A-Za-z_][\w.-]{0,80})\\?["'`]?\]?[ \t]*(?:=|:=|=>|:[ \t]*\\?["'`])|--([A-Za-z][\w-]{0,80})[ \t])[ \t]*\\?["'`]?[ \t]*$/gm;
// A private-key header, complete or still being typed.
const OPEN_KEY = /-----BEGIN(?:[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|[ A-Z0-9]{0,40}$)|-----B?E?G?I?N?$/gm;

const WORDISH = /^[A-Za-z][a-z]*(?:[A-Z][a-z]*|[-_.][A-Za-z][a-z]*)*[.,:;!?]?$/;

const PARTIAL_TRIGGERS = [
  ...PREFIX_RULES.map((r) => r.prefix.toLowerCase()),
  ...['://', 'jdbc:oracle', 'bearer', 'basic', 'authori', '-----', 'value', 'configure set', 'sshpass', 'login', 'mysql', 'telegram'],
  ...ASSIGNMENT_TRIGGERS,
];
const PARTIAL_INDEX = new TriggerIndex([[...new Set(PARTIAL_TRIGGERS)]]);

interface Partials {
  suspects: Finding[];
  /** Something was opened but nothing typed after it yet (`PASSWORD=`, `-----BEGIN`). */
  open: boolean;
}

function scanPartials(text: string, secrets: readonly Finding[]): Partials {
  const suspects: Finding[] = [];
  let open = false;
  const covered = (start: number, end: number): boolean => secrets.some((f) => f.start <= start && f.end >= end);
  const add = (start: number, end: number): void => {
    if (end <= start) {
      if (!covered(start, start)) open = true;
      return;
    }
    if (!covered(start, end)) suspects.push({ kind: 'suspect', start, end });
  };

  PREFIX.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PREFIX.exec(text)) !== null) {
    const rule = RULE_BY_PREFIX.get(m[0]);
    if (!rule) continue;
    if (rule.prefix === 'eyJ' && /base64,$/.test(text.slice(Math.max(0, m.index - 7), m.index))) continue;
    const from = m.index + m[0].length;
    let end = from;
    const limit = Math.min(text.length, from + 1024);
    while (end < limit && rule.chars.test(text[end] ?? '')) end++;
    PREFIX.lastIndex = Math.max(PREFIX.lastIndex, end);
    if (!TOKEN_END.test(text.slice(end, end + 2))) continue;
    // Away from the end of the line (where typing happens) a short tail is some other name: npm_1.
    const atEnd = /^\\?["'`]?[ \t]*[,;)\]}]*[ \t]*(?:\r?\n|$)/.test(text.slice(end, end + 12));
    if (!atEnd && (end - from < 4 || /^\d+$/.test(text.slice(from, end)) || !/[A-Z0-9]/.test(text.slice(from, end)))) continue;
    if (rule.digitInTail && end > from && !/\d/.test(text.slice(from, end))) continue;
    if (rule.atLineEndOnly && !/^\\?["'`]?[ \t]*(?:\r?\n|$)/.test(text.slice(end, end + 8))) continue;
    // Language tags (sk-SK, pt_BR) share the shape of a short prefix and tail.
    if (/^[a-z]{2}[-_][A-Z]{2}$/.test(text.slice(m.index, end))) continue;
    // The prefix goes with the tail: `ghp_«…»` left behind would itself read as a value being
    // assigned, so redacting the stored text again would change it.
    add(end > from ? m.index : from, end);
  }

  OPEN_USERINFO.lastIndex = 0;
  while ((m = OPEN_USERINFO.exec(text)) !== null) {
    const pass = m[1] ?? '';
    if (/^\d*[.,;:!?]?$/.test(pass) && pass.length > 0) continue; // host:port
    if (pass.length === 0 && !/^["'`]?[ \t]*$/.test(text.slice(m.index + m[0].length, lineEndNear(text, m.index)))) continue;
    if (pass.length > 0 && isFakeValue(pass)) continue;
    const start = m.index + m[0].length - pass.length;
    add(start, start + pass.length);
  }

  for (const re of [OPEN_AUTH_HEADER, OPEN_BEARER]) {
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      const value = m[1] ?? '';
      if (value.length > 0 && (isFakeValue(value) || (re === OPEN_BEARER && WORDISH.test(value)))) continue;
      // 'Authorization': type1msg — without a scheme, a bare identifier is a variable.
      if (re === OPEN_AUTH_HEADER && !/(?:bearer|basic|token)[ \t]+[A-Za-z0-9._~+\/=-]*$/i.test(m[0]) && /^[A-Za-z_$][\w$]*$/.test(value)) continue;
      const start = m.index + m[0].length - value.length;
      add(start, start + value.length);
    }
  }

  for (const site of assignmentSites(text)) {
    if (site.accepted) continue;
    const value = text.slice(site.start, site.end);
    if (value.length === 0 || isFakeValue(value)) continue;
    if (!site.terminated) {
      add(site.start, site.end);
      continue;
    }
    // A closed value may still be half-typed (editors close quotes as you open them), but only a
    // token-shaped one at the end of the line is worth holding back.
    if (!site.atLineEnd || /\s/.test(value) || isCodeLike(value) || refersToName(site.name, value) || value.length > 200 || /[(){}<>]/.test(value)) continue;
    // In .env, shell and YAML lines a bare value under a secret name is a literal: any of it may be
    // the start of the secret. In a quoted string, only a token-shaped one; bare words in code are
    // variables.
    const literalSyntax = site.form === 'env' || site.form === 'line' || site.form === 'flag';
    if (site.form === 'inline') continue;
    if (site.form === 'line' && value.length >= 8 && WORDISH.test(value)) continue;
    if (
      !literalSyntax &&
      (WORDISH.test(value) || isNumberedWord(value) || site.cls === 'password' || !/^[A-Za-z0-9+/=_.~-]+$/.test(value) || isPathLike(value))
    )
      continue;
    if (/^[\d.]+$/.test(value) && (value.length < 5 || !literalSyntax)) continue;
    add(site.start, site.end);
  }

  for (const re of OPEN_SPLIT) {
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      const value = m[2] ?? '';
      const name = m[1] ?? '';
      if ((name === 'bot' || name === 'p' || assignmentNameIsSecret(name)) && !isFakeValue(value))
        add(m.index + m[0].length - value.length, m.index + m[0].length);
    }
  }

  OPEN_ASSIGNMENT.lastIndex = 0;
  while ((m = OPEN_ASSIGNMENT.exec(text)) !== null) {
    const name = (m[1] ?? m[2] ?? '').replace(/[.-]+$/, '');
    // Only where a value must follow on this line: config and shell lines, flags, or an open quote.
    const lead = text.slice(lineStartNear(text, m.index), m.index);
    const openQuote = /["'`][ \t]*$/.test(m[0]);
    if (assignmentNameIsSecret(name) && (openQuote || m[2] !== undefined || LINE_LEAD.test(lead))) add(m.index + m[0].length, m.index + m[0].length);
  }

  OPEN_KEY.lastIndex = 0;
  // Where the last footer starts: a header before it is closed, one after it is open.
  let lastFooter = -1;
  for (const f of text.matchAll(/-----END[ A-Z0-9]{0,40}PRIVATE KEY/g)) lastFooter = f.index;
  while ((m = OPEN_KEY.exec(text)) !== null) {
    if (m[0].length === 0) {
      OPEN_KEY.lastIndex++;
      continue;
    }
    if (m[0].length < 6) continue; // `-----` alone is a markdown rule or a table border
    if (lastFooter < m.index) add(m.index, m.index);
  }

  return { suspects: suspects.sort((a, b) => a.start - b.start), open };
}

function assignmentNameIsSecret(name: string): boolean {
  return classifyName(name) !== null;
}

/**
 * Tokens in `text` that look like the beginning of a secret that `findSecrets` does not (yet)
 * match: the value after a vendor prefix or after an assignment to a secret-sounding name, a
 * password in a URL not yet followed by `@host`, a bearer token being typed. Kind 'suspect'.
 */
export function findSuspectTokens(text: string): Finding[] {
  if (text.length === 0 || !PARTIAL_INDEX.any(text)) return [];
  return scanPartials(text, findSecrets(text)).suspects;
}

/** True when `line` may hold the beginning of a secret that `findSecrets` does not match yet. */
export function mayContainSecretPrefix(line: string): boolean {
  if (line.length === 0 || !PARTIAL_INDEX.any(line)) return false;
  const partials = scanPartials(line, findSecrets(line));
  return partials.open || partials.suspects.length > 0;
}
