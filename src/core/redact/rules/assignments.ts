// Secrets recognised by the name they are assigned to, in every syntax Codetrail sees: .env and
// shell (`export DB_PASSWORD=...`), YAML/TOML/INI/properties, JSON, code in most languages
// (`apiKey = "..."`, `"password" => '...'`, `Password := "..."`), connection strings
// (`...;Password=...;`), CLI flags (`--api-key ...`), HTTP headers (`X-Api-Key: ...`), XML
// elements, and the two-line `name:`/`value:` pairs of Kubernetes and compose manifests.
// Follows gitleaks' generic-api-key rule (keyword, operator, value, entropy) with the value read
// by a small scanner instead of one regex, so that quoting, comments and code expressions can be
// told apart from literals.
import type { Detector } from '../rule';
import { Rank, type Candidate } from '../finding';
import { looksRandom } from '../entropy';
import { isFakeValue } from '../fakeValues';
import { lineEndNear, lineStartNear } from '../lines';
import { classifyName, nameWords, type NameClass } from '../secretNames';

/** How the value was written; decides how much an unquoted value has to prove. */
export type ValueForm = 'quoted' | 'env' | 'line' | 'inline' | 'flag';

/** One place where a secret-sounding name is given a value, accepted or not. */
export interface AssignmentSite {
  cls: NameClass;
  name: string;
  start: number;
  end: number;
  form: ValueForm;
  /** False for a quoted value whose closing quote is not typed yet. */
  terminated: boolean;
  /** The value ends the line (nothing but a closing quote, `;`, `,` or a comment after it). */
  atLineEnd: boolean;
  accepted: boolean;
  kind: string;
}

// Where a secret-sounding word may sit inside a name.
const NAME_WORD = /pass|pwd|pw|secret|token|key|auth|cred|jwt|bearer|sas|hmac|salt|pat|sig|mdp|senha/gi;
export const ASSIGNMENT_TRIGGERS = ['pass', 'pwd', 'pw', 'secret', 'token', 'key', 'auth', 'cred', 'jwt', 'bearer', 'sas', 'hmac', 'salt', 'pat', 'sig', 'mdp', 'senha'];

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

const OPERATOR = /[ \t]*(:=|=>|===?|!==?|\?\?=|\|\|=|=|:|,|\()[ \t]*/y;
const STRING_PREFIX = /(?:[bBrRuUfF]{1,2}|@|\$)?(\\?["'`])/y;
// What may precede a key on a config line (YAML list items, shell and Dockerfile keywords). Code
// declarations (const, let, var) are not here: after them a bare word is a variable.
export const LINE_LEAD = /^[ \t]*(?:-[ \t]+|export[ \t]+|set[ \t]+|setx[ \t]+|ENV[ \t]+|ARG[ \t]+|declare[ \t]+(?:-\w+[ \t]+)?|local[ \t]+|readonly[ \t]+)*["'`]?$/;
// (A chain starts at a lower-case name, this or self: Base64 with dots is no chain.)
const MEMBER_CHAIN = /^[a-z_$][\w$]*(?:(?:\.|::|->|\?\.)[A-Za-z_$][\w$]*)+(?:\(\))?[,;]?$/;
const CODE_START = /^[(\[{!&*|>@~^]|^(?:new|await|function|lambda|fn|func|require|import|typeof|this|self|get|read|load|os|env|process|config|settings|options|opts|args|params|props|request|req|ctx|context)\b/;
const NATURAL_LANGUAGE = /^[\p{L}][\p{L}'’-]*(?:[ \t]+[\p{L}][\p{L}'’-]*)+[.?!:…]*$/u;
const SINGLE_WORD_LABEL = /^\p{Lu}\p{Ll}+$/u;

/**
 * Every assignment of a value to a secret-sounding name in `text`, with where the value is and
 * whether it passes as a secret. Detectors keep the accepted ones; partial-secret detection
 * looks at the others.
 */
export function assignmentSites(text: string): AssignmentSite[] {
  const sites: AssignmentSite[] = [];
  NAME_WORD.lastIndex = 0;
  let lastNameEnd = -1;
  let m: RegExpExecArray | null;
  while ((m = NAME_WORD.exec(text)) !== null) {
    let s = m.index;
    let e = m.index + m[0].length;
    while (s > 0 && isNameChar(text.charCodeAt(s - 1))) s--;
    while (e < text.length && isNameChar(text.charCodeAt(e))) e++;
    NAME_WORD.lastIndex = e;
    if (e <= lastNameEnd) continue;
    lastNameEnd = e;
    const site = readSite(text, s, e);
    if (site) {
      sites.push(site);
      NAME_WORD.lastIndex = Math.max(e, site.end);
      lastNameEnd = NAME_WORD.lastIndex;
    }
  }
  return sites;
}

function readSite(text: string, nameStart: number, nameEnd: number): AssignmentSite | undefined {
  let raw = text.slice(nameStart, nameEnd);
  const isFlag = raw.startsWith('-');
  // A short option with its value glued on (`mysql -pS3cret`): the word is a value, not a name.
  if (/^-[a-z][A-Z0-9]/.test(raw)) return undefined;
  const name = raw.replace(/^-+/, '').replace(/[.-]+$/, '');
  if (name.length === 0 || name.length > 100) return undefined;
  const cls = classifyName(name);
  if (!cls) return undefined;

  // What stands before the name: an opening quote (then the same quote must close it), `$`, `@`,
  // a Ruby symbol colon, or a bracket (ENV["X"], $_ENV['X'], config[:x]).
  const lineStart = lineStartNear(text, nameStart);
  let before = text.slice(lineStart, nameStart);
  let quote = '';
  let enclosing = '';
  const q = /(\\?["'`])$/.exec(before);
  if (q) {
    quote = q[1] ?? '';
    before = before.slice(0, -quote.length);
  }
  if (!isFlag && /[$@:]$/.test(before) && !/::$/.test(before)) before = before.slice(0, -1);
  let pos = nameEnd;
  if (quote) {
    // A quote that does not close right after the name opened a string the name sits in
    // (`-H 'X-Api-Key: ...'`), not the name itself.
    if (text.startsWith(quote, pos)) pos += quote.length;
    else {
      before += quote;
      enclosing = quote;
      quote = '';
    }
  }
  if (text[pos] === ']') pos++;
  if (text[pos] === '?' && text[pos + 1] !== '?') pos++;

  let op = '';
  OPERATOR.lastIndex = pos;
  const o = OPERATOR.exec(text);
  if (o) {
    op = o[1] ?? '';
    pos = OPERATOR.lastIndex;
  } else if (isFlag && /^[ \t]+\S/.test(text.slice(pos, pos + 2))) {
    op = ' ';
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
  } else {
    return undefined;
  }
  if (op === ',' && !quote) return undefined;
  // Prose inside a string literal ('... includes credentials: ' + x): an odd number of quotes
  // before the name means it is inside one.
  if (!enclosing && !quote) {
    for (const c of ['"', "'"]) if ((before.split(c).length - 1) % 2 === 1) enclosing = c;
  }
  // A name inside a string ('password:', x) whose "value" starts by closing that string is a label.
  if (enclosing && text.startsWith(enclosing.slice(-1), pos)) return undefined;
  if (op === ':' && text[pos] === ':') return undefined;

  const tightEquals = op === '=' && o !== null && o[0] === '=';
  let form: ValueForm;
  if (isFlag) form = 'flag';
  else if (tightEquals && /(?:^|[\s;?&"'`])$/.test(before)) form = 'env';
  // A quoted key with a bare value is a JS/Python object literal, not YAML: the value is code.
  else if ((op === ':' || op === '=') && LINE_LEAD.test(before) && !quote) form = 'line';
  else form = 'inline';

  const value = readValue(text, pos, form, before);
  if (!value) return undefined;
  // Call arguments (`setPassword(x)`, `put("password", x)`) are literals only when quoted, and
  // `pass(...)` is a verb (t.pass('ok')).
  if ((op === '(' || op === ',') && !value.quoted) return undefined;
  if (op === '(' && /(?:^|[^a-z])pass$/i.test(name)) return undefined;
  const accepted = accepts(cls, name, value);
  return {
    cls,
    name,
    start: value.start,
    end: value.end,
    form: value.form,
    terminated: value.terminated,
    atLineEnd: value.atLineEnd,
    accepted,
    kind: kindFor(cls, name),
  };
}

interface Value {
  form: ValueForm;
  start: number;
  end: number;
  text: string;
  quoted: boolean;
  terminated: boolean;
  atLineEnd: boolean;
}

const AFTER_VALUE_TO_LINE_END = /^[ \t]*[;,)\]}]*[ \t]*(?:(?:#|\/\/|--|<!--).*)?(?:\r?$|\\n)/;

/** End of the line, or of the longest value worth reading, whichever comes first. */
function lineEndFrom(text: string, pos: number): number {
  return lineEndNear(text, pos, 4096);
}

function readValue(text: string, pos: number, form: ValueForm, before: string): Value | undefined {
  const eol = lineEndFrom(text, pos);
  STRING_PREFIX.lastIndex = pos;
  const sp = STRING_PREFIX.exec(text);
  if (sp) {
    const quote = sp[1] ?? '"';
    const start = STRING_PREFIX.lastIndex;
    let i = start;
    while (i < eol) {
      if (text.startsWith(quote, i) && (quote.length === 2 || text[i - 1] !== '\\' || text[i - 2] === '\\')) break;
      i++;
    }
    const terminated = i < eol;
    let end = i;
    if (!terminated) while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
    const rest = terminated ? text.slice(i + quote.length, eol) : '';
    return {
      form: 'quoted',
      start,
      end,
      text: text.slice(start, end),
      quoted: true,
      terminated,
      atLineEnd: !terminated || AFTER_VALUE_TO_LINE_END.test(rest),
    };
  }
  let end = pos;
  if (form === 'line') {
    // YAML/INI/properties: the rest of the line, less a trailing comment.
    end = eol;
    const comment = /[ \t]+(?:#|\/\/|;).*$/.exec(text.slice(pos, eol));
    if (comment) end = pos + comment.index;
    while (end > pos && /\s/.test(text[end - 1] ?? '')) end--;
  } else {
    // Connection strings and query strings end a value at their separator.
    const stop = /;$/.test(before) ? /[;"'`\s]/ : /[?&]$/.test(before) ? /[&#"'`\s]/ : form === 'env' || form === 'flag' ? /[\s"'`]/ : /[\s"'`,;)\]}]/;
    while (end < eol && !stop.test(text[end] ?? '')) end++;
  }
  if (end <= pos) return undefined;
  return {
    form,
    start: pos,
    end,
    text: text.slice(pos, end),
    quoted: false,
    terminated: true,
    atLineEnd: AFTER_VALUE_TO_LINE_END.test(text.slice(end, eol)),
  };
}

// Type annotations: `string | undefined`, `Optional[str]`, `Promise<string>`, `&str`.
const TYPE_EXPRESSION = /^&?[A-Za-z_][\w.]*(?:<[^>]*>|\[[^\]]*\])?(?:\s*\|\s*&?[A-Za-z_][\w.]*(?:<[^>]*>|\[[^\]]*\])?)*$/;

export function isCodeLike(v: string): boolean {
  return (
    CODE_START.test(v) ||
    MEMBER_CHAIN.test(v) ||
    /[()<>[\]{}]/.test(v) ||
    /^0x[0-9a-f]+$/i.test(v) ||
    /[,;{]$/.test(v) ||
    /^\w+\s+[-+*/%]\s+\w/.test(v) ||
    (/[<[|]/.test(v) && TYPE_EXPRESSION.test(v))
  );
}

/** A value that names the secret instead of holding it: `password = user_password`, `pwd: pw`. */
export function refersToName(name: string, v: string): boolean {
  if (!/^[A-Za-z_$][\w$.]*$/.test(v)) return false;
  const lower = v.toLowerCase();
  if (lower === name.toLowerCase()) return true;
  const words = nameWords(v);
  return words.some((w) => /^(?:pw|key|auth|hash|hashed)$|pass|pwd|secret|token|cred/.test(w));
}

function accepts(cls: NameClass, name: string, value: Value): boolean {
  const v = value.text.trim();
  if (v.length === 0 || isFakeValue(v)) return false;
  if (cls === 'secret') {
    if (!value.quoted && isCodeLike(v)) return false;
    // A bare value in code is usually a variable; only a long random one is taken.
    return looksRandom(v, value.form === 'inline' ? 16 : 8);
  }
  if (v.length < 3 || refersToName(name, v)) return false;
  if (NATURAL_LANGUAGE.test(v) && !/[\d@#$%^&*+=]/.test(v)) return false;
  // A capitalised word in a string is a UI label ("password": "Passwort"), not a password.
  if (value.quoted && SINGLE_WORD_LABEL.test(v)) return false;
  if (value.quoted) return true;
  if (value.form === 'inline') return false;
  // Unquoted: only where the syntax makes it a literal (env, YAML/INI lines, flags, connection
  // strings), never in code where a bare word is a variable. After a tight `=` (.env, shell,
  // connection strings) punctuation is part of the password; only calls, member chains and
  // keyword-argument commas give code away.
  if (value.form === 'env' || value.form === 'flag') return !/^[A-Za-z_$][\w$.]*\(/.test(v) && !MEMBER_CHAIN.test(v) && !/,$/.test(v);
  return !isCodeLike(v);
}

// Vendor-specific kinds for names that say which credential it is.
function kindFor(cls: NameClass, name: string): string {
  if (cls === 'password') return 'password-assignment';
  const w = nameWords(name);
  const has = (x: string): boolean => w.includes(x);
  if (has('aws') && (has('secret') || has('session'))) return 'aws-secret-key';
  if (has('dd') || has('datadog')) return 'datadog-api-key';
  if (has('twilio')) return 'twilio-auth-token';
  if (has('mailgun')) return 'mailgun-key';
  if (has('azure') || has('accountkey')) return 'azure-storage-key';
  return 'high-entropy-assignment';
}

function keep(sites: AssignmentSite[], out: Candidate[]): void {
  for (const site of sites) {
    if (!site.accepted || site.end <= site.start) continue;
    out.push({ kind: site.kind, start: site.start, end: site.end, rank: Rank.generic });
  }
}

export const assignments: Detector = {
  triggers: ASSIGNMENT_TRIGGERS,
  parts: [NAME_WORD, OPERATOR, STRING_PREFIX, LINE_LEAD, MEMBER_CHAIN, CODE_START, NATURAL_LANGUAGE, SINGLE_WORD_LABEL, TYPE_EXPRESSION, String(readSite), String(readValue), String(accepts), String(kindFor)],
  find(text, out) {
    keep(assignmentSites(text), out);
  },
};

// Kubernetes/compose env lists name the variable on one line and give its value on the next.
const NAME_VALUE_PAIR = /\bname:[ \t]*["']?([A-Za-z_][\w.-]*)["']?[ \t]*\r?\n[ \t]*value:[ \t]*/g;

export const nameValuePairs: Detector = {
  triggers: ['value:'],
  parts: [NAME_VALUE_PAIR],
  find(text, out) {
    NAME_VALUE_PAIR.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = NAME_VALUE_PAIR.exec(text)) !== null) {
      const name = m[1] ?? '';
      const cls = classifyName(name);
      if (!cls) continue;
      const pos = m.index + m[0].length;
      const value = readValue(text, pos, 'line', '');
      if (value && accepts(cls, name, value)) out.push({ kind: kindFor(cls, name), start: value.start, end: value.end, rank: Rank.generic });
    }
  },
};

// <password>...</password>, <add key="ApiKey" value="..."/>, <entry key="db.password">...</entry>
const XML_ELEMENT = /<([A-Za-z_][\w.-]*)>([^<\n]{1,512})<\/\1>/g;
const XML_KEY_VALUE = /\b(?:key|name)[ \t]*=[ \t]*"([^"\n]{1,100})"[^>\n]{0,40}?\bvalue[ \t]*=[ \t]*"([^"\n]{1,1024})"/gd;

export const xmlValues: Detector = {
  triggers: ['</', 'value='],
  parts: [XML_ELEMENT, XML_KEY_VALUE],
  find(text, out) {
    XML_ELEMENT.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = XML_ELEMENT.exec(text)) !== null) {
      const cls = classifyName(m[1] ?? '');
      const body = m[2] ?? '';
      if (!cls) continue;
      const start = m.index + (m[1] ?? '').length + 2;
      const value: Value = { form: 'quoted', start, end: start + body.length, text: body, quoted: true, terminated: true, atLineEnd: true };
      if (accepts(cls, m[1] ?? '', value)) out.push({ kind: kindFor(cls, m[1] ?? ''), start, end: value.end, rank: Rank.generic });
    }
    XML_KEY_VALUE.lastIndex = 0;
    while ((m = XML_KEY_VALUE.exec(text)) !== null) {
      const name = m[1] ?? '';
      const cls = classifyName(name);
      const span = m.indices?.[2];
      if (!cls || !span) continue;
      const value: Value = { form: 'quoted', start: span[0], end: span[1], text: m[2] ?? '', quoted: true, terminated: true, atLineEnd: true };
      if (accepts(cls, name, value)) out.push({ kind: kindFor(cls, name), start: span[0], end: span[1], rank: Rank.generic });
    }
  },
};

// Passwords given to database clients as short options: mysql -pSECRET, sshpass -p SECRET,
// docker login -p SECRET, curl -u user:SECRET.
const SHORT_OPTION_PASSWORD =
  /\b(?:(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n|;&]*?[ \t]-p([^\s'"-][^\s'"]*|'[^'\n]+'|"[^"\n]+")|sshpass[ \t]+-p[ \t]*('[^'\n]+'|"[^"\n]+"|\S+)|docker[ \t]+login\b[^\n|;&]*?[ \t]-p[ \t]+('[^'\n]+'|"[^"\n]+"|\S+)|curl\b[^\n|;&]*?[ \t](?:-u|--user)[ \t]+["']?[^\s:'"]+:([^\s'"]+))/gd;

export const shortOptionPasswords: Detector = {
  triggers: ['mysql', 'mariadb', 'sshpass', 'docker', 'curl'],
  parts: [SHORT_OPTION_PASSWORD],
  find(text, out) {
    SHORT_OPTION_PASSWORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = SHORT_OPTION_PASSWORD.exec(text)) !== null) {
      for (let g = 1; g <= 4; g++) {
        const span = m.indices?.[g];
        if (!span) continue;
        let [start, end] = span;
        const v = text.slice(start, end);
        if (/^['"]/.test(v)) {
          start++;
          end--;
        }
        const secret = text.slice(start, end);
        if (secret.length > 0 && !isFakeValue(secret)) out.push({ kind: 'password-assignment', start, end, rank: Rank.generic });
      }
    }
  },
};

export const assignmentDetectors: readonly Detector[] = [assignments, nameValuePairs, xmlValues, shortOptionPasswords];
