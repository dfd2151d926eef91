// Secrets given to commands as arguments (issue 13): measured on the generated command corpus
// (test/helpers/commandCorpus.ts); `bench/redaction.mjs` prints the same numbers.
import { strict as assert } from 'node:assert';
import { findSecrets, redact } from '../../src/core/redact/detectors';
import { redactEventData } from '../../src/core/redact/eventRedaction';
import { isSecretFile } from '../../src/core/redact/rules/commandLines';
import { commandSecretSamples, ordinaryCommands } from '../helpers/commandCorpus';
import { covered, occurrences } from '../helpers/secretCorpus';

/** Personal data (e-mail-shaped ssh targets, home paths) is redacted by design; it is not a false secret. */
const PERSONAL = new Set(['email', 'home-path']);

describe('command-argument secrets', () => {
  const samples = commandSecretSamples();
  const ordinary = ordinaryCommands();

  it('the corpus has at least 200 secret command lines in bash, zsh, fish and PowerShell, and 2,000 ordinary ones', () => {
    assert.ok(samples.length >= 200, `${samples.length} secret lines`);
    assert.deepEqual(new Set(samples.map((s) => s.shell)), new Set(['bash', 'zsh', 'fish', 'powershell']));
    assert.ok(ordinary.length >= 2000, `${ordinary.length} ordinary lines`);
  });

  it('recalls at least 99% of the secrets: wholly covered, and gone from the redacted line', () => {
    const missed: string[] = [];
    let total = 0;
    for (const s of samples) {
      const findings = findSecrets(s.text);
      const out = redact(s.text, 'salt').text;
      for (const v of s.secrets) {
        total++;
        const whole = occurrences(s.text, v).every((at) => covered(findings, at, at + v.length));
        if (!whole || out.includes(v)) missed.push(s.text);
      }
    }
    assert.ok(1 - missed.length / total >= 0.99, `recall ${(1 - missed.length / total).toFixed(4)}; missed:\n${missed.join('\n')}`);
  });

  it('leaves at least 99.5% of ordinary command lines without a secret finding', () => {
    const touched = ordinary.filter((l) => findSecrets(l).some((f) => !PERSONAL.has(f.kind)));
    assert.ok(1 - touched.length / ordinary.length >= 0.995, `touched:\n${touched.slice(0, 30).join('\n')}`);
  });

  it("a value printed into a dotenv file reaches the store redacted in terminal.command (the issue's reproduction)", () => {
    const commandLine = `printf '%s\\n' 'Winterriver2024!' > .env`;
    const data = { terminal: 't1', commandLine, confidence: 'high' as const, cwd: null, startTs: 1, endTs: 2, exitCode: 0 };
    const stored = redactEventData('terminal.command', data, (t) => redact(t, 'salt').text);
    assert.doesNotMatch(stored.commandLine, /Winterriver2024/);
    assert.match(stored.commandLine, /^printf '%s\\n' '«secret:[^»]+»' > \.env$/);
  });

  it('keeps the command readable: only the value is replaced', () => {
    const cases: [string, string][] = [
      ['mysql -u app -pS3cretPass shop', 'S3cretPass'],
      ['curl -u deploy:hunter22x https://ci.local/api', 'hunter22x'],
      ['docker login -u ci -p "pa ss"', 'pa ss'],
      ['echo "app:Passw0rd9" | sudo chpasswd', 'Passw0rd9'],
    ];
    for (const [line, secret] of cases) {
      const spans = findSecrets(line).map((f) => line.slice(f.start, f.end));
      assert.deepEqual(spans, [secret], line);
    }
    const clone = 'git clone https://abcdEFGH1234ijklMNOP5678qrst@github.com/a/b.git';
    assert.match(redact(clone, 'salt').text, /^git clone https:\/\/«[^»]+»\/a\/b\.git$/);
  });

  it('near misses stay untouched: a port, a prompt, a variable, a non-secret setting, a template file', () => {
    for (const line of [
      'psql -h db -p 5432 -U app',
      'mysql -u root -p shop',
      'echo "$TOKEN" > .env',
      'echo "NODE_ENV=production" >> .env',
      'cp .env.example .env',
      'echo secret > .env.example',
      'ssh -p 22 build-01',
    ]) {
      assert.deepEqual(findSecrets(line), [], line);
    }
    assert.ok(isSecretFile('.env.local') && isSecretFile('C:\\secrets\\token.txt') && isSecretFile('~/.ssh/id_ed25519'));
    assert.ok(!isSecretFile('.env.example') && !isSecretFile('src/token.ts') && !isSecretFile('notes.txt'));
  });
});
