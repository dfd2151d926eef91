// Parquet shards written from the JSONL ones of an export: same names, same rows, with the
// columns of the format's `schema` (formats.ts). Fields whose shape varies (a raw event's `data`,
// a TRL message or tool) are JSON strings in Parquet, typed `Json()` by the dataset card (card.ts).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CodetrailError } from '../base/errors';
import { FORMATS, isExportFormat } from './formats';
import { writeParquet } from './parquet';

async function* rowsOf(path: string): AsyncGenerator<object> {
  let lineNo = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    lineNo += 1;
    if (!line) continue;
    try {
      yield JSON.parse(line) as object;
    } catch (err) {
      throw new CodetrailError('bad-input', `${path}:${lineNo}: not JSON (${(err as Error).message})`);
    }
  }
}

/** Writes `x.parquet` next to each `x.jsonl`, with the same rows; returns the Parquet paths. */
export async function writeParquetShards(format: string, jsonlFiles: string[]): Promise<string[]> {
  const schema = isExportFormat(format) ? FORMATS[format].schema : null;
  if (!schema) throw new CodetrailError('bad-input', `--parquet is not available for ${format}`);
  const written: string[] = [];
  for (const file of jsonlFiles) {
    const target = file.replace(/\.jsonl$/, '.parquet');
    await writeParquet(target, schema, rowsOf(file));
    written.push(target);
  }
  return written;
}
