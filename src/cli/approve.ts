// `codetrail approve`: until the review view exists, the engineer approves a task for export
// (or withdraws approval) from the command line. The decision is appended to the store as a
// task.review event, in a segment of its own.
import { Command } from 'commander';
import { CodetrailError } from '../core/errors';
import { newUlid } from '../core/ids';
import { Recorder } from '../core/recorder';
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
        const first = events[0]!;
        const recorder = new Recorder({ storePath: opts.store, sessionId: newUlid(), contributorId: first.contributor });
        recorder.setTask(taskId);
        recorder.record(first.repo, 'task.review', { approved: !opts.withdraw }, 'user');
        await recorder.dispose();
        process.stdout.write(`${opts.withdraw ? 'withdrew approval of' : 'approved'} ${taskId}\n`);
      }
    });
}
