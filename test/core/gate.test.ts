import { strict as assert } from 'node:assert';
import { ConsentLedger } from '../../src/core/gate/consent';
import { excludeMatcher } from '../../src/core/gate/exclusions';
import { gate } from '../../src/core/gate/gate';
import { evaluateRepoState } from '../../src/core/gate/repoState';
import { MemoryState } from '../helpers/memoryState';

const POLICY = '{"version": 1, "enabled": true}';
const ROOT = '/work/repo';

describe('the two keys and the gate', () => {
  it('a repository records only with a committed, enabled policy and consent to that exact policy', async () => {
    const ledger = new ConsentLedger(new MemoryState());
    assert.equal(evaluateRepoState(ROOT, { committed: undefined, onDisk: undefined }, ledger).kind, 'no-policy');
    assert.equal(evaluateRepoState(ROOT, { committed: undefined, onDisk: POLICY }, ledger).kind, 'not-committed');
    assert.equal(evaluateRepoState(ROOT, { committed: '{"version": 1, "enabled": false}', onDisk: undefined }, ledger).kind, 'disabled');
    assert.equal(evaluateRepoState(ROOT, { committed: '{"version": 1, "enabled": true, "storePath": "/x"}', onDisk: undefined }, ledger).kind, 'invalid');
    const before = evaluateRepoState(ROOT, { committed: POLICY, onDisk: POLICY }, ledger);
    assert.equal(before.kind, 'needs-consent');
    if (before.kind !== 'needs-consent') return;
    assert.equal(before.policyChanged, false);
    await ledger.give(ROOT, before.hash, 1000);
    const after = evaluateRepoState(ROOT, { committed: POLICY, onDisk: POLICY }, ledger);
    assert.equal(after.kind, 'consented');

    const changed = evaluateRepoState(ROOT, { committed: '{"version": 1, "enabled": true, "purpose": "more"}', onDisk: undefined }, ledger);
    assert.equal(changed.kind, 'needs-consent', 'a changed policy asks again');
    assert.equal(changed.kind === 'needs-consent' && changed.policyChanged, true);
    assert.equal(evaluateRepoState('/work/other', { committed: POLICY, onDisk: POLICY }, ledger).kind, 'needs-consent', 'consent is per repository');

    await ledger.revoke(ROOT);
    assert.equal(evaluateRepoState(ROOT, { committed: POLICY, onDisk: POLICY }, ledger).kind, 'needs-consent');
  });

  it('uncommitted edits to the policy do not take effect, and say so', async () => {
    const ledger = new ConsentLedger(new MemoryState());
    const state = evaluateRepoState(ROOT, { committed: POLICY, onDisk: '{"version": 1, "enabled": true, "capture": "full"}' }, ledger);
    assert.ok(state.kind === 'needs-consent');
    assert.ok(state.warnings.some((w) => /only once committed/.test(w)));
  });

  it('every single "no" keeps an event out', async () => {
    const ledger = new ConsentLedger(new MemoryState());
    const needs = evaluateRepoState(ROOT, { committed: POLICY, onDisk: POLICY }, ledger);
    await ledger.give(ROOT, needs.kind === 'needs-consent' ? needs.hash : '', 1);
    const consented = { state: evaluateRepoState(ROOT, { committed: POLICY, onDisk: POLICY }, ledger), isExcluded: excludeMatcher(['generated/**']) };
    const ok = { trusted: true, paused: false, repo: consented, relPath: 'src/a.ts' };
    assert.deepEqual(gate(ok), { record: true, capture: 'full' });
    assert.deepEqual(gate({ ...ok, trusted: false }), { record: false, reason: 'untrusted' });
    assert.deepEqual(gate({ ...ok, paused: true }), { record: false, reason: 'paused' });
    assert.deepEqual(gate({ ...ok, repo: undefined }), { record: false, reason: 'outside-repos' });
    assert.deepEqual(gate({ ...ok, repo: { ...consented, state: needs } }), { record: false, reason: 'no-consent' });
    assert.deepEqual(gate({ ...ok, relPath: 'generated/x.ts' }), { record: false, reason: 'excluded' });
  });

  it("excludes secrets by convention at any depth, and the policy's globs", () => {
    const excluded = excludeMatcher(['docs/private/**']);
    for (const p of [
      '.env',
      '.env.local',
      'config/.env.production',
      'certs/server.pem',
      'server.key',
      'deploy/id_rsa',
      'id_ed25519.pub',
      'secrets.yaml',
      'a/b/secrets.json',
      'keystore.p12',
      '.npmrc',
      'home/.aws/credentials',
      'docs/private/plan.md',
      '.git/config',
    ]) {
      assert.equal(excluded(p), true, p);
    }
    for (const p of ['src/env.ts', 'src/keyboard.ts', 'README.md', 'docs/public.md', 'src/secretsManager.ts', 'environment.yml', 'src/pem.ts']) {
      assert.equal(excluded(p), false, p);
    }
  });
});
