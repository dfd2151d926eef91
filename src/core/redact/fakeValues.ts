// Values that stand in for a secret without being one: placeholders people type into docs and
// samples, references to where the real value lives (environment, vault, CI secrets, template
// variables), type names from annotations, and masks. Following secretlint's and gitleaks'
// allow-lists, extended with the forms Codetrail's users write in code.

const PLACEHOLDER_WORDS = new Set([
  '',
  'null',
  'nil',
  'none',
  'undefined',
  'true',
  'false',
  'string',
  'str',
  'bytes',
  'number',
  'int',
  'boolean',
  'bool',
  'any',
  'unknown',
  'object',
  'optional',
  'required',
  'password',
  'passwd',
  'pass',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'example',
  'sample',
  'placeholder',
  'dummy',
  'fake',
  'test',
  'todo',
  'tbd',
  'redacted',
  'hidden',
  'masked',
  'secret_here',
  'replace_me',
  'replaceme',
  'env',
  'default',
  'empty',
  'value',
  'mypassword',
  'yourpassword',
  'mysecret',
  'yoursecret',
  'mytoken',
  'yourtoken',
  'foo',
  'bar',
  'baz',
  'foobar',
  // Permission levels in CI files (id-token: write).
  'read',
  'write',
  'inherit',
]);

// References to where a secret is kept, and template holes that a tool fills in later.
const REFERENCE = new RegExp(
  [
    String.raw`\$\{[^}]*\}?`, // ${VAR}, ${{ secrets.X }}, JS template holes (also unterminated)
    String.raw`\$\(`, // $(command)
    String.raw`^\$[A-Za-z_]\w*$`, // $VAR, $password (shell, PHP)
    String.raw`^\$[A-Z_][A-Z0-9_]*(?:[/:.]|$)`, // $HOME/..., $USER:...
    String.raw`\{\{.*\}\}`, // {{ .Values.x }}
    String.raw`^\{[\w.]*\}$`, // {token}
    String.raw`^%[\w.]+%$`, // %VAR%
    String.raw`%[-+ 0#]?\d*[sdifqv](?![A-Za-z0-9])`, // printf verbs: "%s", " %s: "
    String.raw`\{\d*\}`, // format holes: {0}, {}
    String.raw`^<[^<>]*>$`, // <token>
    String.raw`^\[[^\]]*\]$`, // [password]
    String.raw`^@[\w.]+@$`, // @TOKEN@
    String.raw`^#\{[^}]*\}$`, // Ruby interpolation
    String.raw`(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|System\.getenv|Environment\.GetEnvironmentVariable|getenv|ENV\[|env\()`,
    String.raw`^(?:secrets|vars|env|inputs|steps|needs)\.\w+`, // CI expression bodies
    String.raw`^(?:vault|op|aws-secretsmanager|gcp-secretmanager|azure-keyvault|ssm|secretsmanager):`,
    String.raw`^!(?:Ref|Sub|GetAtt|ImportValue|vault)\b`,
  ].join('|'),
);

// Typed filler: xxxx, ****, ••••, ...., 0000, abcabc.
const MASK = /^(?:[xX*•#._-]{3,}|0{4,}|(.)\1{5,})$/;

// Self-describing stand-ins: YOUR_API_KEY, your-token-here, <INSERT_KEY>, my_secret_value, sk-xxxxx.
const SELF_DESCRIBING =
  /^(?:your|my|insert|enter|put|replace|add|some|example|sample|dummy|fake|test|placeholder|changeme|xxx)[A-Za-z]*(?:[-_ .][A-Za-z]+)*$|(?:[-_]here$|[-_]goes[-_]here|xxxx|XXXX|_HERE|EXAMPLE|example|placeholder|PLACEHOLDER|replace[-_]?me|REPLACE[-_]?ME|change[-_]?me|CHANGE[-_]?ME)/i;

// Credential-shaped placeholders: user:password, username:secret, admin/admin.
const PLACEHOLDER_PAIR = /^(?:user|username|login|admin|root|name|email|password|passwd|pass|secret|token|key)[:/@](?:password|passwd|pass|secret|token|key|admin|root|pwd)$/i;

/** True when `value` is a placeholder, a reference to a secret kept elsewhere, or a mask. */
export function isFakeValue(value: string): boolean {
  const v = value.trim();
  if (PLACEHOLDER_WORDS.has(v.toLowerCase()) || PLACEHOLDER_PAIR.test(v)) return true;
  if (MASK.test(v)) return true;
  if (REFERENCE.test(v)) return true;
  if (SELF_DESCRIBING.test(v)) return true;
  return false;
}

/** The lists and patterns, for the rule-set fingerprint. */
export const FAKE_PARTS = [PLACEHOLDER_WORDS, REFERENCE, MASK, SELF_DESCRIBING, PLACEHOLDER_PAIR, String(isFakeValue)];
