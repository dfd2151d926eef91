// What a commit is, read from git when HEAD moves: its parents, message, hashed author and the
// files it changed. Replay checks its rebuilt files against the blobs read here.
import { gitAt } from './gateway';
import { gitBytes, utf8Text } from './repository';

const BLOB_READS_AT_ONCE = 8;

export type FileStatus = 'A' | 'M' | 'D' | 'R' | 'C' | 'T';

export interface CommitFile {
  path: string;
  /** Where a renamed or copied file came from. */
  oldPath?: string;
  status: FileStatus;
  /** Lines added and deleted; null for binary files. */
  added: number | null;
  deleted: number | null;
}

export interface CommitInfo {
  sha: string;
  parents: string[];
  /** The branch HEAD points to when this commit is HEAD; otherwise (or detached) null. */
  branch: string | null;
  /** As written, without trailing newlines. */
  message: string;
  /** Unix ms. */
  authorTime: number;
  /** The author's e-mail (after .mailmap, lower-cased; the name when there is no e-mail), hashed. */
  author: string;
  /** Against the first parent (for a merge too); against nothing for a root commit. */
  files: CommitFile[];
}

export async function readCommit(root: string, sha: string, hashIdentity: (s: string) => string): Promise<CommitInfo> {
  const git = gitAt(root);
  // NUL-separated fields, the message last since it may hold anything but NUL.
  const [header, head, branch] = await Promise.all([
    git.raw(['show', '-s', '--encoding=UTF-8', '--format=%H%x00%P%x00%at%x00%aE%x00%aN%x00%B', sha, '--']),
    git.rawOr(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], '', { expected: true }),
    git.rawOr(['symbolic-ref', '-q', '--short', 'HEAD'], '', { expected: true }),
  ]);
  const [full = '', parentList = '', seconds = '0', email = '', name = '', ...rest] = header.split('\0');
  const parents = parentList.split(' ').filter(Boolean);
  const against = parents.length > 0 ? [parents[0]!, full] : ['--root', full];
  const changes = await git.raw(['diff-tree', '-r', '-M', '-z', '--no-commit-id', '--raw', '--numstat', ...against, '--']);
  return {
    sha: full,
    parents,
    branch: head.trim() === full ? branch.trim() || null : null,
    message: rest.join('\0').replace(/\n+$/, ''),
    authorTime: Number(seconds) * 1000,
    author: hashIdentity(email.trim().toLowerCase() || name.trim()),
    files: parseRawNumstat(changes),
  };
}

/**
 * Parses `diff-tree -z --raw --numstat`: first the raw entries (`:mode mode sha sha S` then one
 * path, or two for renames and copies), then as many numstat entries in the same order
 * (`added\tdeleted\tpath`, or `added\tdeleted\t` then two paths).
 */
export function parseRawNumstat(out: string): CommitFile[] {
  const tokens = out.split('\0');
  const files: CommitFile[] = [];
  let i = 0;
  while (i < tokens.length && tokens[i]!.startsWith(':')) {
    const status = tokens[i]!.split(' ')[4]?.[0] as FileStatus | undefined;
    const twoPaths = status === 'R' || status === 'C';
    const first = tokens[i + 1] ?? '';
    const file: CommitFile = twoPaths
      ? { path: tokens[i + 2] ?? '', oldPath: first, status, added: null, deleted: null }
      : { path: first, status: status ?? 'M', added: null, deleted: null };
    files.push(file);
    i += twoPaths ? 3 : 2;
  }
  for (const file of files) {
    const m = /^(\d+|-)\t(\d+|-)\t/.exec(tokens[i] ?? '');
    if (!m) break;
    file.added = m[1] === '-' ? null : Number(m[1]);
    file.deleted = m[2] === '-' ? null : Number(m[2]);
    i += file.oldPath !== undefined ? 3 : 1;
  }
  return files;
}

/**
 * Each path's content in commit `sha`: null when absent there, not a file (a directory,
 * a submodule), binary or not UTF-8. Symlinks give their target. Raw blobs: no filters or
 * line-ending conversion applied.
 */
export async function readBlobs(root: string, sha: string, paths: string[]): Promise<Map<string, string | null>> {
  const commit = (await gitAt(root).raw(['rev-parse', '--verify', `${sha}^{commit}`])).trim();
  const result = new Map<string, string | null>();
  // A few git processes at a time, not one per path at once.
  for (let i = 0; i < paths.length; i += BLOB_READS_AT_ONCE) {
    const batch = paths.slice(i, i + BLOB_READS_AT_ONCE);
    const contents = await Promise.all(
      batch.map((p) =>
        gitBytes(root, ['cat-file', 'blob', `${commit}:${p}`]).then(
          (bytes) => utf8Text(bytes) ?? null,
          () => null,
        ),
      ),
    );
    batch.forEach((p, j) => result.set(p, contents[j]!));
  }
  return result;
}

/**
 * Commits reachable from `toSha` and not from `fromSha` (all of them when null), parents before
 * children. Includes commits brought in by merges.
 */
export async function commitsBetween(root: string, fromSha: string | null, toSha: string): Promise<string[]> {
  const range = fromSha ? [toSha, `^${fromSha}`] : [toSha];
  const out = await gitAt(root).raw(['rev-list', '--topo-order', '--reverse', ...range, '--']);
  return out.split('\n').filter(Boolean);
}
