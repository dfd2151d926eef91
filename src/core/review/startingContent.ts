// What a file held when the task started, for the review panel's replay before the file's first
// recorded snapshot: the task's git.state names HEAD, and the repository (when it is open here)
// has HEAD's content. Files the task started with changes to (the dirty diff) are left unknown
// rather than shown wrong; untracked files come from the record itself.
import type { BaseContent } from '../replay/replayer';
import type { EventRecord, RecordOfKind } from '../schema/events';

/** A file's content at a commit: null when the commit has no such file, undefined when unknown. */
export type ReadAtCommit = (sha: string, file: string) => Promise<string | null | undefined>;

/** Names of the files a `git diff` touches (both sides of a rename). */
export function filesInDiff(diff: string): Set<string> {
  const files = new Set<string>();
  for (const m of diff.matchAll(/^diff --git a\/(.+?) b\/(.+)$/gm)) files.add(m[1]!).add(m[2]!);
  return files;
}

/** A path git may be asked about: relative, inside the repository, nothing git would read as an option. */
export function isSafeRelPath(file: string): boolean {
  return (
    file.length > 0 &&
    !file.startsWith('/') &&
    !file.startsWith('-') &&
    !/^[A-Za-z]:/.test(file) &&
    !file.split(/[\\/]/).some((p) => p === '..' || p === '.git') &&
    !file.includes('\0')
  );
}

export function startingContent(events: readonly EventRecord[], read: ReadAtCommit): BaseContent | undefined {
  if (events.some((e) => e.kind === 'session.start' && e.data.captureLevel === 'metadata')) return undefined; // no code text, ever
  const states = events.filter((e): e is RecordOfKind<'git.state'> => e.kind === 'git.state');
  const state = states.find((e) => e.data.reason === 'task') ?? states[0];
  const head = state?.data.head;
  if (!state || !head) return undefined;
  const changed = filesInDiff(state.data.dirtyDiff);
  for (const o of state.data.diffOmitted) changed.add(o.path);
  const untracked = new Map(state.data.untracked.map((u) => [u.path, u]));
  return async (file) => {
    if (!isSafeRelPath(file) || changed.has(file)) return undefined;
    const u = untracked.get(file);
    if (u) return u.content !== undefined && !u.symlink ? u.content : undefined;
    return read(head, file);
  };
}
