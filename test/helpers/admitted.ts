// A repository id admitted the only way there is (core/gate/admission.ts): a trusted window, not
// paused, a consented policy the ledger covers. Tests that write through the capture session use it.
import { admit, type AdmittedRepoId } from '../../src/core/gate/admission';
import { excludeMatcher } from '../../src/core/gate/exclusions';
import { parsePolicy } from '../../src/core/gate/policy';

export function admittedRepoId(repoId: string): AdmittedRepoId {
  const check = parsePolicy('{"version": 1, "enabled": true}');
  if (!check.ok) throw new Error(`test policy: ${check.errors.join('; ')}`);
  const target = admit({
    trusted: true,
    paused: false,
    consentCovers: () => true,
    repo: {
      repoId,
      root: '/repo',
      state: { kind: 'consented', policy: check.policy, hash: check.hash, warnings: [], consentAt: 0 },
      isExcluded: excludeMatcher(),
    },
  });
  if (!target) throw new Error('the test repository was not admitted');
  return target.repoId;
}
