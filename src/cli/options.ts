// Options several commands share, validated while the command line is parsed: a bad value is a
// usage error (exit 2) before anything is read or written.
import { InvalidArgumentError, Option } from 'commander';

export const TASK_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function storeOption(): Option {
  return new Option('--store <dir>', 'the store folder (default: see `codetrail where`)');
}

export function jsonOption(): Option {
  return new Option('--json', 'print JSON (camelCase keys; errors as JSON on stderr)');
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/** A task id as `codetrail tasks` lists it; anything else is refused at parse time. */
export function taskId(value: string, previous: string[] | undefined): string[] {
  if (!TASK_ID.test(value))
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a task id (26 capital letters and digits, as \`codetrail tasks\` lists them)`);
  return [...(previous ?? []), value];
}

export function shardRowsOption(): Option {
  return new Option('--shard-rows <n>', 'rows per shard').argParser(positiveInteger).default(10_000);
}
