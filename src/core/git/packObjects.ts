// The objects of a git pack file someone handed over (a ProgSnap2 export's code states, written by
// `git fast-import`): zlib-compressed and delta-encoded, so nothing in it can be read as text. git
// itself reads it, in a bare repository of our own: the pack is only data to `index-pack`, which
// checks it as it checks a pack fetched from a stranger, and no configuration or hook of the
// sender's is ever read.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openForReading } from '../base/confine';
import { gitEnv, initBareRepository } from './fastImport';

export interface PackObject {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  content: Buffer;
}

/** Every object of the pack at `path` (not following a link), in no particular order. */
export async function* packObjects(path: string): AsyncGenerator<PackObject> {
  const repo = await mkdtemp(join(tmpdir(), 'codetrail-pack-'));
  try {
    await initBareRepository(repo);
    await indexPack(repo, path);
    yield* catAll(repo);
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

async function indexPack(repo: string, path: string): Promise<void> {
  const child = spawn('git', ['-C', repo, 'index-pack', '--stdin'], { env: gitEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = Promise.race([once(child, 'close'), once(child, 'error').then(([err]) => Promise.reject(err as Error))]) as Promise<[number | null]>;
  const handle = await openForReading(path);
  // git may stop reading a pack it has refused: its exit status says why, not the broken pipe.
  await pipeline(handle.createReadStream(), child.stdin).catch(() => undefined);
  const [code] = await closed;
  if (code !== 0) throw new Error(`not a git pack git can read: ${stderr.trim() || `git index-pack exited ${code}`}`);
}

/** `git cat-file --batch-all-objects --batch` in `repo`: every object it holds. */
async function* catAll(repo: string): AsyncGenerator<PackObject> {
  const child = spawn('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch', '--unordered'], { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = Promise.race([once(child, 'close'), once(child, 'error').then(([err]) => Promise.reject(err as Error))]) as Promise<[number | null]>;
  let done = false;
  try {
    yield* batchObjects(child.stdout);
    done = true;
  } finally {
    // A reader that stops early (or an answer that does not parse) leaves git nothing more to say.
    if (!done) child.kill();
  }
  const [code] = await closed;
  if (code !== 0) throw new Error(`git cat-file exited ${code}: ${stderr.trim()}`);
}

/** cat-file's batch output: per object a header line (`<id> <type> <size>`), its bytes, a line break. */
async function* batchObjects(output: AsyncIterable<Buffer>): AsyncGenerator<PackObject> {
  let buffered: Buffer = Buffer.alloc(0);
  let header: { oid: string; type: PackObject['type']; size: number } | undefined;
  for await (const chunk of output) {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      if (!header) {
        const nl = buffered.indexOf(10);
        if (nl === -1) break;
        const line = buffered.subarray(0, nl).toString('latin1');
        const [oid = '', type = '', size = ''] = line.split(' ');
        if (!/^[0-9a-f]{40,64}$/.test(oid) || !['blob', 'tree', 'commit', 'tag'].includes(type) || !/^\d+$/.test(size))
          throw new Error(`git cat-file said ${JSON.stringify(line)}`);
        header = { oid, type: type as PackObject['type'], size: Number(size) };
        buffered = buffered.subarray(nl + 1);
      }
      if (buffered.length < header.size + 1) break;
      yield { oid: header.oid, type: header.type, content: buffered.subarray(0, header.size) };
      buffered = buffered.subarray(header.size + 1);
      header = undefined;
    }
  }
}

/** The names in a tree object (`<mode> <name>\0<binary id>` per entry). */
export function treeNames(content: Buffer): string[] {
  const names: string[] = [];
  for (let at = 0; at < content.length;) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space + 1);
    if (space === -1 || nul === -1) break;
    names.push(content.subarray(space + 1, nul).toString('utf8'));
    // The id that follows is 20 bytes (SHA-1) in the repositories git init makes by default.
    at = nul + 1 + 20;
  }
  return names;
}
