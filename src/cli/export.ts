import { Command, Option } from 'commander';
import { CodetrailError } from '../core/errors';
import { EXPORT_FORMATS, exportStore, type ExportFormat } from '../core/export/exporter';
import { progressBar } from './progress';
import { writeParquetShards } from '../core/export/parquetShards';

declare const CODETRAIL_VERSION: string | undefined;

export function exportCommand(): Command {
  return new Command('export')
    .description('export approved tasks as training data, with a manifest and a dataset card')
    .requiredOption('--store <dir>', 'the store folder')
    .addOption(new Option('--format <format>', 'what to write').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <dir>', 'a new (or empty) folder to write into')
    .option('--parquet', 'write Parquet shards too, with the same rows')
    .addOption(new Option('--include <what>', 'also export tasks not approved').choices(['unapproved']))
    .option('--shard-rows <n>', 'rows per shard', (v) => Number(v), 10_000)
    .option('--json', 'print a JSON summary')
    .action(async (opts: { store: string; format: ExportFormat; out: string; parquet?: boolean; include?: string; shardRows: number; json?: boolean }) => {
      if (!Number.isInteger(opts.shardRows) || opts.shardRows < 1) throw new CodetrailError('bad-input', '--shard-rows must be a positive whole number');
      const bar = progressBar('tasks');
      const parquet = opts.parquet ? writeParquetShards : undefined;
      const summary = await exportStore({
        store: opts.store,
        out: opts.out,
        format: opts.format,
        includeUnapproved: opts.include === 'unapproved',
        rowsPerShard: opts.shardRows,
        version: typeof CODETRAIL_VERSION === 'string' ? CODETRAIL_VERSION : '0.0.0-dev',
        onProgress: bar.update,
        ...(parquet ? { parquet: (_config: string, files: string[]) => parquet(opts.format, files) } : {}),
      });
      bar.done();
      for (const issue of summary.issues) process.stderr.write(`warning: ${issue.file}:${issue.line}: ${issue.message}\n`);
      if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else {
        const replay = Object.entries(summary.replay).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
        process.stdout.write(`exported ${summary.tasks} task(s) as ${summary.rows} ${summary.format} row(s) into ${summary.out} (replay: ${replay}); ${summary.skippedUnapproved} task(s) not approved were left out\n`);
      }
    });
}
