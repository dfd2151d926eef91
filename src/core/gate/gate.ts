// The gate every event passes before it is even buffered. Order matters only for the reason
// reported; any single "no" keeps the event out.
import type { ExcludeMatcher } from './exclusions';
import type { CaptureLevel } from './policy';
import type { RepoState } from './repoState';

export type GateVerdict =
  { record: true; capture: CaptureLevel } | { record: false; reason: 'untrusted' | 'paused' | 'outside-repos' | 'no-consent' | 'excluded' };

export interface GateInput {
  trusted: boolean;
  paused: boolean;
  repo: { state: RepoState; isExcluded: ExcludeMatcher } | undefined;
  /** The file's path relative to the repository root; undefined for events not about a file. */
  relPath: string | undefined;
}

export function gate({ trusted, paused, repo, relPath }: GateInput): GateVerdict {
  if (!trusted) return { record: false, reason: 'untrusted' };
  if (!repo) return { record: false, reason: 'outside-repos' };
  if (repo.state.kind !== 'consented') return { record: false, reason: 'no-consent' };
  if (paused) return { record: false, reason: 'paused' };
  if (relPath !== undefined && repo.isExcluded(relPath)) return { record: false, reason: 'excluded' };
  return { record: true, capture: repo.state.policy.capture };
}
