// A folder given as a store is checked before anything reads it: a store is a folder holding
// `repos/` (see src/core/store/layout.ts); anything else is refused with what was expected.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from './exit';
import { locateStore, type StoreLocation } from './storeLocation';

const EXPECTED = 'a Codetrail store is a folder holding repos/<repository>/<session>-<n>.jsonl(.gz)';

/** The store a command works on: located (see storeLocation.ts) and recognised as one. */
export async function openStore(option: string | undefined): Promise<StoreLocation> {
  const location = locateStore(option);
  await checkStore(location.path, location.source === 'option' ? '' : ` (${location.reason})`);
  return location;
}

export async function checkStore(path: string, why = ''): Promise<void> {
  const info = await lstat(path).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    if (info.code === 'ENOENT' || info.code === 'ENOTDIR') throw inputError(`no Codetrail store at ${path}${why}: nothing there`);
    throw inputError(`cannot open the store ${path}${why}: ${info.code === 'EACCES' ? 'permission denied' : info.message}`);
  }
  const dir = info.isSymbolicLink() ? await lstat(join(path, '.')).catch(() => undefined) : info;
  if (!dir?.isDirectory()) throw inputError(`${path}${why} is a file, not a Codetrail store (${EXPECTED})`);
  const entries = await readdir(path, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw inputError(`cannot list the store ${path}${why}: ${err.code === 'EACCES' ? 'permission denied' : err.message}`);
  });
  if (!entries.some((e) => e.name === 'repos' && e.isDirectory())) throw inputError(`${path}${why} is not a Codetrail store (${EXPECTED})`);
}
