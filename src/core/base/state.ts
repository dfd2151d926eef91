/** The shape of VS Code's Memento that core needs; `context.globalState` satisfies it. */
export interface KeyValueState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
