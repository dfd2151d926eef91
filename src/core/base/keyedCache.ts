// Answers computed once per key until the world they were computed from changes: the caller
// passes a generation (a counter its sources bump on every change) and a different one empties
// the cache. Bounded: at `max` entries it starts over rather than tracking recency (a window
// touches a few hundred paths; a sweep over more only costs recomputation).
export class KeyedCache<V> {
  private readonly entries = new Map<string, V>();
  private generation: number | undefined;

  constructor(private readonly max = 4096) {}

  get(key: string, generation: number, compute: () => V): V {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const value = compute();
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
