// `codetrail tasks`: what a store holds, one line per task, so ids need not be fished out of stats.
import { Command } from 'commander';
import { indexStore, type TaskSummary } from '../core/review/taskIndex';
import type { ReadIssue } from '../core/store/segmentReader';
import { jsonOption, storeOption } from './options';
import { printJson, warnIssues } from './print';
import { openStore } from './store';

export function tasksCommand(): Command {
  return new Command('tasks')
    .description('list the tasks of a store: title, outcome, duration, replay verdict, approval')
    .addOption(storeOption())
    .addOption(jsonOption())
    .action(async (opts: { store?: string; json?: boolean }) => {
      const { path } = await openStore(opts.store);
      const issues: ReadIssue[] = [];
      const tasks = (await indexStore(path, (i) => issues.push(i))).flatMap((r) => r.tasks).sort((a, b) => b.startedAt - a.startedAt);
      if (opts.json) printJson({ store: path, tasks: tasks.map(taskJson), issues });
      else process.stdout.write(formatTasks(tasks));
      warnIssues(issues, opts.json);
    });
}

function taskJson(t: TaskSummary) {
  return {
    task: t.task,
    repo: t.repo,
    title: t.title,
    outcome: t.outcome,
    startedAt: new Date(t.startedAt).toISOString(),
    durationMs: t.endedAt - t.startedAt,
    replay: t.status,
    approved: t.approved,
    eventCount: t.events,
    sessionCount: t.sessions.length,
  };
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatTasks(tasks: readonly TaskSummary[]): string {
  if (tasks.length === 0) return 'no tasks recorded\n';
  const rows = tasks.map((t) => [
    t.task,
    new Date(t.startedAt).toISOString().slice(0, 16).replace('T', ' '),
    duration(t.endedAt - t.startedAt),
    t.outcome ?? 'open',
    t.status,
    t.approved ? 'approved' : 'not approved',
    t.title,
  ]);
  const head = ['TASK', 'STARTED (UTC)', 'DURATION', 'OUTCOME', 'REPLAY', 'APPROVAL', 'TITLE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
