// Which segments a live process is appending to. A rewrite that renamed a new file over such a
// segment would send the writer's next appends into the replaced file, lost; so a writer marks
// its open segment (`<segment>.writer`, holding its pid) and rewrites refuse a segment whose
// writer is alive. A crash leaves the mark behind; its pid is then gone and the mark ignored.
import { rm } from 'node:fs/promises';
import { openForReading, openForWriting } from '../base/confine';
import { FILE_MODE } from './layout';

const SUFFIX = '.writer';

export async function markWriting(segment: string): Promise<void> {
  // Never through a link planted at the mark's name.
  const handle = await openForWriting(segment + SUFFIX, FILE_MODE);
  try {
    await handle.writeFile(String(process.pid));
  } finally {
    await handle.close();
  }
}

export async function unmarkWriting(segment: string): Promise<void> {
  await rm(segment + SUFFIX, { force: true });
}

/** The pid of a live process writing this segment, if any. */
export async function liveWriter(segment: string): Promise<number | undefined> {
  const text = await openForReading(segment + SUFFIX)
    .then(async (handle) => {
      try {
        return await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    })
    .catch(() => undefined);
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
