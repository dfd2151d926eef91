import { strict as assert } from 'node:assert';
import { admit, type Admission } from '../../src/core/gate/admission';
import { ConsentLedger } from '../../src/core/gate/consent';
import { excludeMatcher } from '../../src/core/gate/exclusions';
import { evaluateRepoState } from '../../src/core/gate/repoState';
import { MemoryState } from '../helpers/memoryState';

const POLICY = '{"version": 1, "enabled": true, "exclude": ["secrets/**"]}';
const ROOT = '/work/repo';

describe('admission: the one way to a repository id the session records under', () => {
  async function consented(): Promise<{ ledger: ConsentLedger; request: Admission }> {
    const ledger = new ConsentLedger(new MemoryState());
    const asking = evaluateRepoState(ROOT, { committed: POLICY, onDisk: POLICY }, ledger);
    assert.equal(asking.kind, 'needs-consent');
    await ledger.give(ROOT, asking.hash, 1);
    const state = evaluateRepoState(ROOT, { committed: POLICY, onDisk: POLICY }, ledger);
    const repo = { repoId: 'r_1', root: ROOT, state, isExcluded: excludeMatcher(state.kind === 'consented' ? state.policy.exclude : []) };
    return { ledger, request: { trusted: true, paused: false, repo, consentCovers: (root, hash) => ledger.covers(root, hash) } };
  }

  it('admits a consented repository, and a file in it once git has said it is not ignored', async () => {
    const { request } = await consented();
    assert.deepEqual(
      { ...admit(request) },
      { repoId: 'r_1', root: ROOT, policy: request.repo?.state.kind === 'consented' ? request.repo.state.policy : undefined },
    );
    assert.equal(admit({ ...request, relPath: 'src/a.js', ignored: () => false })?.relPath, 'src/a.js');
  });

  it('refuses for any one of: untrusted, paused, outside the repositories, consent revoked, excluded, ignored or not known yet', async () => {
    const { ledger, request } = await consented();
    const file = { relPath: 'src/a.js', ignored: () => false };
    assert.equal(admit({ ...request, trusted: false }), undefined);
    assert.equal(admit({ ...request, paused: true }), undefined);
    assert.equal(admit({ ...request, repo: undefined }), undefined);
    assert.equal(admit({ ...request, ...file, relPath: 'secrets/key.txt' }), undefined);
    assert.equal(admit({ ...request, ...file, ignored: () => true }), undefined);
    assert.equal(admit({ ...request, ...file, ignored: () => undefined }), undefined);
    // The repository's state still says consented: the ledger, read live, is what stops it.
    await ledger.revoke(ROOT);
    assert.equal(admit(request), undefined);
    assert.equal(admit({ ...request, ...file }), undefined);
  });
});
