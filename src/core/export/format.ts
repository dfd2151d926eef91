// What an export format is: its split, its dataset-card description, its Parquet columns, how
// merge tells its rows apart, and a writer fed one task at a time. Each format lives in one file
// and is listed once in formats.ts; the exporter, the dataset card, Parquet and merge read that.
import { join } from 'node:path';
import type { ReplayObserver } from '../replay/pass';
import type { TaskVerdict } from '../replay/verify';
import type { EventRecord } from '../schema/events';
import type { Manifest } from './manifest';
import type { ParquetSchema } from './parquet';
import { JsonlShards } from './shards';
import type { Trajectory } from './trajectory';

/** A task as every format receives it: its records, and the verdict and trajectory of its one replay. */
export interface ExportedTask {
  taskId: string;
  events: EventRecord[];
  verdict: TaskVerdict;
  trajectory: Trajectory;
}

export interface ExportTarget {
  /** The export folder. */
  out: string;
  /** The config name, also the folder under data/. */
  name: string;
  rowsPerShard: number;
  /** Writes Parquet shards next to the JSONL ones; undefined: JSONL only. */
  parquet?: (config: string, jsonlFiles: string[]) => Promise<string[]>;
  options?: FormatOptions;
}

/** Choices of a format's row shape that the engineer makes at export (CLI options). */
export interface FormatOptions {
  /** TRL tool-call `arguments`: JSON objects (TRL, chat templates) or JSON strings (OpenAI). */
  trlArguments?: 'object' | 'string';
  /** Zed: also rows whose expected output a completion engine or an agent wrote. */
  zedGenerated?: boolean;
  /** ProgSnap2 code states: the spec's Directory representation (the default) or its Git one. */
  progsnap2CodeStates?: 'directory' | 'git';
}

/** One task's part of a format's output. */
export interface TaskWriter {
  /** Watches the task's replay, for a format that needs files as they were at each record. */
  observer?: ReplayObserver;
  /** Called once the replay is done. */
  write(task: ExportedTask): Promise<void>;
}

/** A task's rows as JSON lines, or why it makes none (the manifest lists it). */
export type TaskLines = string[] | { excluded: string };

export interface FormatWriter {
  task(taskId: string): TaskWriter;
  /** For a format of JSON rows: a task's rows made elsewhere (a worker thread), written as `task` would have. */
  writeLines?(taskId: string, lines: TaskLines): Promise<void>;
  /** Writes what remains; the configs the dataset card lists, the number of rows written, and the tasks that made none and why. */
  finish(): Promise<{ configs: Manifest['configs']; rows: number; excluded?: ExcludedTask[]; checksums?: KnownChecksums }>;
}

/**
 * Checksums of files a format wrote from content it had already hashed, by path in the export:
 * the manifest takes them instead of reading the files back (ProgSnap2's code states: tens of
 * thousands of hard links to a few hundred contents).
 */
export type KnownChecksums = ReadonlyMap<string, { sha256: string; bytes: number }>;

/** A task a format made no row of, and why (listed in the manifest). */
export interface ExcludedTask {
  task_id: string;
  reason: string;
}

export interface ExportFormatSpec {
  split: 'train' | 'test';
  /** The dataset card's paragraph about the rows. */
  description: string;
  /** Parquet columns of a row; null: the format is not rows of JSON (no Parquet, no merge). */
  schema: ParquetSchema | null;
  /** How merge tells duplicate rows apart: by event id, or by task; null: merge does not take it. */
  mergeKey: 'event' | 'task' | null;
  /** false: its rows never read the trajectory, so the replay does not build steps or track authorship for it. */
  trajectory?: false;
  /** A format of JSON rows: how a task's rows are made, apart from where they are written (so a worker thread can make them). */
  jsonl?: {
    observe(taskId: string): ReplayObserver | undefined;
    lines(task: ExportedTask, observed: ReplayObserver | undefined, options: FormatOptions): TaskLines;
  };
  open(target: ExportTarget): FormatWriter;
}

/** A format whose rows are JSON lines in shards (and Parquet shards with the same rows, when asked). */
export function jsonlFormat<O extends ReplayObserver | undefined = undefined>(spec: {
  split: 'train' | 'test';
  description: string;
  schema: ParquetSchema;
  mergeKey: 'event' | 'task';
  trajectory?: false;
  /** A fresh observer per task, handed back to `rows`. */
  observe?: (taskId: string) => O;
  /** The task's rows, or why it makes none worth keeping (the manifest lists it). */
  rows(task: ExportedTask, observed: O, options: FormatOptions): Iterable<unknown> | { excluded: string };
}): ExportFormatSpec {
  const jsonl = {
    observe: (taskId: string) => spec.observe?.(taskId),
    lines(task: ExportedTask, observed: ReplayObserver | undefined, options: FormatOptions): TaskLines {
      const rows = spec.rows(task, observed as O, options);
      return 'excluded' in rows ? rows : Array.from(rows, (row) => JSON.stringify(row));
    },
  };
  return {
    split: spec.split,
    description: spec.description,
    schema: spec.schema,
    mergeKey: spec.mergeKey,
    ...(spec.trajectory === false ? { trajectory: false as const } : {}),
    jsonl,
    open(target) {
      const shards = new JsonlShards(join(target.out, 'data', target.name), spec.split, target.rowsPerShard);
      const excluded: ExcludedTask[] = [];
      const writeLines = async (taskId: string, lines: TaskLines) => {
        if ('excluded' in lines) return void excluded.push({ task_id: taskId, reason: lines.excluded });
        for (const line of lines) {
          const written = shards.writeLine(line);
          if (written) await written;
        }
      };
      return {
        task(taskId) {
          const observed = jsonl.observe(taskId);
          return {
            ...(observed ? { observer: observed } : {}),
            write: (task) => writeLines(task.taskId, jsonl.lines(task, observed, target.options ?? {})),
          };
        },
        writeLines,
        async finish() {
          await shards.ensureOne();
          const files = await shards.close();
          const rel = (f: string) => f.slice(target.out.length + 1);
          const configs: Manifest['configs'] = [{ name: target.name, split: spec.split, files: files.map(rel) }];
          if (target.parquet) {
            const parquetFiles = await target.parquet(target.name, files);
            configs.push({ name: `${target.name}_parquet`, split: spec.split, files: parquetFiles.map(rel) });
          }
          return { configs, rows: shards.rows, ...(excluded.length ? { excluded } : {}) };
        },
      };
    },
  };
}
