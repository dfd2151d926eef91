// Whether git ignores a path, answered from a cache so the keystroke path never waits on git.
// Unknown paths are looked up in batches (one `git check-ignore` for many paths).
import { gitAt } from './gateway';

export class IgnoreChecker {
  private readonly known = new Map<string, boolean>();
  private readonly queued = new Set<string>();
  private batch: Promise<void> | undefined;
  private answers = 0;

  constructor(private readonly root: string) {}

  /** Bumped whenever answers arrive: what a caller remembering an answer compares against. */
  get generation(): number {
    return this.answers;
  }

  /** true / false when known; undefined while git has not been asked yet. */
  peek(relPath: string): boolean | undefined {
    return this.known.get(relPath);
  }

  /** Resolves with the answer, asking git (batched) when it is not known yet. */
  async isIgnored(relPath: string): Promise<boolean> {
    const cached = this.known.get(relPath);
    if (cached !== undefined) return cached;
    this.queued.add(relPath);
    this.batch ??= Promise.resolve().then(() => this.runBatch());
    await this.batch;
    return this.known.get(relPath) ?? true;
  }

  /**
   * Asks git again about every path it answered (a .gitignore changed). The old answers stand
   * until the new ones arrive, so recording never pauses on it.
   */
  async refresh(): Promise<void> {
    const paths = [...this.known.keys()];
    if (paths.length === 0) return;
    const answer = await gitAt(this.root).checkIgnoreOr(paths);
    // git could not say (the gateway reported why): keep the answers there are.
    if (!answer) return;
    const ignored = new Set(answer);
    for (const p of paths) this.known.set(p, ignored.has(p));
    this.answers += 1;
  }

  private async runBatch(): Promise<void> {
    const paths = [...this.queued];
    this.queued.clear();
    this.batch = undefined;
    const answer = await gitAt(this.root).checkIgnoreOr(paths);
    // git could not say (the gateway reported why): treated as ignored (record less) without caching, so it is asked again.
    if (!answer) return;
    const ignored = new Set(answer);
    for (const p of paths) this.known.set(p, ignored.has(p));
    this.answers += 1;
  }
}
