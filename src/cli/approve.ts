// `codetrail approve`: approve a task for export (or withdraw approval) from the command line, as
// the review panel does. The decision is appended to the store as a task.review event. Every id
// is checked before anything is written: all of them are approved, or none.
import { Argument, Command } from 'commander';
import { recordReview } from '../core/review/approval';
import { eventsByTask } from '../core/replay/verify';
import { usageError } from './exit';
import { jsonOption, storeOption, taskId } from './options';
import { printJson } from './print';
import { openStore } from './store';

export function approveCommand(): Command {
  return new Command('approve')
    .description('approve tasks for export (or withdraw approval with --withdraw); all or none')
    .addOption(storeOption())
    .addArgument(new Argument('<task...>', 'task ids').argParser(taskId))
    .option('--withdraw', 'withdraw approval instead')
    .addOption(jsonOption())
    .action(async (taskIds: string[], opts: { store?: string; withdraw?: boolean; json?: boolean }) => {
      const { path } = await openStore(opts.store);
      const { tasks } = await eventsByTask(path, () => undefined);
      const missing = taskIds.filter((id) => !tasks.get(id)?.length);
      if (missing.length > 0) throw usageError(`no task ${missing.join(', ')} in ${path} (\`codetrail tasks\` lists them); nothing was approved`);
      const unique = [...new Set(taskIds)];
      for (const id of unique) await recordReview(path, id, tasks.get(id)!, !opts.withdraw);
      if (opts.json) printJson({ store: path, action: opts.withdraw ? 'withdraw' : 'approve', tasks: unique });
      else for (const id of unique) process.stdout.write(`${opts.withdraw ? 'withdrew approval of' : 'approved'} ${id}\n`);
    });
}
