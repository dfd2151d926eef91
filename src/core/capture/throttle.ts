// Keyed trailing throttle: the last value per key is delivered at most once per interval, so a
// stream of cursor moves becomes a few events that still end at where the cursor came to rest.
export class KeyedThrottle<T> {
  private readonly pending = new Map<string, { value: T; timer: NodeJS.Timeout }>();

  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (key: string, value: T) => void,
  ) {}

  push(key: string, value: T): void {
    const open = this.pending.get(key);
    if (open) {
      open.value = value;
      return;
    }
    const timer = setTimeout(() => this.fire(key), this.intervalMs);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- timers without unref (fake timers, other hosts) exist
    timer.unref?.();
    this.pending.set(key, { value, timer });
  }

  /** Delivers everything pending now (before a flush, or on dispose). */
  drain(): void {
    for (const key of [...this.pending.keys()]) this.fire(key);
  }

  cancel(key: string): void {
    const open = this.pending.get(key);
    if (!open) return;
    clearTimeout(open.timer);
    this.pending.delete(key);
  }

  dispose(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private fire(key: string): void {
    const open = this.pending.get(key);
    if (!open) return;
    clearTimeout(open.timer);
    this.pending.delete(key);
    this.deliver(key, open.value);
  }
}
