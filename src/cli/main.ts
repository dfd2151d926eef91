// The trainer-facing command line. Each subcommand lives in its own module; this file only wires
// them and turns errors into messages and exit codes (the table in exit.ts), as JSON on stderr
// when --json was given.
import { Command, CommanderError } from 'commander';
import { statsCommand } from './stats';
import { verifyCommand } from './verify';
import { auditCommand } from './audit';
import { redactCommand } from './redact';
import { exportCommand } from './export';
import { approveCommand } from './approve';
import { mergeCommand } from './merge';
import { tasksCommand } from './tasks';
import { whereCommand } from './where';
import { validateCommand } from './validate';
import { EXIT, errorReport, type ErrorReport } from './exit';

declare const CODETRAIL_VERSION: string | undefined;

export function buildProgram({ json = false }: { json?: boolean } = {}): Command {
  const program = new Command('codetrail')
    .description('Consented, redacted, replayable recordings of coding tasks, as training data.')
    .version(typeof CODETRAIL_VERSION === 'string' ? CODETRAIL_VERSION : '0.0.0-dev')
    .showHelpAfterError(!json)
    .exitOverride();
  // Under --json the error is written once, as JSON, by main.
  if (json) program.configureOutput({ writeErr: () => undefined });
  const commands = [
    whereCommand(),
    tasksCommand(),
    statsCommand(),
    verifyCommand(),
    approveCommand(),
    exportCommand(),
    mergeCommand(),
    auditCommand(),
    redactCommand(),
    validateCommand(),
  ];
  for (const command of commands) program.addCommand(command.copyInheritedSettings(program));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  let report: ErrorReport;
  try {
    await buildProgram({ json }).parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok;
      // Commander has already said it on stderr, with the help, unless --json.
      if (!json) return EXIT.usage;
      report = { code: 'usage', message: err.message.replace(/^error: /, ''), exitCode: EXIT.usage };
    } else report = errorReport(err);
  }
  process.stderr.write(json ? JSON.stringify({ error: report }) + '\n' : `codetrail: ${report.message}\n`);
  return report.exitCode;
}

if (require.main === module) {
  // A reader that went away (`codetrail redact | head`) ends the command quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw err;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
