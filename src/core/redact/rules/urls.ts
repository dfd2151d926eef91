// Credentials carried by URLs and connection strings: the user:password part of any scheme
// (https, postgres, mysql, mongodb+srv, redis, amqp, ftp, ...), Oracle's user/password@ form,
// and token-bearing query parameters (?token=, &api_key=, access_token=, X-Amz-Signature=).
// Follows secretlint-rule-basicauth and secretlint-rule-database-connection-string, widened to
// every scheme and to passwords with characters those rules leave out.
import type { Detector } from '../rule';
import { Rank } from '../finding';
import { looksRandom } from '../entropy';
import { isFakeValue } from '../fakeValues';
import { classifyName } from '../secretNames';

// scheme://user:password@host — the password may hold an unencoded @, so it runs to the last @
// before the host.
const USERINFO = /\b[a-z][a-z0-9+.-]{1,30}:\/\/([^\s:@\/?#"'`<>]{0,256}):([^\s\/"'`<>]{0,512})@(?=[\w\[.-])/gid;
// Documentation hosts (RFC 2606): credentials there are examples.
const EXAMPLE_HOST = /^(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid)(?![\w.-])/i;
const ORACLE = /\bjdbc:oracle:[a-z]+:([^\s\/:@"'`]{1,128})\/([^\s@"'`]{1,256})@/gid;

export const urlCredentials: Detector = {
  triggers: ['://', 'jdbc:oracle'],
  parts: [USERINFO, ORACLE, EXAMPLE_HOST],
  find(text, out) {
    for (const re of [USERINFO, ORACLE]) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        const user = m.indices?.[1];
        const pass = m.indices?.[2];
        if (!user || !pass) continue;
        const password = m[2] ?? '';
        if (password.length === 0 || isFakeValue(password) || /^\d{1,5}$/.test(password)) continue;
        if (EXAMPLE_HOST.test(text.slice(m.index + m[0].length, m.index + m[0].length + 80))) continue;
        // The user name goes too: it is often a person's, and it is half the credential.
        out.push({ kind: 'url-credentials', start: user[0], end: pass[1], rank: Rank.structural });
      }
    }
  },
};

const QUERY_PARAM = /[?&]([A-Za-z_][\w.-]{0,40})=([^&#\s"'`<>]{1,4096})/g;
// Query names that carry credentials without sounding like it.
const QUERY_SECRET_NAMES = new Set(['key', 'sig', 'signature', 'code', 'sessionid', 'session', 'sid', 'x-amz-signature', 'x-amz-security-token', 'x-amz-credential', 'x-goog-signature', 'x-goog-credential', 'ticket', 'nonce']);

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const queryTokens: Detector = {
  triggers: ['?', '&'],
  parts: [QUERY_PARAM, QUERY_SECRET_NAMES],
  find(text, out) {
    QUERY_PARAM.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = QUERY_PARAM.exec(text)) !== null) {
      const name = m[1] ?? '';
      const value = m[2] ?? '';
      const decoded = percentDecode(value);
      const start = m.index + 2 + name.length;
      QUERY_PARAM.lastIndex = start + value.length;
      if (isFakeValue(value)) continue;
      const cls = classifyName(name);
      const lower = name.toLowerCase();
      let ok: boolean;
      if (cls === 'password') ok = value.length >= 3;
      else if (cls === 'secret') ok = looksRandom(decoded, 8) || (value.length >= 24 && !/\s/.test(decoded));
      else ok = QUERY_SECRET_NAMES.has(lower) && looksRandom(decoded, 16);
      if (ok) out.push({ kind: cls === 'password' ? 'url-credentials' : 'url-token', start, end: start + value.length, rank: Rank.structural });
    }
  },
};

export const urlDetectors: readonly Detector[] = [urlCredentials, queryTokens];
