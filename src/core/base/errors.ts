// Core errors carry a code; only the UI layer turns them into messages and buttons.
export type ErrorCode =
  | 'policy-invalid'
  | 'policy-not-committed'
  | 'store-unwritable'
  | 'store-full'
  | 'store-corrupt'
  | 'bad-input'
  /** A change was refused because it would break replay of what is recorded. */
  | 'would-break-replay';

export class CodetrailError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: { file?: string; line?: number },
  ) {
    super(message);
    this.name = 'CodetrailError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
