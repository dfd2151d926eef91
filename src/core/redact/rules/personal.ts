// Personal data: e-mail addresses and the user name inside home-directory paths. Addresses at
// domains reserved for documentation (RFC 2606/6761: example.*, .test, .invalid, .localhost)
// identify nobody and are kept, as are service addresses such as git@github.com.
import type { Detector } from '../rule';
import { Rank } from '../finding';

// Local parts and domains may be internationalised (jürgen@müller.de): letters are any script's.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}][\p{L}\p{N}._%+-]{0,63}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(\p{L}{2,24})(?![\p{L}\p{N}-])/gu;
const RESERVED_DOMAIN = /@(?:[^@]*\.)?(?:example\.(?:com|org|net|edu)|example|test|invalid|localhost|local)$/i;
// Top-level "domains" that are file extensions: icon@2x.png, module@1.2.js.
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'json', 'css', 'scss', 'less', 'map', 'md', 'txt', 'html', 'htm', 'xml', 'yml', 'yaml', 'lock', 'min', 'wasm', 'node', 'vue', 'py', 'rb', 'go', 'rs', 'java', 'kt', 'swift', 'cs', 'sh', 'zip', 'gz', 'tgz', 'pdf']);
const SERVICE_MAILBOXES = /^(?:git|hg|noreply|no-reply|donotreply|do-not-reply)@/i;

export const emails: Detector = {
  triggers: ['@'],
  parts: [EMAIL, RESERVED_DOMAIN, FILE_EXTENSIONS, SERVICE_MAILBOXES],
  find(text, out) {
    EMAIL.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = EMAIL.exec(text)) !== null) {
      const address = m[0];
      const tld = (m[1] ?? '').toLowerCase();
      if (FILE_EXTENSIONS.has(tld) || RESERVED_DOMAIN.test(address) || SERVICE_MAILBOXES.test(address)) continue;
      // npm specifiers and decorators put an @ after a path or a scope: pkg/sub@1.x.y is no address.
      if (/^\d/.test(address.slice(address.indexOf('@') + 1))) continue;
      out.push({ kind: 'email', start: m.index, end: m.index + address.length, rank: Rank.personal });
    }
  },
};

// /home/alice/, /Users/alice/, C:\Users\alice\ (also C:/Users/alice/ and JSON-escaped C:\\Users\\alice\\).
// The path must start a token, so URL paths such as https://host/users/alice are left alone.
const HOME = /(?<=^|[\s"'`=:(\[,;{>|]|file:\/\/)(?:\/home\/|\/Users\/|[A-Za-z]:(\\\\|\\|\/)Users\1)([A-Za-z0-9._-]{1,64})(\/|\\\\|\\|(?=$|[\s"'`:;,)\]}|>]))/g;
// Not a person: defaults of CI runners, containers, VMs and OS placeholders.
const GENERIC_USERS = new Set([
  'user',
  'username',
  'you',
  'yourname',
  'your-name',
  'your_name',
  'me',
  'name',
  'runner',
  'ubuntu',
  'node',
  'vscode',
  'codespace',
  'codespaces',
  'gitpod',
  'coder',
  'dev',
  'developer',
  'root',
  'admin',
  'administrator',
  'shared',
  'public',
  'default',
  'default user',
  'all users',
  'guest',
  'travis',
  'circleci',
  'jenkins',
  'vagrant',
  'ec2-user',
  'www-data',
  'nobody',
  'linuxbrew',
  'build',
  'builder',
  'buildkite-agent',
  'app',
  'docker',
  'test',
  'foo',
  'alice-example',
]);

export const homePaths: Detector = {
  triggers: ['/home/', '/users/', '\\users\\', '\\\\users\\\\'],
  parts: [HOME, GENERIC_USERS],
  find(text, out) {
    HOME.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = HOME.exec(text)) !== null) {
      const user = m[2] ?? '';
      if (GENERIC_USERS.has(user.toLowerCase()) || /^\.+$/.test(user)) continue;
      out.push({ kind: 'home-path', start: m.index, end: m.index + m[0].length, rank: Rank.personal });
    }
  },
};

export const personalDetectors: readonly Detector[] = [emails, homePaths];
