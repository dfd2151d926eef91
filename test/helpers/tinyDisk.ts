import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Mounts a real tmpfs of `kib` KiB for a test and returns its path, or undefined when this
 * machine does not let us mount (not root): the caller then skips.
 */
export function mountTinyDisk(kib: number): { path: string; unmount(): void } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const path = mkdtempSync(join(tmpdir(), 'codetrail-tinydisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k,mode=0755`, 'tmpfs', path], { stdio: 'pipe' });
  } catch {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
  return {
    path,
    unmount() {
      // Lazy: a handle a failed test left open must not keep the mount (and fail the run).
      execFileSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Fills a disk with files of halving sizes until less than 256 bytes are left. */
export async function fillDisk(path: string): Promise<void> {
  for (let size = 128 * 1024; size >= 256; size = Math.floor(size / 2))
    await writeFile(join(path, `filler-${size}`), Buffer.alloc(size)).catch(() => undefined);
}

/** Removes what fillDisk wrote. */
export async function freeDisk(path: string): Promise<void> {
  for (const name of await readdir(path)) if (name.startsWith('filler-')) await rm(join(path, name));
}
