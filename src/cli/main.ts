// The trainer-facing command line. Each subcommand lives in its own module; this file only wires
// them and turns errors into messages and exit codes.
import { Command, CommanderError } from 'commander';
import { CodetrailError, errorMessage } from '../core/errors';
import { statsCommand } from './stats';
import { verifyCommand } from './verify';
import { auditCommand } from './audit';
import { redactCommand } from './redact';
import { exportCommand } from './export';
import { approveCommand } from './approve';
import { mergeCommand } from './merge';
import { EXIT } from './exit';

declare const CODETRAIL_VERSION: string | undefined;

export function buildProgram(): Command {
  const program = new Command('codetrail')
    .description('Consented, redacted, replayable recordings of coding tasks, as training data.')
    .version(typeof CODETRAIL_VERSION === 'string' ? CODETRAIL_VERSION : '0.0.0-dev')
    .showHelpAfterError()
    .exitOverride();
  for (const command of [statsCommand(), verifyCommand(), exportCommand(), mergeCommand(), approveCommand(), redactCommand(), auditCommand()]) program.addCommand(command.copyInheritedSettings(program));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`codetrail: ${errorMessage(err)}\n`);
    return err instanceof CodetrailError && err.code === 'bad-input' ? EXIT.badInput : EXIT.failure;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
