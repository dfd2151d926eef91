import { Command } from 'commander';
import { NO_TASK, storeStats, type StoreStats } from '../core/store/stats';
import { inputError } from './exit';
import { jsonOption, storeOption } from './options';
import { printJson, warnIssues } from './print';
import { openStore } from './store';

export function statsCommand(): Command {
  return new Command('stats')
    .description('count the events in a store by kind, task and session')
    .addOption(storeOption())
    .addOption(jsonOption())
    .action(async (opts: { store?: string; json?: boolean }) => {
      const { path } = await openStore(opts.store);
      const stats = await storeStats(path);
      noReadableRecord(stats.events, stats.issues.length, path);
      if (opts.json) {
        printJson({
          store: path,
          eventCount: stats.events,
          firstTs: stats.firstTs,
          lastTs: stats.lastTs,
          byKind: stats.byKind,
          byTask: stats.byTask,
          bySession: stats.bySession,
          byRepo: stats.byRepo,
          issues: stats.issues,
        });
      } else process.stdout.write(formatStats(stats));
      warnIssues(stats.issues, opts.json);
    });
}

/** A store with lines but not one record this version can read is unusable input, not an empty store. */
export function noReadableRecord(records: number, issues: number, store: string): void {
  if (records === 0 && issues > 0)
    throw inputError(`${store} holds no record this version of codetrail can read (${issues} line(s) or file(s) skipped: unknown schema version or damaged)`);
}

export function formatStats(stats: StoreStats): string {
  const out: string[] = [];
  const span =
    stats.firstTs !== null && stats.lastTs !== null ? ` from ${new Date(stats.firstTs).toISOString()} to ${new Date(stats.lastTs).toISOString()}` : '';
  out.push(`${stats.events} events${span}`);
  const section = (title: string, counts: Record<string, number>) => {
    const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (rows.length === 0) return;
    out.push('', `${title}:`);
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [key, n] of rows) out.push(`  ${key.padEnd(width)}  ${String(n).padStart(8)}`);
  };
  section('by kind', stats.byKind);
  section(`by task (${NO_TASK}: no task active)`, stats.byTask);
  section('by session', stats.bySession);
  section('by repository', stats.byRepo);
  if (stats.issues.length > 0) out.push('', `${stats.issues.length} unreadable lines skipped (listed on stderr)`);
  return out.join('\n') + '\n';
}
