// Where a task starts from: HEAD, the tracked changes on top of it as a patch `git apply` takes,
// and the untracked files. Replay rebuilds the working tree from these. Read when a task or
// session starts, never per keystroke; untracked content is capped, trees are never walked.
import { isUtf8 } from 'node:buffer';
import { lstat, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitAt } from './gateway';
import { gitBytes, gitPaths, utf8Text } from './repository';

export type Operation = 'merge' | 'rebase' | 'cherry-pick' | 'revert' | 'bisect';

export interface UntrackedFile {
  /** Relative to the root, `/`-separated; a nested repository's ends with `/`. */
  path: string;
  /** UTF-8 text within the caps; for a symlink, its target. */
  content?: string;
  /** Bytes on disk (a symlink: its target's length). */
  size: number;
  symlink?: true;
  skipped?: 'too-large' | 'binary' | 'excluded' | 'repository';
}

export interface DiffOmission {
  path: string;
  /** Excluded by policy, or text in another encoding that git could not be made to diff as binary. */
  reason: 'excluded' | 'not-utf8';
}

export interface StartingState {
  /** null in a repository with no commits yet. */
  head: string | null;
  /** null when detached; the branch to be born when there are no commits yet. */
  branch: string | null;
  detached: boolean;
  /**
   * Tracked changes (staged and unstaged) against HEAD, as `git diff HEAD --binary`, for
   * `git apply` in a clone at `head`. With no commits: against the empty tree, i.e. every file
   * in the index, with its working-tree content, as a new file.
   */
  dirtyDiff: string;
  /** Changed tracked paths left out of `dirtyDiff`. */
  diffOmitted: DiffOmission[];
  /** Untracked, not ignored files, in git's order. */
  untracked: UntrackedFile[];
  inProgress: Operation | null;
}

export interface StartingStateOptions {
  maxUntrackedBytes: number;
  maxTotalUntrackedBytes: number;
  isExcluded: (relPath: string) => boolean;
}

/** `root` is the repository's top level (as `findRepository` gives it). */
export async function captureStartingState(root: string, opts: StartingStateOptions): Promise<StartingState> {
  const git = gitAt(root);
  const [head, branch, inProgress, untrackedPaths] = await Promise.all([
    git.rawOr(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], '', { expected: true }).then((s) => s.trim() || null),
    git.rawOr(['symbolic-ref', '-q', '--short', 'HEAD'], '', { expected: true }).then((s) => s.trim() || null),
    operationInProgress(root),
    git.raw(['ls-files', '--others', '--exclude-standard', '-z']).then((s) => s.split('\0').filter(Boolean)),
  ]);
  const base = head ?? (await emptyTree(root));
  const [tracked, untracked] = await Promise.all([trackedChanges(root, base, opts.isExcluded), readUntracked(root, untrackedPaths, opts)]);
  return { head, branch, detached: branch === null, dirtyDiff: tracked.diff, diffOmitted: tracked.omitted, untracked, inProgress };
}

// What git itself checks (wt-status.c): `rebase-apply` without `applying` is a rebase, with it `git am`.
async function operationInProgress(root: string): Promise<Operation | null> {
  const markers: [string, Operation | null][] = [
    ['rebase-merge', 'rebase'],
    ['rebase-apply/applying', null],
    ['rebase-apply', 'rebase'],
    ['MERGE_HEAD', 'merge'],
    ['CHERRY_PICK_HEAD', 'cherry-pick'],
    ['REVERT_HEAD', 'revert'],
    ['BISECT_LOG', 'bisect'],
  ];
  const paths = await gitPaths(
    root,
    markers.map(([name]) => name),
  );
  for (const [i, path] of paths.entries()) {
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    )
      return markers[i]![1];
  }
  return null;
}

async function emptyTree(root: string): Promise<string> {
  const format = (await gitAt(root).rawOr(['rev-parse', '--show-object-format'], 'sha1')).trim();
  return format === 'sha256' ? '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321' : '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
}

// The user's diff settings must not change the patch: no external or textconv drivers, the
// standard prefixes `git apply` expects, whole-repository paths, submodules as bare commit ids
// (`git apply` leaves those alone) without a `-dirty` suffix.
const DIFF = [
  'diff',
  '--binary',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--no-relative',
  '--submodule=short',
  '--ignore-submodules=dirty',
];

/**
 * The diff from `base` to the working tree, cut into one section per file so excluded files can
 * be left out. A text section that is not UTF-8 (a Latin-1 file, say) cannot live in a string, so
 * those files are diffed again as binary, which `git apply` reproduces byte for byte.
 */
async function trackedChanges(root: string, base: string, isExcluded: (p: string) => boolean): Promise<{ diff: string; omitted: DiffOmission[] }> {
  const kept: Buffer[] = [];
  const omitted: DiffOmission[] = [];
  const notUtf8 = new Set<string>();
  const take = (sections: Buffer[], last: boolean) => {
    for (const section of sections) {
      const paths = sectionPaths(section);
      if (paths.length === 0 || paths.some(isExcluded)) {
        // A section whose paths cannot be read is left out too: fail closed.
        omitted.push(...(paths.length ? paths : [headerLine(section)]).map((path) => ({ path, reason: 'excluded' as const })));
      } else if (isUtf8(section)) {
        kept.push(section);
      } else if (last) {
        omitted.push(...paths.map((path) => ({ path, reason: 'not-utf8' as const })));
      } else {
        paths.forEach((p) => notUtf8.add(p));
      }
    }
  };
  take(splitSections(await gitBytes(root, [...DIFF, base, '--'])), false);
  if (notUtf8.size > 0) take(splitSections(await diffAsBinary(root, base, [...notUtf8])), true);
  return { diff: Buffer.concat(kept).toString('utf8'), omitted };
}

const PATHSPECS_PER_CALL = 100;

/** Marks the paths `-diff` through a temporary attributes file, so git writes binary patches. */
async function diffAsBinary(root: string, base: string, paths: string[]): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'codetrail-attributes-'));
  try {
    const file = join(dir, 'attributes');
    await writeFile(file, paths.map((p) => `${attributePattern(p)} -diff\n`).join(''));
    const parts: Buffer[] = [];
    for (let i = 0; i < paths.length; i += PATHSPECS_PER_CALL) {
      const specs = paths.slice(i, i + PATHSPECS_PER_CALL).map((p) => `:(literal)${p}`);
      parts.push(await gitBytes(root, ['-c', `core.attributesFile=${file}`, ...DIFF, base, '--', ...specs]));
    }
    return Buffer.concat(parts);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One literal path as a gitattributes pattern: glob characters escaped, anchored, C-quoted. */
function attributePattern(path: string): string {
  const glob = '/' + path.replace(/[\\*?[\]]/g, '\\$&');
  const quoted = glob.replace(/[\\"]/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
  return `"${quoted}"`;
}

const SECTION_START = Buffer.from('diff --git ');

/** A `diff --git` line starts each file's section; no line inside a section can start that way. */
export function splitSections(diff: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let i = diff.indexOf(SECTION_START); i >= 0; i = diff.indexOf(SECTION_START, i + 1)) {
    if (i === 0 || diff[i - 1] === 0x0a) starts.push(i);
  }
  return starts.map((start, k) => diff.subarray(start, starts[k + 1] ?? diff.length));
}

function headerLine(section: Buffer): string {
  const end = section.indexOf(0x0a);
  return section.subarray(0, end < 0 ? section.length : end).toString('utf8');
}

/**
 * Every path a section touches (both, for a rename), from its header lines: `rename from/to`,
 * `---`/`+++`, or, when neither is there (mode change, empty or binary file), `diff --git a/P b/P`.
 */
export function sectionPaths(section: Buffer): string[] {
  const lines: string[] = [];
  for (let at = 0; at < section.length;) {
    const end = section.indexOf(0x0a, at);
    const line = section.subarray(at, end < 0 ? section.length : end).toString('utf8');
    if (/^(@@|GIT binary patch|Binary files )/.test(line)) break;
    lines.push(line);
    at = end < 0 ? section.length : end + 1;
  }
  const paths = new Set<string>();
  for (const line of lines.slice(1)) {
    const renamed = /^(?:rename|copy) (?:from|to) (.*)$/.exec(line);
    const side = /^(?:---|\+\+\+) (.*)$/.exec(line);
    if (renamed) paths.add(unquote(renamed[1]!));
    else if (side && side[1] !== '/dev/null') paths.add(unquote(side[1]!.replace(/\t$/, '')).slice(2));
  }
  if (paths.size === 0) headerPaths(lines[0] ?? '').forEach((p) => paths.add(p));
  return [...paths];
}

function headerPaths(line: string): string[] {
  const rest = line.slice(SECTION_START.length);
  if (rest.startsWith('"')) {
    const end = quotedEnd(rest);
    const second = rest.slice(end + 1);
    return [unquote(rest.slice(0, end)).slice(2), unquote(second).slice(2)];
  }
  // Unquoted and, without rename lines, the same path twice: `a/P b/P`.
  const p = rest.slice(2, 2 + (rest.length - 5) / 2);
  return rest === `a/${p} b/${p}` ? [p] : [];
}

/** Index just after the closing quote of the C-quoted string at the start of `text`. */
function quotedEnd(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };

/** Git quotes paths with special bytes C-style (`"a/caf\303\251"`); others pass as they are. */
export function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  const src = Buffer.from(text.slice(1, quotedEnd(text) - 1), 'utf8');
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const next = String.fromCharCode(src[++i] ?? 0);
    if (/[0-7]/.test(next)) {
      out.push(parseInt(src.subarray(i, i + 3).toString('latin1'), 8));
      i += 2;
    } else {
      out.push(ESCAPES[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(out).toString('utf8');
}

const FILES_AT_ONCE = 16;

/**
 * Untracked files in git's order, read a few at a time. Text counts against the total cap in
 * that order, so the same files give the same result.
 */
async function readUntracked(root: string, paths: string[], opts: StartingStateOptions): Promise<UntrackedFile[]> {
  const files: UntrackedFile[] = [];
  let budget = opts.maxTotalUntrackedBytes;
  for (let i = 0; i < paths.length; i += FILES_AT_ONCE) {
    const batch = await Promise.all(paths.slice(i, i + FILES_AT_ONCE).map((p) => inspectUntracked(root, p, opts, budget)));
    for (const file of batch) {
      if (!file) continue;
      if (file.content !== undefined) {
        if (file.size > budget) {
          delete file.content;
          delete file.symlink;
          file.skipped = 'too-large';
        } else {
          budget -= file.size;
        }
      }
      files.push(file);
    }
  }
  return files;
}

async function inspectUntracked(root: string, path: string, opts: StartingStateOptions, budget: number): Promise<UntrackedFile | undefined> {
  if (path.endsWith('/')) return { path, size: 0, skipped: 'repository' };
  const abs = join(root, path);
  const info = await lstat(abs).catch(() => undefined);
  if (!info) return undefined; // gone since git listed it
  if (opts.isExcluded(path)) return { path, size: info.size, skipped: 'excluded' };
  if (info.isSymbolicLink()) {
    const target = utf8Text(await readlink(abs, { encoding: 'buffer' }));
    return target === undefined ? { path, size: info.size, skipped: 'binary' } : { path, size: info.size, content: target, symlink: true };
  }
  if (!info.isFile()) return { path, size: info.size, skipped: 'binary' };
  const cap = Math.min(opts.maxUntrackedBytes, budget);
  if (info.size > cap) return { path, size: info.size, skipped: 'too-large' };
  const bytes = await readFile(abs).catch(() => undefined);
  if (!bytes) return undefined;
  if (bytes.length > opts.maxUntrackedBytes) return { path, size: bytes.length, skipped: 'too-large' };
  const text = utf8Text(bytes);
  return text === undefined ? { path, size: bytes.length, skipped: 'binary' } : { path, size: bytes.length, content: text };
}
