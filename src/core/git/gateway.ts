// The one way to git: `gitAt(root)` keeps one simple-git instance per repository for every git
// call of core and capture. Where a caller carries on without an answer, `rawOr` says what was
// being asked and why git failed instead of swallowing it: failures go to the sink the host set
// (the extension's log) and the last few are kept for whoever asks.
import { simpleGit, type SimpleGit } from 'simple-git';

export interface GitFailure {
  root: string;
  args: readonly string[];
  message: string;
  /** A failure that is an ordinary answer (no commit yet, a detached HEAD): worth a debug line only. */
  expected: boolean;
}

const KEEP_FAILURES = 50;
const recent: GitFailure[] = [];
let sink: ((failure: GitFailure) => void) | undefined;

/** Where git failures are told (the extension's log); undefined: kept in memory only. */
export function onGitFailure(listener: ((failure: GitFailure) => void) | undefined): void {
  sink = listener;
}

/** The last git failures, oldest first. */
export function recentGitFailures(): readonly GitFailure[] {
  return recent;
}

export function describeGitFailure(f: GitFailure): string {
  return `git ${f.args.join(' ')} (in ${f.root}) failed: ${f.message}`;
}

export class GitGateway {
  private readonly git: SimpleGit;

  constructor(readonly root: string) {
    this.git = simpleGit({ baseDir: root });
  }

  raw(args: string[]): Promise<string> {
    return this.git.raw(args);
  }

  /** `git args`, or `fallback` when git fails; the failure is reported with the question asked. */
  async rawOr<T>(args: string[], fallback: T, options: { expected?: boolean } = {}): Promise<string | T> {
    try {
      return await this.git.raw(args);
    } catch (err) {
      this.report(args, err, options.expected ?? false);
      return fallback;
    }
  }

  /** The paths git ignores, or undefined when git cannot say; the failure is reported as `rawOr`'s are. */
  async checkIgnoreOr(paths: string[]): Promise<string[] | undefined> {
    try {
      return await this.git.checkIgnore(paths);
    } catch (err) {
      this.report(['check-ignore', `(${paths.length} paths)`], err, false);
      return undefined;
    }
  }

  private report(args: readonly string[], err: unknown, expected: boolean): void {
    const failure = { root: this.root, args, message: (err instanceof Error ? err.message : String(err)).trim(), expected };
    recent.push(failure);
    if (recent.length > KEEP_FAILURES) recent.shift();
    sink?.(failure);
  }

  show(args: string[]): Promise<string> {
    return this.git.show(args);
  }

  revparse(args: string[]): Promise<string> {
    return this.git.revparse(args);
  }

  /**
   * A command's output as bytes, for content that need not be UTF-8 (diffs, blobs). Its own
   * simple-git instance: the output handler that copies the bytes stays set on an instance.
   */
  async bytes(args: string[]): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await simpleGit({ baseDir: this.root })
      .outputHandler((_command, stdout) => stdout.on('data', (chunk: Buffer) => chunks.push(chunk)))
      .raw(args);
    return Buffer.concat(chunks);
  }
}

const gateways = new Map<string, GitGateway>();

/** The gateway of the repository (or folder) at `root`. */
export function gitAt(root: string): GitGateway {
  let gateway = gateways.get(root);
  if (!gateway) gateways.set(root, (gateway = new GitGateway(root)));
  return gateway;
}
