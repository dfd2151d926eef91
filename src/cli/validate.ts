// `codetrail validate EXPORT --repo PATH --run-tests`: runs each SWE-bench instance of an export
// in a throwaway worktree of the clone (see core/export/swebenchValidate.ts). It runs the
// repository's recorded test commands, so it never does without --run-tests.
import { Command, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { validateExport } from '../core/export/swebenchValidate';
import { EXIT, usageError } from './exit';
import { jsonOption } from './options';
import { printJson } from './print';

declare const CODETRAIL_VERSION: string | undefined;

export function validateCommand(): Command {
  return new Command('validate')
    .description(
      'check each SWE-bench instance of an export by running its tests in a throwaway worktree; rows that do not validate are removed and listed in the manifest',
    )
    .argument('<export>', 'a swebench export folder (rewritten in place)')
    .requiredOption('--repo <path>', 'a clone of the repository the instances come from')
    .option('--run-tests', "allow running the repository's recorded test command (the export's test_command) on your machine")
    .addOption(
      new Option('--timeout <seconds>', 'time limit of each test run')
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1) throw usageError(`--timeout ${v}: give a whole number of seconds`);
          return n;
        })
        .default(600),
    )
    .addOption(jsonOption())
    .action(async (exportDir: string, opts: { repo: string; runTests?: boolean; timeout: number; json?: boolean }) => {
      if (!opts.runTests)
        throw usageError(
          "validate runs the repository's own test command from the export, twice per instance, in a throwaway git worktree of --repo: add --run-tests to allow it",
        );
      const info = await stat(opts.repo).catch(() => undefined);
      if (!info?.isDirectory()) throw usageError(`--repo ${opts.repo}: no such folder`);
      if (!(await stat(join(opts.repo, '.git')).catch(() => undefined))) throw usageError(`--repo ${opts.repo} is not a git clone (no .git in it)`);
      const summary = await validateExport(exportDir, opts.repo, typeof CODETRAIL_VERSION === 'string' ? CODETRAIL_VERSION : '0.0.0-dev', {
        timeoutMs: opts.timeout * 1000,
        onInstance: (c, done, total) => {
          if (!opts.json) process.stderr.write(`[${done}/${total}] ${c.valid ? '✔' : '✘'} ${c.instance_id}${c.reason ? `: ${c.reason}` : ''}\n`);
        },
      });
      if (opts.json) {
        printJson({ export: summary.export, harness: summary.harness, validCount: summary.valid, invalidCount: summary.invalid, instances: summary.instances });
      } else {
        process.stdout.write(
          `${summary.valid} instance(s) valid, ${summary.invalid} removed (listed in manifest.json under "excluded"); graded by the rules of SWE-bench ${summary.harness.version} (${summary.harness.commit.slice(0, 7)})\n`,
        );
      }
      if (summary.invalid > 0) process.exitCode = EXIT.findings;
    });
}
