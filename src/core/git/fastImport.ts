// A repository written by `git fast-import`: one process fed a stream of blobs and commits, which
// stores each distinct object once (in one pack) and hashes trees itself. simple-git (gateway.ts)
// runs a command to completion and cannot feed one a stream, hence a process of our own here.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';

/**
 * git's environment without the variables that would point it elsewhere (GIT_DIR,
 * GIT_OBJECT_DIRECTORY, GIT_INDEX_FILE...) or configure it from outside (GIT_CONFIG_*).
 */
export function gitEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
}

/** Runs git to completion; rejects with its stderr. */
async function runGit(args: string[]): Promise<void> {
  const child = spawn('git', args, { env: gitEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await Promise.race([once(child, 'close'), once(child, 'error').then(([err]) => Promise.reject(err as Error))])) as [number | null];
  if (code !== 0) throw new Error(`git ${args.join(' ')} failed: ${stderr.trim()}`);
}

/** A new bare repository at `dir`, without the template's sample hooks and description. */
export function initBareRepository(dir: string): Promise<void> {
  return runGit(['init', '--quiet', '--bare', '--template=', dir]);
}

/** git's C-style quoting of a path in a fast-import command: any byte is then allowed but NUL. */
export function quotePath(path: string): string {
  const escaped = path.replace(/[\\"]/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
  return `"${escaped}"`;
}

/** One `git fast-import` into a bare repository; commands are written as text, marks read back. */
export class FastImport {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  private stdout = '';
  /** Callers of `mark`, in the order their `get-mark` was written (fast-import answers in that order). */
  private readonly waiting: { resolve: (sha: string) => void; reject: (err: Error) => void }[] = [];
  private readonly exited: Promise<number | null>;
  private failure: Error | undefined;

  constructor(gitDir: string) {
    // Always a pack, however few the objects (the default unpacks fewer than 100 into loose files).
    const args = ['-c', 'fastimport.unpackLimit=0', `--git-dir=${gitDir}`, 'fast-import', '--quiet', '--done', '--date-format=raw'];
    this.child = spawn('git', args, { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdout.on('data', (chunk: Buffer) => this.answer(chunk.toString()));
    // A write after fast-import died: the exit below says why.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', resolve);
    });
    // Held open only while an answer or the end is awaited: an export that fails elsewhere, and so
    // never calls `done`, must not keep the process alive (fast-import then sees its stream end early and keeps nothing).
    this.hold(false);
    this.exited.then(
      (code) => this.fail(new Error(`git fast-import ${code === 0 ? 'ended' : `failed (exit ${code})`}: ${this.stderr.trim()}`)),
      (err: Error) => this.fail(err),
    );
  }

  /** Writes `text` (UTF-8), waiting when the pipe is full: memory holds at most a chunk of the stream. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.child.stdin.write(text)) await Promise.race([once(this.child.stdin, 'drain'), this.exited.then(() => Promise.reject(this.failure!))]);
  }

  /** The object names of marks `ns`, once fast-import has made them (asked in one write). */
  async marks(ns: readonly number[]): Promise<string[]> {
    const answers = ns.map(() => new Promise<string>((resolve, reject) => this.waiting.push({ resolve, reject })));
    this.hold(true);
    await this.write(ns.map((n) => `get-mark :${n}\n`).join(''));
    return Promise.all(answers);
  }

  /** Ends the stream and waits for fast-import to write its pack, index and refs. */
  async done(): Promise<void> {
    this.hold(true);
    await this.write('done\n');
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0) throw this.failure!;
  }

  /** Stops fast-import without `done`: it keeps nothing of an unfinished stream's refs. */
  abort(): void {
    this.child.kill();
  }

  private answer(text: string): void {
    this.stdout += text;
    for (let nl = this.stdout.indexOf('\n'); nl !== -1; nl = this.stdout.indexOf('\n')) {
      const line = this.stdout.slice(0, nl);
      this.stdout = this.stdout.slice(nl + 1);
      this.waiting.shift()?.resolve(line);
    }
    if (this.waiting.length === 0) this.hold(false);
  }

  /** Whether the process and its pipes keep the event loop alive (writes in flight always do). */
  private hold(held: boolean): void {
    // Piped stdio are sockets, which can be unreferenced like the process.
    const pipes = [this.child.stdout, this.child.stderr, this.child.stdin] as unknown as Socket[];
    for (const handle of [this.child, ...pipes]) {
      if (held) handle.ref();
      else handle.unref();
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
