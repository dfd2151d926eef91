// Output helpers shared by the commands: JSON with one key style (camelCase; a plural key is a
// list, a number is `<noun>Count`), and read problems as warnings on stderr in human mode.
import type { ReadIssue } from '../core/store/segmentReader';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function warnIssues(issues: readonly ReadIssue[], json: boolean | undefined): void {
  if (json) return; // they are in the JSON report
  for (const issue of issues) process.stderr.write(`warning: ${issue.file}:${issue.line}: ${issue.message}\n`);
}
