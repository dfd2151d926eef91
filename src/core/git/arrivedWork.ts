// Work that arrives from elsewhere during a task: a pull, a fetch + merge, a rebase onto others'
// commits, a cherry-pick of someone else's commit. Whose commit it is comes from its author
// identity against the engineer's (both hashed the same way). Others' commits move the task's
// base forward, so its patches carry only the engineer's own work.
import { gitAt } from './gateway';
import type { ReflogKind } from './headLog';

/** HEAD moves that can bring others' commits into a task (a merge commit's reflog kind is `merge` too). */
const ARRIVAL_KINDS = new Set<ReflogKind>(['pull', 'merge', 'rebase', 'cherry-pick', 'reset']);

export function mayBringOthersWork(kind: ReflogKind): boolean {
  return ARRIVAL_KINDS.has(kind);
}

export interface Arrival {
  /** Commits by someone else that HEAD gained in this move. */
  commits: number;
  /** The task's new base: the newest arrived commit, with everything between the old base and it others' work. Null: others' work is interleaved with the engineer's and cannot be split off. */
  base: string | null;
}

/** The identity commits made here would carry (`user.email`, or the name), as readCommit hashes it. */
export async function engineerIdentity(root: string, hashIdentity: (value: string) => string): Promise<string | undefined> {
  const ident = await gitAt(root).rawOr(['var', 'GIT_AUTHOR_IDENT'], '', { expected: true });
  const m = /^(.*?) <([^>]*)> \d+ [+-]\d{4}\s*$/.exec(ident.trim());
  if (!m) return undefined;
  return hashIdentity(m[2]!.trim().toLowerCase() || m[1]!.trim());
}

/** Commits reachable from `to` and not from `from`, newest first, each with its hashed author. */
async function authorsBetween(root: string, to: string, from: string, hashIdentity: (value: string) => string): Promise<{ sha: string; author: string }[]> {
  const out = await gitAt(root).raw(['log', '--topo-order', '--format=%H%x00%aE%x00%aN', to, `^${from}`, '--']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', email = '', name = ''] = line.split('\0');
      return { sha, author: hashIdentity(email.trim().toLowerCase() || name.trim()) };
    });
}

/**
 * What HEAD moving from `from` to `to` brought from others, for a task based at `base`; undefined
 * when every new commit is the engineer's (or HEAD did not gain any).
 */
export async function arrivedWork(
  root: string,
  move: { from: string; to: string; base: string },
  engineer: string,
  hashIdentity: (value: string) => string,
): Promise<Arrival | undefined> {
  const gained = await authorsBetween(root, move.to, move.from, hashIdentity);
  const foreign = gained.filter((c) => c.author !== engineer);
  if (foreign.length === 0) return undefined;
  const git = gitAt(root);
  for (const candidate of foreign) {
    // The base moves to `candidate` only if it already held the old base and nothing of the
    // engineer's lies between them, and it holds every other arrived commit.
    const isAncestor = (await git.rawOr(['merge-base', move.base, candidate.sha], '', { expected: true })).trim() === move.base;
    if (!isAncestor) continue;
    const below = await authorsBetween(root, candidate.sha, move.base, hashIdentity);
    if (below.some((c) => c.author === engineer)) continue;
    const held = new Set(below.map((c) => c.sha));
    if (foreign.every((c) => held.has(c.sha))) return { commits: foreign.length, base: candidate.sha };
  }
  return { commits: foreign.length, base: null };
}

/** The patch from `from` to `to`, in the form `git apply` takes at `from`. */
export async function diffBetween(root: string, from: string, to: string): Promise<string | undefined> {
  const args = ['diff', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', from, to];
  return gitAt(root).rawOr(args, undefined);
}
