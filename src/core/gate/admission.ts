// The one way an event gets a place to go: `admit` applies the gate (trust, consent to the policy,
// pause, exclusions), the consent ledger read live (a revocation stops recording at once) and
// git's ignore answer, and only it makes an `AdmittedRepoId`, the only repository key
// `CaptureSession` records under. So an adapter that skips the gate does not compile.
import { gate } from './gate';
import type { ExcludeMatcher } from './exclusions';
import type { Policy } from './policy';
import type { RepoState } from './repoState';

declare const admitted: unique symbol;

/** A repository id that passed `admit`; nothing else makes one. */
export type AdmittedRepoId = string & { readonly [admitted]: true };

/** A repository that passed the gate: where events go and what its policy allows. */
export interface AdmittedTarget {
  readonly repoId: AdmittedRepoId;
  readonly root: string;
  readonly policy: Policy;
}

/** A file that passed the gate. */
export interface AdmittedFile extends AdmittedTarget {
  readonly relPath: string;
}

/** A repository as the window tracks it. */
export interface AdmissionRepo {
  repoId: string;
  root: string;
  state: RepoState;
  isExcluded: ExcludeMatcher;
}

export interface Admission {
  trusted: boolean;
  paused: boolean;
  /** The repository the event is in; undefined: outside every repository of the window. */
  repo: AdmissionRepo | undefined;
  /** Whether the ledger holds consent to this policy now (the repository's state may lag a revocation). */
  consentCovers(root: string, policyHash: string): boolean;
}

export interface FileAdmission extends Admission {
  relPath: string;
  /** git's answer on whether the file is ignored; undefined (not asked yet) refuses it. Asked last. */
  ignored(): boolean | undefined;
}

/** Where an event about a file (with `relPath`) or a repository may be recorded; undefined: nowhere. */
export function admit(request: FileAdmission): AdmittedFile | undefined;
export function admit(request: Admission): AdmittedTarget | undefined;
export function admit(request: Admission | FileAdmission): AdmittedTarget | AdmittedFile | undefined {
  const { repo } = request;
  const relPath = 'relPath' in request ? request.relPath : undefined;
  if (!gate({ trusted: request.trusted, paused: request.paused, repo, relPath }).record || repo?.state.kind !== 'consented') return undefined;
  if (!request.consentCovers(repo.root, repo.state.hash)) return undefined;
  const target: AdmittedTarget = { repoId: repo.repoId as AdmittedRepoId, root: repo.root, policy: repo.state.policy };
  if (!('relPath' in request)) return target;
  // Git-ignored files are refused until git has said they are not ignored.
  if (request.ignored() !== false) return undefined;
  return { ...target, relPath: request.relPath };
}
