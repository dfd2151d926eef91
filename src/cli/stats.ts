import { Command } from 'commander';
import { NO_TASK, storeStats, type StoreStats } from '../core/stats';

export function statsCommand(): Command {
  return new Command('stats')
    .description('count the events in a store by kind, task and session')
    .requiredOption('--store <dir>', 'the store folder')
    .option('--json', 'print one JSON object')
    .action(async (opts: { store: string; json?: boolean }) => {
      const stats = await storeStats(opts.store);
      process.stdout.write(opts.json ? JSON.stringify(stats, null, 2) + '\n' : formatStats(stats));
      for (const issue of stats.issues) process.stderr.write(`warning: ${issue.file}:${issue.line}: ${issue.message}\n`);
    });
}

export function formatStats(stats: StoreStats): string {
  const out: string[] = [];
  const span = stats.firstTs !== null && stats.lastTs !== null ? ` from ${new Date(stats.firstTs).toISOString()} to ${new Date(stats.lastTs).toISOString()}` : '';
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
