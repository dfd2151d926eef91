import { canonicalRedact, findRealSecrets } from '../../src/core/redact/canonical';
import { strict as assert } from 'node:assert';
import {
  REDACTION_RULES_VERSION,
  findSecrets,
  findSuspectTokens,
  mayContainSecretPrefix,
  placeholder,
  redact,
  rulesFingerprint,
  type Finding,
} from '../../src/core/redact/detectors';

// Fake, format-valid values built at run time so no scanner mistakes this file for a leak.
const rep = (s: string, n: number): string => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const GHP = 'ghp_' + rep('aZ3kQ9wX2mP7', 36);
const AKIA = 'AKIA' + 'Q7ZK3MXW5RTY2PLN';
const AWS_SECRET = rep('wJa1rXUtnF+EMI/K7MDENGbPxRfiCY9', 40);
const SK_PROJ = 'sk-proj-' + rep('Ab3_Xy9-Qr7Lm2Tz', 74) + 'T3BlbkFJ' + rep('Pq8Wn4Ks6Dj1Hf5G', 74);
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

function kinds(text: string): string[] {
  return findSecrets(text).map((f) => f.kind);
}
function found(text: string): string[] {
  return findSecrets(text).map((f) => text.slice(f.start, f.end));
}
const PEM_BODY = [
  'MIIEpAIBAAKCAQEAx8yK2mP9qR4sT6uV1wX3yZ5aB7cD9eF0gH2iJ4kZx8yK2mP9',
  'qR4sT6uV1wX3yZ5aB7cD9eF0gH2iJ4kLm3Nq8Rt2Vw6Yz1Bc5Df9Gh4Jk7Mn0Pq',
  'Zx8yK2mP9qR4sT6uV1wX3yZ5aB7cD9eF0gH2iJ4kQr3St6Uv9Wx2Yz5Ab8Cd1Ef=',
];

describe('redaction engine', () => {
  describe('known credential formats', () => {
    const cases: Array<[string, string, string]> = [
      ['github-token', `GITHUB_TOKEN=${GHP}`, GHP],
      ['aws-access-key', `aws_access_key_id = ${AKIA}`, AKIA],
      ['aws-secret-key', `aws_secret_access_key = ${AWS_SECRET}`, AWS_SECRET],
      ['openai-key', `client = OpenAI(api_key="${SK_PROJ}")`, SK_PROJ],
      ['jwt', `Authorization: Bearer ${JWT}`, JWT],
      ['gcp-api-key', `key=AIza${rep('Sy3Qx-9_Kp2Lm7', 35)}&v=3`, `AIza${rep('Sy3Qx-9_Kp2Lm7', 35)}`],
      ['slack-token', `token: xoxb-123456789012-1234567890123-${rep('AbCd1234EfGh', 24)}`, `xoxb-123456789012-1234567890123-${rep('AbCd1234EfGh', 24)}`],
      ['stripe-key', `Stripe('sk_live_${rep('4eC39HqLyjWDarjtT1zdp7dc', 24)}')`, `sk_live_${rep('4eC39HqLyjWDarjtT1zdp7dc', 24)}`],
      ['npm-token', `//registry.npmjs.org/:_authToken=npm_${rep('a1B2c3D4e5F6g7H8i9J0', 36)}`, `npm_${rep('a1B2c3D4e5F6g7H8i9J0', 36)}`],
      ['telegram-bot-token', `https://api.telegram.org/bot123456789:AA${rep('Fk3_x9Lm-2Qp7', 33)}/getMe`, `123456789:AA${rep('Fk3_x9Lm-2Qp7', 33)}`],
    ];
    for (const [kind, text, secret] of cases) {
      it(`finds ${kind}`, () => {
        const f = findSecrets(text);
        assert.ok(
          f.some((x) => x.kind === kind && x.start <= text.indexOf(secret) && x.end >= text.indexOf(secret) + secret.length),
          `${kind} in ${text}: ${JSON.stringify(f)}`,
        );
      });
    }

    it('leaves the AWS documentation example key alone', () => {
      assert.deepEqual(kinds('aws_access_key_id = AKIAIOSFODNN7EXAMPLE'), []);
    });
  });

  describe('structure and names', () => {
    it('takes user and password from credential URLs of any scheme', () => {
      assert.deepEqual(found('postgres://app:s3cr3t-Pw@db.internal:5432/orders'), ['app:s3cr3t-Pw']);
      assert.deepEqual(found('redis://:Zq8!kP2@cache:6379/0'), [':Zq8!kP2']);
      assert.deepEqual(found('mongodb+srv://ops:p@ss@cluster0.mongodb.net/db'), ['ops:p@ss']);
    });

    it('takes tokens from query strings', () => {
      assert.deepEqual(found('https://api.x.io/v1?city=Oslo&api_key=9f8Kq2Lm7Xw3Zp4R'), ['9f8Kq2Lm7Xw3Zp4R']);
      assert.deepEqual(found('https://api.x.io/v1?token=${TOKEN}'), []);
    });

    it('takes Authorization headers in curl, HTTP dumps and code', () => {
      assert.deepEqual(found('curl -H "Authorization: Bearer 7Fq2Lm9Xw3Zp4RkT8vB1" https://x'), ['7Fq2Lm9Xw3Zp4RkT8vB1']);
      assert.deepEqual(found('Authorization: Basic dXNlcjpwYXNzd29yZA=='), ['dXNlcjpwYXNzd29yZA==']);
      assert.deepEqual(found('headers: { Authorization: `Bearer ${token}` }'), []);
      assert.deepEqual(found("headers['Authorization'] = 'Bearer ' + token;"), []);
    });

    it('takes passwords in every assignment syntax', () => {
      for (const text of [
        'DB_PASSWORD=hunter22',
        'export DB_PASSWORD="hunter22"',
        'password: hunter22',
        '"password": "hunter22"',
        "password = 'hunter22'",
        '$password = "hunter22";',
        ':password => "hunter22"',
        'Password := "hunter22"',
        'String password = "hunter22";',
        'spring.datasource.password=hunter22',
        'Server=db;User Id=sa;Password=hunter22;',
        'jdbc:mysql://db/app?user=app&password=hunter22',
        '<password>hunter22</password>',
        '--password=hunter22',
        'mysql -u root -phunter22 app',
        'PGPASSWORD=hunter22 psql -h db',
      ]) {
        assert.deepEqual(found(text), ['hunter22'], text);
      }
    });

    it('takes random values assigned to secret-sounding names', () => {
      assert.deepEqual(found('API_SECRET=Zq8kP2mX9wL4vN7r'), ['Zq8kP2mX9wL4vN7r']);
      assert.deepEqual(found('"clientSecret": "Zq8kP2mX9wL4vN7r"'), ['Zq8kP2mX9wL4vN7r']);
      assert.deepEqual(found("headers.set('X-Api-Key', 'Zq8kP2mX9wL4vN7r');"), ['Zq8kP2mX9wL4vN7r']);
      assert.deepEqual(found('        env:\n          - name: API_TOKEN\n            value: "Zq8kP2mX9wL4vN7r"'), ['Zq8kP2mX9wL4vN7r']);
    });

    it('takes a whole private key block as one finding, with real or escaped line breaks', () => {
      const pem = ['-----BEGIN RSA PRIVATE KEY-----', ...PEM_BODY, '-----END RSA PRIVATE KEY-----'];
      const file = `const key = \`\n${pem.join('\n')}\n\`;\n`;
      const f = findSecrets(file);
      assert.equal(f.length, 1);
      assert.equal(f[0]?.kind, 'private-key');
      assert.equal(file.slice(f[0]?.start, f[0]?.end), pem.join('\n'));
      const json = `{"private_key": "${pem.join('\\n')}\\n", "client_id": "1"}`;
      assert.deepEqual(found(json), [pem.join('\\n')]);
    });

    it('takes a private key being typed, before its END line exists', () => {
      const text = ['-----BEGIN PRIVATE KEY-----', PEM_BODY[0], PEM_BODY[1]].join('\n');
      assert.deepEqual(findSecrets(text), [{ kind: 'private-key', start: 0, end: text.length }]);
    });

    it('takes base64 key lines scanned one at a time', () => {
      for (const line of PEM_BODY) assert.deepEqual(kinds(line), ['private-key-fragment'], line);
      assert.deepEqual(kinds(`    "${PEM_BODY[1]}\\n" +`), ['private-key-fragment']);
    });

    it('takes e-mail addresses except reserved example domains and service mailboxes', () => {
      assert.deepEqual(found('Author: Maria Garcia <maria.garcia@northwind.io>'), ['maria.garcia@northwind.io']);
      assert.deepEqual(found('user@example.com bob@test.example.org a@b.invalid ci@runner.test git@github.com:acme/x.git'), []);
      assert.deepEqual(found('background: url(icon@2x.png); import x from "pkg@1.2.3/index.js"'), []);
    });

    it('replaces the user name in home paths by ~', () => {
      const text = 'at /home/alice/app/x.js and /Users/bob.smith/src and C:\\Users\\carol\\Desktop';
      assert.deepEqual(found(text), ['/home/alice/', '/Users/bob.smith/', 'C:\\Users\\carol\\']);
      assert.equal(redact(text, 's').text, 'at ~/app/x.js and ~/src and ~\\Desktop');
      assert.equal(redact('{"cwd": "C:\\\\Users\\\\dana\\\\repo"}', 's').text, '{"cwd": "~\\\\repo"}');
      assert.deepEqual(found('cd /home/runner/work && ls /Users/Shared/x https://host/home/alice/'), []);
    });
  });

  describe('ordinary code', () => {
    const ordinary = [
      'const sha = "3f786850e387550fdab836ed7e6dc881de23001b";',
      'commit 9c2e6b1f0a4d3e5c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c',
      'const id = "123e4567-e89b-12d3-a456-426614174000";',
      '      "integrity": "sha512-Zx8yK2mP9qR4sT6uV1wX3yZ5aB7cD9eF0gH2iJ4kZx8yK2mP9qR4sT6uV1wX3yZ5aB7cD9eF0gH2iJ4kAB==",',
      'color: #a1b2c3; background: #FFF;',
      'api_key = "YOUR_API_KEY"',
      'token: "<token>"',
      'PASSWORD=changeme',
      'password: xxxxxxxx',
      'const key = process.env.API_KEY;',
      'secret = os.environ["SECRET"]',
      'TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      'DB_PASSWORD=${DB_PASSWORD}',
      '  password: string;',
      '  password?: string | undefined;',
      'def login(self, password: str = None):',
      'const password = getPassword();',
      'this.password = password;',
      'const token = tokens[i];',
      'const TOKEN_KEY = "auth_token";',
      "tokenType: 'Bearer',",
      'export function cancel(token: CancellationToken): void {',
      'const primaryKey = "user_id";',
      'if (!secret) throw new Error("missing secret");',
      '"passwordPlaceholder": "Enter your password",',
      'const img = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";',
      '<a href="https://github.com/acme/widgets/issues?q=is%3Aopen&sort=created">issues</a>',
      'import { readFileSync } from "node:fs";',
      'http://localhost:8080/api/v1/users?page=2&limit=50',
      '- uses: actions/checkout@v4',
    ];
    for (const line of ordinary) {
      it(`leaves alone: ${line.slice(0, 60)}`, () => {
        assert.deepEqual(findSecrets(line), []);
        assert.equal(mayContainSecretPrefix(line), false, 'suspected a partial secret');
      });
    }
  });

  describe('findings', () => {
    it('are sorted, disjoint and index the input in UTF-16 code units', () => {
      const text = `😀 note: «x» GITHUB_TOKEN=${GHP} 🎉 mail jürgen@firma.de, key ${AKIA}\npassword: "pässwörd1"`;
      const f = findSecrets(text);
      assert.deepEqual(
        f.map((x) => text.slice(x.start, x.end)),
        [GHP, 'jürgen@firma.de', AKIA, 'pässwörd1'],
      );
      for (let i = 0; i < f.length; i++) {
        const x = f[i] as Finding;
        assert.ok(x.start < x.end && x.end <= text.length);
        if (i > 0) assert.ok((f[i - 1] as Finding).end <= x.start, 'overlap');
      }
    });

    it('merge overlaps into their union under the most specific kind', () => {
      const text = `GITHUB_TOKEN="${GHP}"`;
      assert.deepEqual(findSecrets(text), [{ kind: 'github-token', start: 14, end: 14 + GHP.length }]);
    });

    it('redact applies placeholders and reports offsets into the input', () => {
      const text = `a ${GHP} b maria@northwind.io c`;
      const { text: out, findings } = redact(text, 'salt');
      assert.equal(out, `a ${placeholder('github-token', GHP, 'salt')} b ${placeholder('email', 'maria@northwind.io', 'salt')} c`);
      assert.deepEqual(
        findings.map((f) => text.slice(f.start, f.end)),
        [GHP, 'maria@northwind.io'],
      );
      assert.deepEqual(redact('nothing here', 'salt'), { text: 'nothing here', findings: [] });
    });
  });

  describe('placeholders', () => {
    it('are deterministic per salt and differ across salts', () => {
      const a = placeholder('github-token', GHP, 'store-1');
      assert.match(a, /^«secret:github-token:[0-9a-f]{6}»$/);
      assert.equal(placeholder('github-token', GHP, 'store-1'), a);
      assert.notEqual(placeholder('github-token', GHP, 'store-2'), a);
      assert.notEqual(placeholder('github-token', GHP + 'x', 'store-1'), a);
      assert.match(placeholder('email', 'maria@northwind.io', 's'), /^«email:[0-9a-f]{6}»$/);
    });

    it('keep only the separator of a home path', () => {
      assert.equal(placeholder('home-path', '/home/alice/', 's'), '~/');
      assert.equal(placeholder('home-path', 'C:\\Users\\alice\\', 's'), '~\\');
      assert.equal(placeholder('home-path', '/Users/alice', 's'), '~');
    });
  });

  describe('partial secrets', () => {
    const partial = [
      'const t = "ghp_abc',
      'sk-',
      'OPENAI_API_KEY=sk-proj-ab',
      'key = AKIA',
      'SLACK=xoxb-',
      '-----BEGIN RSA PRIV',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'jwt = "eyJhbGci',
      'DATABASE_URL=postgres://app:s3',
      'curl -H "Authorization: Bearer ',
      'Authorization: Bearer ab',
      'PASSWORD=',
      'api_key = "a8F3',
      'api_key = "a8F3"',
      '"password": "',
      'export GITHUB_TOKEN=',
      '--password ',
    ];
    for (const line of partial) {
      it(`suspects: ${line}`, () => {
        assert.equal(mayContainSecretPrefix(line), true);
      });
    }

    it('finds the typed part of a partial secret as a suspect token (a vendor prefix with its tail)', () => {
      const line = 'const t = "ghp_abc';
      assert.deepEqual(findSuspectTokens(line), [{ kind: 'suspect', start: line.indexOf('ghp_'), end: line.length }]);
      const url = 'DATABASE_URL=postgres://app:s3';
      assert.deepEqual(
        findSuspectTokens(url).map((f) => url.slice(f.start, f.end)),
        ['s3'],
      );
      const assign = 'api_key = "a8F3';
      assert.deepEqual(
        findSuspectTokens(assign).map((f) => assign.slice(f.start, f.end)),
        ['a8F3'],
      );
    });

    it('a half-typed secret, once redacted, is left alone when redacted again (no prefix left to look like a value)', () => {
      for (const line of ['const token = "ghp_A', 'const token = "ghp_Ab"', 'x ghp_Ab', 'key: sk-proj-a1', 'TOKEN=xoxb-12', 'const t = "glpat-x9']) {
        const once = canonicalRedact(line, 'salt').text;
        assert.notEqual(once, line, line);
        assert.equal(canonicalRedact(once, 'salt').text, once, line);
        assert.deepEqual(findRealSecrets(once), [], line);
      }
    });

    it('does not report as suspect what findSecrets already finds', () => {
      assert.deepEqual(findSuspectTokens(`GITHUB_TOKEN=${GHP}`), []);
      assert.equal(mayContainSecretPrefix(`GITHUB_TOKEN=${GHP}`), false);
    });

    it('ignores identifiers that merely start like a token', () => {
      for (const line of ['from huggingface_hub import hf_hub_download', 'npm_config_cache=/tmp/npm', 'const desk = task-list', 'locale: sk-SK,']) {
        assert.equal(mayContainSecretPrefix(line), false, line);
      }
    });
  });

  describe('rule set version', () => {
    it('is bumped whenever the rule tables change', () => {
      // Changing a rule changes the fingerprint: bump REDACTION_RULES_VERSION, then record both here.
      assert.deepEqual({ version: REDACTION_RULES_VERSION, fingerprint: rulesFingerprint() }, { version: '2', fingerprint: '74744cc79f00a8bd' });
    });
  });
});
