// `codetrail where`: the store a command would use without --store, and why.
import { Command } from 'commander';
import { checkStore } from './store';
import { jsonOption, storeOption } from './options';
import { printJson } from './print';
import { locateStore } from './storeLocation';

export function whereCommand(): Command {
  return new Command('where')
    .description('print the store commands use without --store, and why (CODETRAIL_STORE, the editor setting, or the default location)')
    .addOption(storeOption())
    .addOption(jsonOption())
    .action(async (opts: { store?: string; json?: boolean }) => {
      const location = locateStore(opts.store);
      const problem = await checkStore(location.path).then(
        () => null,
        (err: Error) => err.message,
      );
      if (opts.json) printJson({ store: location.path, source: location.source, reason: location.reason, isStore: problem === null, problem });
      else process.stdout.write(`${location.path}\n  ${location.reason}${problem ? `\n  ${problem}` : ''}\n`);
    });
}
