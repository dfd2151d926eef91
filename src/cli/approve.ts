// `codetrail approve`: approve a task for export (or withdraw approval) from the command line, as
// the review panel does. The decision is appended to the store as a task.review event.
import { Command } from 'commander';
import { CodetrailError } from '../core/errors';
import { recordReview } from '../core/review/approval';
import { eventsByTask } from '../core/replay/verify';

export function approveCommand(): Command {
  return new Command('approve')
    .description('approve a task for export (or withdraw approval with --withdraw)')
    .requiredOption('--store <dir>', 'the store folder')
    .argument('<task...>', 'task ids')
    .option('--withdraw', 'withdraw approval instead')
    .action(async (taskIds: string[], opts: { store: string; withdraw?: boolean }) => {
      const { tasks } = await eventsByTask(opts.store, () => undefined);
      for (const taskId of taskIds) {
        const events = tasks.get(taskId);
        if (!events?.length) throw new CodetrailError('bad-input', `no task ${taskId} in ${opts.store}`);
        await recordReview(opts.store, taskId, events, !opts.withdraw);
        process.stdout.write(`${opts.withdraw ? 'withdrew approval of' : 'approved'} ${taskId}\n`);
      }
    });
}
