import { strict as assert } from 'node:assert';
import { parsePolicy, policyHash, POLICY_DEFAULTS } from '../../src/core/gate/policy';

function errorsOf(text: string): string[] {
  const check = parsePolicy(text);
  assert.equal(check.ok, false, `expected ${text} to be refused`);
  return check.ok ? [] : check.errors;
}

describe('policy file', () => {
  it('{"version": 1, "enabled": true} alone is a complete policy with safe defaults', () => {
    const check = parsePolicy('{"version": 1, "enabled": true}');
    assert.ok(check.ok);
    assert.deepEqual(check.policy, { version: 1, enabled: true, ...POLICY_DEFAULTS });
    assert.equal(check.policy.terminalOutput, false, 'terminal output is not kept unless the policy says so');
    assert.equal(check.policy.capture, 'full');
  });

  it('reads every field', () => {
    const check = parsePolicy(
      JSON.stringify({
        version: 1,
        enabled: true,
        purpose: 'train',
        contact: 'ml@corp',
        capture: 'metadata',
        exclude: ['vendor/**'],
        retentionDays: 30,
        terminalOutput: true,
        name: 'acme/range-lib',
      }),
    );
    assert.ok(check.ok);
    assert.equal(check.policy.name, 'acme/range-lib');
    assert.equal(check.policy.capture, 'metadata');
    assert.deepEqual(check.policy.exclude, ['vendor/**']);
    assert.equal(check.policy.retentionDays, 30);
    assert.equal(check.policy.terminalOutput, true);
  });

  it('hashes the exact bytes, so any change asks for consent again', () => {
    const a = parsePolicy('{"version": 1, "enabled": true}');
    const b = parsePolicy('{"version":1,"enabled":true}');
    assert.notEqual(a.hash, b.hash);
    assert.equal(a.hash, policyHash('{"version": 1, "enabled": true}'));
    assert.match(a.hash, /^[0-9a-f]{64}$/);
  });

  it('reports unknown keys and ignores them', () => {
    const check = parsePolicy('{"version": 1, "enabled": true, "team": "search"}');
    assert.ok(check.ok);
    assert.deepEqual(check.warnings, ['unknown key "team" ignored']);
  });

  it('refuses hostile or broken files with a message that says why', () => {
    const cases: [string, RegExp][] = [
      ['not json', /not valid JSON/],
      ['[]', /JSON object/],
      ['null', /JSON object/],
      ['{"version": 2, "enabled": true}', /"version" must be 1/],
      ['{"version": 1}', /"enabled" must be true or false/],
      ['{"version": 1, "enabled": "yes"}', /"enabled"/],
      ['{"version": 1, "enabled": true, "storePath": "/tmp/steal"}', /cannot choose where recordings are stored/],
      ['{"version": 1, "enabled": true, "uploadUrl": "https://x"}', /cannot choose where/],
      ['{"version": 1, "enabled": true, "exportDir": "../x"}', /cannot choose where/],
      ['{"version": 1, "enabled": true, "retentionDays": 1e9}', /retentionDays/],
      ['{"version": 1, "enabled": true, "retentionDays": 0.5}', /retentionDays/],
      ['{"version": 1, "enabled": true, "capture": "everything"}', /"capture"/],
      ['{"version": 1, "enabled": true, "exclude": "*.ts"}', /"exclude" must be a list/],
      ['{"version": 1, "enabled": true, "exclude": ["!.env"]}', /un-exclude/],
      [JSON.stringify({ version: 1, enabled: true, exclude: Array(300).fill('a') }), /more than 256/],
      [JSON.stringify({ version: 1, enabled: true, purpose: 'x'.repeat(5000) }), /"purpose" is longer/],
      [JSON.stringify({ version: 1, enabled: true, pad: 'x'.repeat(70 * 1024) }), /larger than 64 KiB/],
      ['{"version": 1, "enabled": true, "terminalOutput": "always"}', /"terminalOutput"/],
      ['{"version": 1, "enabled": true, "name": "range-lib"}', /"name" must be "org\/repo"/],
      ['{"version": 1, "enabled": true, "name": "acme/range lib"}', /"name"/],
      ['{"version": 1, "enabled": true, "name": "../etc/passwd"}', /"name"/],
      ['{"version": 1, "enabled": true, "name": 42}', /"name"/],
    ];
    for (const [text, message] of cases) {
      const errors = errorsOf(text);
      assert.ok(
        errors.some((e) => message.test(e)),
        `${text.slice(0, 60)} → ${errors.join('; ')}`,
      );
    }
  });

  it('a __proto__ key cannot smuggle settings in', () => {
    const check = parsePolicy('{"version": 1, "enabled": true, "__proto__": {"capture": "metadata", "storePath": "/x"}}');
    assert.ok(check.ok);
    assert.equal(check.policy.capture, 'full');
    assert.equal((check.policy as unknown as Record<string, unknown>).storePath, undefined);
  });
});
