import { Command } from 'commander';
import { mergeExports } from '../core/export/merge';
import { progressBar } from './progress';
import { writeParquetShards } from '../core/export/parquetShards';

declare const CODETRAIL_VERSION: string | undefined;

export function mergeCommand(): Command {
  return new Command('merge')
    .description('combine exports of one format from many engineers into one dataset (checksums checked, duplicates dropped)')
    .argument('<out>', 'a new (or empty) folder for the merged dataset')
    .argument('<inputs...>', 'export folders')
    .option('--shard-rows <n>', 'rows per shard', (v) => Number(v), 10_000)
    .option('--parquet', 'write Parquet shards too, with the same rows')
    .option('--json', 'print a JSON summary')
    .action(async (out: string, inputs: string[], opts: { shardRows: number; parquet?: boolean; json?: boolean }) => {
      const bar = progressBar('steps');
      const summary = await mergeExports({ out, inputs, rowsPerShard: opts.shardRows, ...(opts.parquet ? { parquet: writeParquetShards } : {}), version: typeof CODETRAIL_VERSION === 'string' ? CODETRAIL_VERSION : '0.0.0-dev', onProgress: bar.update });
      bar.done();
      process.stdout.write(
        opts.json ? JSON.stringify(summary, null, 2) + '\n' : `merged ${summary.inputs} export(s): ${summary.rows} ${summary.format} row(s) (${summary.duplicates} duplicate(s) dropped), ${summary.tasks} task(s), into ${summary.out}\n`,
      );
    });
}
