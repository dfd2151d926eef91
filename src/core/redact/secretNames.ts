// Which names suggest that the value assigned to them is a secret. A `password` takes any literal
// (people pick guessable ones); a `secret` (token, API key, credential...) only a random-looking
// one, since such names also hold ordinary strings (`TOKEN_KEY = 'auth_token'`). Word lists follow
// the keyword sets of gitleaks' generic-api-key rule and of is-secret, split into name segments so
// that `bypass`, `passport`, `keyboard` or `tokenizer` do not count.

export type NameClass = 'password' | 'secret';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass', 'pw', 'passwort', 'senha', 'mdp']);

// What may follow the password word while the value still is the password (db_password_value).
const PASSWORD_TAILS = new Set(['value', 'val', 'str', 'plain', 'plaintext', 'raw', 'b64', 'base64', 'enc', 'encrypted', 'hash', 'digest', 'secret', 'key', 'txt', 'text']);

const SECRET_LAST_WORDS = new Set([
  'secret',
  'secrets',
  'token',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'auth',
  'authorization',
  'authtoken',
  'accesstoken',
  'refreshtoken',
  'apitoken',
  'bottoken',
  'clientsecret',
  'secretkey',
  'privatekey',
  'accesskey',
  'signingkey',
  'masterkey',
  'jwt',
  'bearer',
  'sas',
  'hmac',
  'salt',
  'pat',
  'signature',
  'sig',
]);

// Words before `key` that make it a credential rather than a map/cache/React/database key.
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'client',
  'app',
  'application',
  'auth',
  'master',
  'signing',
  'sign',
  'encryption',
  'enc',
  'decryption',
  'crypto',
  'cipher',
  'aes',
  'hmac',
  'jwt',
  'license',
  'licence',
  'consumer',
  'subscription',
  'shared',
  'webhook',
  'deploy',
  'admin',
  'root',
  'account',
  'storage',
  'service',
  'server',
  'session',
  'cookie',
  'ssh',
  'gpg',
  'pgp',
  'rsa',
  'ed25519',
  'recaptcha',
  'maps',
  'write',
  'read',
  'ingest',
  'integration',
  'management',
  'personal',
  'live',
  'prod',
  'production',
  'stripe',
  'openai',
  'anthropic',
  'dd',
  'datadog',
  'mailgun',
  'sendgrid',
  'twilio',
  'algolia',
  'segment',
  'mapbox',
  'firebase',
  'google',
  'gcp',
  'azure',
  'aws',
  'github',
  'gitlab',
  'npm',
  'slack',
]);

// Words after `secret`/`token` that make the name about the secret rather than the secret itself.
const META_TAILS = new Set([
  'name',
  'names',
  'ref',
  'refs',
  'arn',
  'id',
  'ids',
  'path',
  'paths',
  'file',
  'files',
  'dir',
  'manager',
  'store',
  'provider',
  'providers',
  'type',
  'types',
  'version',
  'env',
  'var',
  'variable',
  'mount',
  'engine',
  'backend',
  'kind',
  'count',
  'length',
  'len',
  'size',
  'selector',
  'scanning',
  'scanner',
  'url',
  'uri',
  'endpoint',
  'header',
  'field',
  'label',
  'placeholder',
  'hint',
  'prompt',
  'message',
  'error',
  'errors',
  'policy',
  'pattern',
  'regex',
  'rule',
  'rules',
  'min',
  'max',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'lifetime',
  'timeout',
  'enabled',
  'required',
  'reset',
  'confirm',
  'confirmation',
  'strength',
  'input',
  'visible',
  'visibility',
  'format',
  'prefix',
  'suffix',
  'location',
  'source',
  'method',
  'mode',
  'scope',
  'scopes',
  'issuer',
  'audience',
  'algorithm',
  'alg',
  'usage',
  'list',
  'map',
  'index',
  'key',
  'keys',
  'generator',
  'validator',
  'request',
  'response',
  'callback',
  'handler',
  'service',
  'class',
  'option',
  'options',
  'config',
  'settings',
]);

// `token` names that are not credentials: lexer tokens, pagination and cancellation tokens.
const NON_SECRET_TOKEN_QUALIFIERS = new Set([
  'next',
  'page',
  'continuation',
  'cancellation',
  'cancel',
  'resume',
  'sync',
  'start',
  'end',
  'first',
  'last',
  'current',
  'prev',
  'previous',
  'eof',
  'syntax',
  'lexer',
  'parse',
  'parser',
  'ast',
  'node',
  'max',
  'min',
  'num',
  'input',
  'output',
  'completion',
  'prompt',
  'design',
  'css',
  'color',
  'colour',
  'theme',
  'type',
]);

const PASS_NOT_PASSWORD = new Set(['all', 'any', 'none', 'every', 'some', 'first', 'second', 'third', 'last', 'next', 'render', 'compile', 'compiler', 'multi', 'single', 'one', 'two', 'shader', 'sub', 'main', 'final', 'each', 'by', 'free', 'boarding', 'day', 'season', 'high', 'low', 'band']);

/** Splits `DB_PASSWORD`, `apiKey`, `x-api-key`, `spring.datasource.password` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter((w) => w.length > 0);
}

/** How secret a value assigned to `name` would be, or null when the name says nothing. */
export function classifyName(name: string): NameClass | null {
  const words = nameWords(name);
  const n = words.length;
  if (n === 0 || n > 10) return null;
  const last = words[n - 1] ?? '';
  const prev = n > 1 ? (words[n - 2] ?? '') : '';

  for (let i = 0; i < n; i++) {
    const w = words[i] ?? '';
    // Upper-case names run words together: PGPASSWORD, DBPASSWD.
    if (!PASSWORD_WORDS.has(w) && !/^[a-z]{2,12}(?:password|passwd)$/.test(w)) continue;
    // `pass` and `pw` are also compiler/render passes; accept them as the last word only, and
    // not after a word that makes them a pass over something.
    if ((w === 'pass' || w === 'pw' || w === 'mdp') && (i !== n - 1 || PASS_NOT_PASSWORD.has(prev))) continue;
    // The shell's working directory, not a password.
    if (w === 'pwd' && n - i === 1 && /^(?:OLD)?PWD$/.test(name.replace(/^\$/, ''))) continue;
    const tail = words.slice(i + 1);
    if (tail.every((t) => PASSWORD_TAILS.has(t))) return 'password';
  }

  if (SECRET_LAST_WORDS.has(last) || /^[a-z]{2,12}secret$/.test(last)) {
    if (last === 'token' && NON_SECRET_TOKEN_QUALIFIERS.has(prev)) return null;
    if (last === 'salt' && n === 1) return null;
    return 'secret';
  }
  if (last === 'key' || last === 'keys') {
    if (KEY_QUALIFIERS.has(prev)) return 'secret';
    if (prev === 'key' || (n > 2 && (words[n - 3] === 'secret' || words[n - 3] === 'private'))) return 'secret';
    return null;
  }
  // `secret` anywhere but followed by a meta word (secret_name, secretKeyRef) names the secret's
  // bookkeeping; followed by anything else (SECRET_KEY_BASE, client_secret_value) it is the secret.
  const secretAt = words.findIndex((w) => w === 'secret' || w === 'secrets');
  if (secretAt >= 0 && secretAt < n - 1) {
    const tail = words.slice(secretAt + 1);
    if (!tail.some((t) => META_TAILS.has(t) && t !== 'key')) return 'secret';
  }
  if ((last === 'id' || last === 'value' || last === 'string') && (prev === 'token' || prev === 'apikey')) return null;
  return null;
}

/** The word lists, for the rule-set fingerprint. */
export const NAME_PARTS = [PASSWORD_WORDS, PASSWORD_TAILS, SECRET_LAST_WORDS, KEY_QUALIFIERS, META_TAILS, NON_SECRET_TOKEN_QUALIFIERS, PASS_NOT_PASSWORD, String(classifyName), String(nameWords)];
