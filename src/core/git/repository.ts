// What core needs to know from git about a repository, through the git gateway. Called when a
// workspace opens or its policy changes, never on the keystroke path.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gitAt } from './gateway';

export interface RepoInfo {
  /** Absolute, symlinks resolved. */
  root: string;
  /** The first commit, stable across clones; null in a repository with no commits. */
  rootCommit: string | null;
}

/**
 * The repository holding a folder, or undefined when it is in none. `onError` hears why git could
 * not tell (a folder that is not a repository is not an error).
 */
export async function findRepository(folder: string, onError?: (message: string) => void): Promise<RepoInfo | undefined> {
  try {
    const git = gitAt(folder);
    const top = (
      await git.revparse(['--show-toplevel']).catch((err: Error) => {
        if (!/not a git repository/i.test(err.message)) onError?.(`${folder}: git rev-parse failed: ${err.message.trim()}`);
        return '';
      })
    ).trim();
    if (!top) return undefined;
    const root = await realpath(top);
    // No commit yet is an ordinary answer: the repository is then known by its path.
    const roots = await gitAt(root).rawOr(['rev-list', '--max-parents=0', 'HEAD'], '', { expected: true });
    const rootCommit =
      roots
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .sort()[0] ?? null;
    return { root, rootCommit };
  } catch (err) {
    onError?.(`${folder}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** Pseudonymous and the same for every clone, so trainers can group engineers' work by repository. */
export function repoIdFor(info: RepoInfo): string {
  const basis = info.rootCommit ?? `path:${info.root}`;
  return 'r_' + createHash('sha256').update(`codetrail:repo:${basis}`).digest('hex').slice(0, 16);
}

/**
 * The file's content at HEAD, or undefined when it is not committed (or there is no HEAD): an
 * ordinary answer, so git's failure is told as a debug line with what was asked.
 */
export async function readCommittedFile(root: string, relPath: string): Promise<string | undefined> {
  return gitAt(root).rawOr(['show', `HEAD:${relPath}`], undefined, { expected: true });
}

/**
 * A git command's output as bytes, for content that need not be UTF-8 (diffs, blobs). simple-git
 * still runs the command; its output stream is copied before it is decoded as text.
 */
export async function gitBytes(root: string, args: string[]): Promise<Buffer> {
  return gitAt(root).bytes(args);
}

/**
 * Absolute paths of files in the git directory (`logs/HEAD`, `MERGE_HEAD`...). Asked of git,
 * since in a linked worktree `.git` is a file and per-worktree files live elsewhere.
 */
export async function gitPaths(root: string, names: string[]): Promise<string[]> {
  const out = await gitAt(root).raw(['rev-parse', ...names.flatMap((n) => ['--git-path', n])]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((p) => resolve(root, p));
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The bytes as text, or undefined when they are binary (a NUL in the first 8000 bytes, git's own
 * test) or not UTF-8. A byte-order mark is kept, so the text turns back into the same bytes.
 */
export function utf8Text(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
