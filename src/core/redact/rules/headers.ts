// Credentials in HTTP authentication: `Authorization: Bearer ...`/`Basic ...`/`token ...` in code,
// curl commands and HTTP dumps, a bare `Bearer <token>` anywhere, and cookies in request and
// response headers. Follows gitleaks curl-auth-header and authorization-header rules.
import type { Detector } from '../rule';
import { Rank } from '../finding';
import { looksRandom } from '../entropy';
import { isFakeValue } from '../fakeValues';

const SCHEMES = 'bearer|basic|token|bot|apikey|api-key|sso-key|jwt|key|oauth|digest|negotiate|ntlm|aws4-hmac-sha256|hmac|splunk|ghtoken';
const AUTHORIZATION = new RegExp(
  String.raw`\b(?:proxy-)?authori[sz]ation\\?["'\]]?[ \t]*(?::|=>|=|,)[ \t]*\\?["'\x60]?[ \t]*(?:(${SCHEMES})[ \t]+)?([^\s"'\x60\\]{1,4096}(?:[ \t]+[^\s"'\x60\\]{1,4096})*)`,
  'gid',
);
const BARE_BEARER = /\b(?:Bearer|bearer|BEARER|Basic|basic)[ \t]+([A-Za-z0-9._~+\/=-]{12,4096})/gd;
const COOKIE = /\b(?:set-)?cookie\\?["']?[ \t]*:[ \t]*([^\n"'`]+)/gid;
const COOKIE_VALUE = /(?:^|;)[ \t]*[^=;\s]+=([^;]+)/g;

function credentialShape(v: string): boolean {
  if (v.length < 6 || isFakeValue(v)) return false;
  // A bare identifier after the scheme is a variable name in prose or code (`Bearer token`).
  if (/^[A-Za-z_][A-Za-z_]*$/.test(v) && v.length < 24) return false;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v)) return false;
  return true;
}

export const authorizationHeaders: Detector = {
  triggers: ['authori', 'bearer', 'basic', 'cookie'],
  parts: [AUTHORIZATION, BARE_BEARER, COOKIE, COOKIE_VALUE, String(credentialShape)],
  find(text, out) {
    AUTHORIZATION.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = AUTHORIZATION.exec(text)) !== null) {
      const span = m.indices?.[2];
      if (!span) continue;
      const scheme = (m[1] ?? '').toLowerCase();
      let [start, end] = span;
      let value = m[2] ?? '';
      // Without a multi-part scheme (Digest, AWS4) the credential is the first word.
      if (!/^(?:digest|aws4-hmac-sha256|negotiate|ntlm)$/.test(scheme)) {
        const firstWord = /^\S+/.exec(value)?.[0] ?? '';
        end = start + firstWord.length;
        value = firstWord;
      }
      value = value.replace(/[,;)\]}]+$/, '');
      end = start + value.length;
      if (!scheme && /^(?:bearer|basic|token)$/i.test(value)) continue;
      // Without a scheme the value may be a variable (`'Authorization': type1msg`): demand randomness.
      if (!scheme && !looksRandom(value, 16)) continue;
      if (credentialShape(value)) out.push({ kind: 'authorization-header', start, end, rank: Rank.structural });
    }
    BARE_BEARER.lastIndex = 0;
    while ((m = BARE_BEARER.exec(text)) !== null) {
      const span = m.indices?.[1];
      if (!span) continue;
      const value = (m[1] ?? '').replace(/[.,:;]+$/, '');
      // Prose says "basic authentication."; a token mixes case or digits.
      if (!/[0-9]/.test(value) && !(/[a-z]/.test(value) && /[A-Z]/.test(value))) continue;
      if (!isFakeValue(value) && looksRandom(value, 12)) out.push({ kind: 'authorization-header', start: span[0], end: span[0] + value.length, rank: Rank.structural });
    }
    COOKIE.lastIndex = 0;
    while ((m = COOKIE.exec(text)) !== null) {
      const span = m.indices?.[1];
      if (!span) continue;
      const header = m[1] ?? '';
      COOKIE_VALUE.lastIndex = 0;
      let c: RegExpExecArray | null;
      while ((c = COOKIE_VALUE.exec(header)) !== null) {
        const v = (c[1] ?? '').trim();
        if (v.length >= 16 && !isFakeValue(v) && looksRandom(v, 16)) {
          const at = span[0] + c.index + c[0].indexOf(v, c[0].indexOf('=') + 1);
          out.push({ kind: 'cookie', start: at, end: at + v.length, rank: Rank.structural });
        }
      }
    }
  },
};

export const headerDetectors: readonly Detector[] = [authorizationHeaders];
