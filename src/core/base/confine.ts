// Confinement: a store, an export or a manifest received from someone else is untrusted input,
// and every path it names must stay inside its root. A lexical check alone is not enough (a
// symbolic link inside the root can point anywhere), so a path is checked twice: its text (no
// NUL, no `..`, not absolute, no backslash, sane lengths) and where it really lands (the realpath
// of its deepest existing folder must lie inside the realpath of the root). Writes and deletes
// never follow a symbolic link in their last component (O_NOFOLLOW, lstat).
import { constants } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CodetrailError } from './errors';

/** 0 where the platform has no O_NOFOLLOW (Windows): the lstat checks still apply there. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Node's types declare it on every platform
export const O_NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;

/** Longest path and path component accepted from untrusted input (Linux's own limits). */
export const MAX_PATH_CHARS = 4096;
export const MAX_NAME_BYTES = 255;

/**
 * Why a relative path taken from untrusted input cannot be used under a root, or undefined when
 * it can. Forward slashes only: a backslash is a separator on Windows and a name character
 * elsewhere, so it is refused everywhere rather than meaning two things.
 */
export function relativePathProblem(rel: unknown): string | undefined {
  if (typeof rel !== 'string' || rel.length === 0) return 'is empty or not text';
  if (rel.includes('\0')) return 'contains a NUL byte';
  if (rel.length > MAX_PATH_CHARS) return `is longer than ${MAX_PATH_CHARS} characters`;
  if (rel.includes('\\')) return 'contains a backslash';
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || isAbsolute(rel)) return 'is absolute';
  const parts = rel.split('/');
  if (parts.some((p) => p === '..')) return 'climbs out with ..';
  if (parts.some((p) => p === '' || p === '.')) return 'has an empty or . component';
  if (parts.some((p) => Buffer.byteLength(p) > MAX_NAME_BYTES)) return `has a name longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
}

/** The realpath of `path`'s deepest existing ancestor (or itself), with the missing rest appended. */
async function realLocation(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = dirname(current);
      if (parent === current) return join(current, ...missing);
      missing.unshift(basename(current));
      current = parent;
    }
  }
}

/**
 * The path `rel` names under `root`, checked: its text is a safe relative path, and neither it nor
 * any folder on the way is a symbolic link that leads out of the root. The last component itself
 * is not followed (a link there is the link, which callers refuse or remove, never write through).
 * Throws a bad-input error naming `what` otherwise.
 */
export async function resolveInside(root: string, rel: string, what: string): Promise<string> {
  const problem = relativePathProblem(rel);
  if (problem) throw new CodetrailError('bad-input', `${what} names a path that ${problem}; refusing it`);
  const realRoot = await realpath(root);
  const target = join(realRoot, ...rel.split('/'));
  const parent = await realLocation(dirname(target));
  const landed = join(parent, basename(target));
  if (!isInside(realRoot, landed))
    throw new CodetrailError('bad-input', `${what} names a path that leads outside ${root} through a symbolic link; refusing it`);
  return landed;
}

/** `path` as a path relative to `root` when it lies inside it lexically (absolute or not), else undefined. */
export function lexicallyInside(root: string, path: string): string | undefined {
  if (typeof path !== 'string' || path.includes('\0')) return undefined;
  const rel = relative(resolve(root), resolve(root, path));
  return isInside(resolve(root), resolve(root, path)) ? rel.split(sep).join('/') : undefined;
}

/** Whether `inner` is `outer` or lies inside it, once both are resolved through their links. */
export async function sameOrInside(outer: string, inner: string): Promise<boolean> {
  const [a, b] = await Promise.all([realLocation(resolve(outer)), realLocation(resolve(inner))]);
  return a === b || isInside(a, b);
}

/** Whether something exists at `path` as a symbolic link (lstat, never following it). */
export async function isSymlink(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  return info?.isSymbolicLink() === true;
}

/** ELOOP from O_NOFOLLOW becomes a message that says what happened. */
function refuseLink(path: string) {
  return (err: NodeJS.ErrnoException): never => {
    if (err.code === 'ELOOP') throw new CodetrailError('bad-input', `${path} is a symbolic link; Codetrail does not follow links in stores and exports`);
    throw err;
  };
}

/** Opens a file for reading without following a symbolic link in its last component. */
export function openForReading(path: string): Promise<FileHandle> {
  return open(path, constants.O_RDONLY | O_NOFOLLOW).catch(refuseLink(path));
}

/** Opens (creating or truncating) a file for writing without following a symbolic link in its last component. */
export function openForWriting(path: string, mode: number, { append = false }: { append?: boolean } = {}): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_CREAT | (append ? constants.O_APPEND : constants.O_TRUNC) | O_NOFOLLOW, mode).catch(refuseLink(path));
}

/** Writes a file that must not exist yet (O_EXCL: nothing planted at its name is written through). */
export async function writeNewFile(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode).catch(refuseLink(path));
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}
