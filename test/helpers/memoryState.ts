import type { KeyValueState } from '../../src/core/base/state';

/** The same contract as VS Code's Memento, held in a Map (values copied, as the Memento stores JSON). */
export class MemoryState implements KeyValueState {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value));
  }
}
