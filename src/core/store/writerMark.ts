// Which segments a live process is appending to. A rewrite that renamed a new file over such a
// segment would send the writer's next appends into the replaced file, lost; so a writer marks
// its open segment (`<segment>.writer`, holding its pid) and rewrites refuse a segment whose
// writer is alive. A crash leaves the mark behind; its pid is then gone and the mark ignored.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { FILE_MODE } from './layout';

const SUFFIX = '.writer';

export async function markWriting(segment: string): Promise<void> {
  await writeFile(segment + SUFFIX, String(process.pid), { mode: FILE_MODE });
}

export async function unmarkWriting(segment: string): Promise<void> {
  await rm(segment + SUFFIX, { force: true });
}

/** The pid of a live process writing this segment, if any. */
export async function liveWriter(segment: string): Promise<number | undefined> {
  const text = await readFile(segment + SUFFIX, 'utf8').catch(() => undefined);
  const pid = Number(text);
  if (!text || !Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive, but another user's; ESRCH: gone.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
