// The command line's contract with scripts: one table of exit codes every command keeps, and one
// shape for errors (a sentence on stderr, or a JSON object there under --json).
import { CodetrailError } from '../core/base/errors';

/** Exit codes scripts can rely on (README, "Command line"). */
export const EXIT = {
  ok: 0,
  /** The command ran and found something wrong (a task that diverged, a finding in audit). */
  findings: 1,
  /** A mistake in the command line: an unknown option, a bad value, a task id that is not there, an --out that cannot be used. */
  usage: 2,
  /** The input cannot be used: no store there, not a store, a tampered or unreadable export, a hostile path. */
  badInput: 3,
  /** Anything else: a bug, a full disk, a permission refused on output. */
  failure: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const CODE_NAMES: Record<ExitCode, string> = { 0: 'ok', 1: 'findings', 2: 'usage', 3: 'bad-input', 4: 'failure' };

/** An error the command line reports as it is, with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);
export const inputError = (message: string) => new CliError(EXIT.badInput, message);

/** System errors in words a user can act on, without library or internal names. */
const ERRNO: Record<string, [ExitCode, string]> = {
  ENOENT: [EXIT.badInput, 'not found'],
  ENOTDIR: [EXIT.badInput, 'a file where a folder was expected'],
  EISDIR: [EXIT.badInput, 'a folder where a file was expected'],
  EACCES: [EXIT.badInput, 'permission denied'],
  EPERM: [EXIT.badInput, 'operation not permitted'],
  ELOOP: [EXIT.badInput, 'a symbolic link, not followed'],
  ENAMETOOLONG: [EXIT.badInput, 'a name too long'],
  Z_DATA_ERROR: [EXIT.badInput, 'corrupt compressed data'],
  Z_BUF_ERROR: [EXIT.badInput, 'truncated compressed data'],
  ENOSPC: [EXIT.failure, 'the disk is full'],
  EDQUOT: [EXIT.failure, 'the disk quota is exhausted'],
  EROFS: [EXIT.failure, 'a read-only file system'],
};

export interface ErrorReport {
  code: string;
  message: string;
  exitCode: ExitCode;
}

/** What the user is told about an error, and the exit code it maps to. */
export function errorReport(err: unknown): ErrorReport {
  const report = (exitCode: ExitCode, message: string): ErrorReport => ({ code: CODE_NAMES[exitCode], message, exitCode });
  if (err instanceof CliError) return report(err.exitCode, err.message);
  if (err instanceof CodetrailError) return report(err.code === 'store-full' || err.code === 'store-unwritable' ? EXIT.failure : EXIT.badInput, err.message);
  const errno = err as NodeJS.ErrnoException;
  const known = typeof errno?.code === 'string' ? ERRNO[errno.code] : undefined;
  if (known) return report(known[0], errno.path ? `${errno.path}: ${known[1]}` : `${known[1]}`);
  return report(EXIT.failure, `internal error: ${err instanceof Error ? err.message : String(err)} (please report it)`);
}
