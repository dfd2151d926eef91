// The engineer's own work in a task: its final patch, and the commit that patch applies to. When
// others' commits arrived during the task (records marked `arrived`), capture moved the task's
// base past them, so the diffs recorded after that point hold only the engineer's changes; the
// final patch is the last such diff, and applies to the base in effect when it was taken.
import type { EventRecord } from '../schema/events';

export interface ArrivalMark {
  ts: number;
  /** The move that brought them: pull, merge, rebase, cherry-pick, reset, or a merge commit (`commit`). */
  kind: string;
  /** HEAD after the move. */
  sha: string;
  commits: number;
  /** The task's base from there on; null: the arrived work could not be split off. */
  base: string | null;
}

export interface OwnWork {
  /** The commit `finalPatch` applies to (the task's start, or past others' arrived work). */
  base: string | null;
  /** The engineer's changes from `base` to their last commit; null when none, or when others' work is mixed in. */
  finalPatch: string | null;
  arrivals: ArrivalMark[];
  /** Others' work arrived interleaved with the engineer's before the last commit: no patch of only theirs. */
  mixed: boolean;
}

export function ownWork(events: EventRecord[]): OwnWork {
  let base: string | null = null;
  let mixed = false;
  let final: { patch: string; base: string | null; mixed: boolean } | undefined;
  const arrivals: ArrivalMark[] = [];
  for (const e of events) {
    if (e.kind === 'git.state' && base === null && arrivals.length === 0) base = e.data.head;
    if (e.kind !== 'git.head' && e.kind !== 'git.commit') continue;
    const arrived = e.data.arrived;
    if (arrived) {
      arrivals.push({
        ts: e.ts,
        kind: e.kind === 'git.head' ? e.data.kind : 'commit',
        sha: e.kind === 'git.head' ? e.data.to : e.data.sha,
        commits: arrived.commits,
        base: arrived.base,
      });
      if (arrived.base) base = arrived.base;
      else mixed = true;
    }
    if (e.kind === 'git.commit' && e.data.baseDiff !== undefined) final = { patch: e.data.baseDiff, base, mixed };
  }
  return { base: final?.base ?? base, finalPatch: final && !final.mixed ? final.patch : null, arrivals, mixed: final?.mixed ?? false };
}
