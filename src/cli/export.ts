import { Command, Option } from 'commander';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sameOrInside } from '../core/base/confine';
import { EXPORT_FORMATS, exportStore, type ExportFormat } from '../core/export/exporter';
import { writeParquetShards } from '../core/export/parquetShards';
import { PROGSNAP2_CODE_STATES, type CodeStateRepresentation } from '../core/export/progsnap2';
import { TRL_ARGUMENTS, type TrlArguments } from '../core/export/trl';
import { usageError } from './exit';
import { jsonOption, shardRowsOption, storeOption } from './options';
import { printJson, warnIssues } from './print';
import { progressBar } from './progress';
import { noReadableRecord } from './stats';
import { openStore } from './store';

declare const CODETRAIL_VERSION: string | undefined;

export function exportCommand(): Command {
  return new Command('export')
    .description('export approved tasks as training data, with a manifest and a dataset card')
    .addOption(storeOption())
    .addOption(new Option('--format <format>', 'what to write').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <dir>', 'a new (or empty) folder to write into, outside the store')
    .option('--parquet', 'write Parquet shards too, with the same rows')
    .addOption(
      new Option('--trl-arguments <form>', 'trl: tool-call arguments as JSON objects (TRL, chat templates) or strings (OpenAI fine-tuning)')
        .choices([...TRL_ARGUMENTS])
        .default('object'),
    )
    .option('--zed-generated', 'zed: also rows whose expected output a completion engine or an agent wrote')
    .addOption(
      new Option(
        '--progsnap2-code-states <representation>',
        "progsnap2: code states as a folder per state (the spec's Directory) or commits of one git repository (its Git)",
      )
        .choices([...PROGSNAP2_CODE_STATES])
        .default('directory'),
    )
    .addOption(new Option('--include <what>', 'also export tasks not approved').choices(['unapproved']))
    .option('--max-generated <share>', 'leave out tasks whose committed lines are more than this share (0-1) completed, agent- or tool-written', parseShare)
    .addOption(shardRowsOption())
    .option(
      '--jobs <n>',
      'worker threads that read and export the store in chunks, beside this one (default: one a core, up to 8, from 40 tasks; 0: none); the output is the same',
      parseJobs,
    )
    .addOption(jsonOption())
    .action(
      async (opts: {
        store?: string;
        format: ExportFormat;
        out: string;
        parquet?: boolean;
        trlArguments: TrlArguments;
        zedGenerated?: boolean;
        progsnap2CodeStates: CodeStateRepresentation;
        include?: string;
        maxGenerated?: number;
        shardRows: number;
        jobs?: number;
        json?: boolean;
      }) => {
        const { path: store } = await openStore(opts.store);
        await checkOut(opts.out, [store], 'the store');
        const existed = await readdir(opts.out).then(
          () => true,
          () => false,
        );
        const bar = progressBar('tasks');
        const parquet = opts.parquet ? writeParquetShards : undefined;
        const summary = await exportStore({
          store,
          out: opts.out,
          format: opts.format,
          includeUnapproved: opts.include === 'unapproved',
          ...(opts.maxGenerated !== undefined ? { maxGenerated: opts.maxGenerated } : {}),
          rowsPerShard: opts.shardRows,
          jobs: opts.jobs ?? 'auto',
          formatOptions: {
            trlArguments: opts.trlArguments,
            ...(opts.zedGenerated ? { zedGenerated: true } : {}),
            progsnap2CodeStates: opts.progsnap2CodeStates,
          },
          version: typeof CODETRAIL_VERSION === 'string' ? CODETRAIL_VERSION : '0.0.0-dev',
          onProgress: bar.update,
          ...(parquet ? { parquet: (_config: string, files: string[]) => parquet(opts.format, files) } : {}),
        });
        bar.done();
        if (summary.tasks === 0 && summary.issues.length > 0) {
          // Nothing usable was read: leave no empty dataset behind that looks like a result.
          if (existed) for (const name of await readdir(opts.out)) await rm(join(opts.out, name), { recursive: true, force: true });
          else await rm(opts.out, { recursive: true, force: true });
          noReadableRecord(0, summary.issues.length, store);
        }
        warnIssues(summary.issues, opts.json);
        if (opts.json) {
          printJson({
            store,
            out: summary.out,
            format: summary.format,
            taskCount: summary.tasks,
            unapprovedSkippedCount: summary.skippedUnapproved,
            generatedSkippedCount: summary.skippedGenerated,
            rowCount: summary.rows,
            eventCount: summary.events,
            fileCount: summary.files,
            replay: summary.replay,
            issues: summary.issues,
            excluded: summary.excluded,
          });
        } else {
          const replay =
            Object.entries(summary.replay)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ') || 'none';
          process.stdout.write(
            `exported ${summary.tasks} task(s) as ${summary.rows} ${summary.format} row(s) into ${summary.out} (replay: ${replay}); ${summary.skippedUnapproved} task(s) not approved were left out${summary.skippedGenerated ? `, ${summary.skippedGenerated} over the generated share` : ''}\n`,
          );
          for (const x of summary.excluded) process.stdout.write(`  no row for task ${x.task_id}: ${x.reason}\n`);
        }
      },
    );
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 0 || jobs > 64) throw usageError(`--jobs takes a whole number from 0 to 64, not ${value}`);
  return jobs;
}

function parseShare(value: string): number {
  const share = Number(value);
  if (!(share >= 0 && share <= 1)) throw usageError(`--max-generated takes a share from 0 to 1, not ${value}`);
  return share;
}

/** An output folder must be new or empty, and neither inside an input nor holding one. */
export async function checkOut(out: string, inputs: readonly string[], what: string): Promise<void> {
  for (const input of inputs) {
    if ((await sameOrInside(input, out)) || (await sameOrInside(out, input)))
      throw usageError(`--out ${out} overlaps ${what} ${input}: write the export to a folder outside it`);
  }
  const entries = await readdir(out).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : err.code === 'ENOTDIR' ? null : Promise.reject(err)));
  if (entries === null) throw usageError(`${out} is a file: give a new or empty folder`);
  if (entries.length > 0) throw usageError(`${out} is not empty: give a new or empty folder`);
}
