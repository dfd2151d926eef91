import { Command, Option } from 'commander';
import { realpath } from 'node:fs/promises';
import { AUTO_DUCKDB_BYTES, mergeExports, type MergeEngine } from '../core/export/merge';
import { DUCKDB_MISSING, loadDuckDb } from '../core/export/mergeDuckdb';
import { writeParquetShards } from '../core/export/parquetShards';
import { inputError, usageError } from './exit';
import { checkOut } from './export';
import { jsonOption, shardRowsOption } from './options';
import { printJson } from './print';
import { progressBar } from './progress';

declare const CODETRAIL_VERSION: string | undefined;

export function mergeCommand(): Command {
  return new Command('merge')
    .description('combine exports of one format from many engineers into one dataset (checksums checked, duplicates dropped)')
    .argument('<out>', 'a new (or empty) folder for the merged dataset')
    .argument('<inputs...>', 'export folders')
    .addOption(shardRowsOption())
    .option('--parquet', 'write Parquet shards too, with the same rows')
    .addOption(
      new Option(
        '--engine <engine>',
        `who de-duplicates: builtin, duckdb (the optional @duckdb/node-api package) or auto (DuckDB from ${AUTO_DUCKDB_BYTES / 1024 / 1024} MB of input when installed, or CODETRAIL_DUCKDB_FROM_MB); the same dataset either way`,
      )
        .choices(['builtin', 'duckdb', 'auto'])
        .default('auto'),
    )
    .addOption(jsonOption())
    .action(async (out: string, inputs: string[], opts: { shardRows: number; parquet?: boolean; json?: boolean; engine: MergeEngine }) => {
      const duckdb = opts.engine === 'duckdb' ? loadDuckDb() : undefined;
      if (duckdb instanceof Error) throw usageError(`--engine duckdb: ${DUCKDB_MISSING}`);
      // Where `auto` switches to DuckDB, for a machine whose balance differs from the one measured.
      const from = process.env.CODETRAIL_DUCKDB_FROM_MB;
      if (from !== undefined && from !== '' && !/^\d+(\.\d+)?$/.test(from))
        throw usageError(`CODETRAIL_DUCKDB_FROM_MB=${from}: expected a number of megabytes`);
      const seen = new Map<string, string>();
      for (const input of inputs) {
        const real = await realpath(input).catch(() => {
          throw inputError(`no export at ${input}: nothing there`);
        });
        const first = seen.get(real);
        if (first !== undefined)
          throw usageError(`${input} is given twice${first !== input ? ` (as ${first})` : ''}: merging an export with itself adds nothing`);
        seen.set(real, input);
      }
      await checkOut(out, inputs, 'the input');
      const bar = progressBar('steps');
      const summary = await mergeExports({
        out,
        inputs,
        rowsPerShard: opts.shardRows,
        ...(opts.parquet ? { parquet: writeParquetShards } : {}),
        version: typeof CODETRAIL_VERSION === 'string' ? CODETRAIL_VERSION : '0.0.0-dev',
        onProgress: bar.update,
        engine: opts.engine,
        ...(from ? { autoDuckDbBytes: Number(from) * 1024 * 1024 } : {}),
      });
      bar.done();
      if (opts.json) {
        printJson({
          out: summary.out,
          format: summary.format,
          inputCount: summary.inputs,
          inputRowCount: summary.rowsIn,
          rowCount: summary.rows,
          duplicateCount: summary.duplicates,
          taskCount: summary.tasks,
          partitionCount: summary.partitions,
          engine: summary.engine,
        });
      } else
        process.stdout.write(
          `merged ${summary.inputs} export(s): ${summary.rows} ${summary.format} row(s) (${summary.duplicates} duplicate(s) dropped), ${summary.tasks} task(s), into ${summary.out} (de-duplicated by ${summary.engine === 'duckdb' ? 'DuckDB' : 'the builtin engine'})\n`,
        );
    });
}
