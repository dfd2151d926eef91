// The dataset card against the data it describes: `dataset_info.features` pins every column of every
// row format, and those types are the Parquet files' schema and the JSON Lines rows' values; two
// contributors' exports with a column null in one of them load together in DuckDB with the card's
// types, as a merge of them does; the card's numbers are the tasks' provenance.
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadata, parquetSchema, type SchemaTree } from 'hyparquet';
import { parse as parseYaml } from 'yaml';
import { datasetCard, MEASURED_RECALL, type NamedCardFeature } from '../../src/core/export/card';
import { REDACTION_RULES_VERSION } from '../../src/core/redact/version';
import { exportStore, type ExportFormat } from '../../src/core/export/exporter';
import type { Manifest } from '../../src/core/export/manifest';
import { mergeExports } from '../../src/core/export/merge';
import { writeParquetShards } from '../../src/core/export/parquetShards';
import { captureSession, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

type Feature = { dtype?: string; list?: string | Feature | NamedCardFeature[]; struct?: NamedCardFeature[] };
type Card = { configs: { config_name: string }[]; dataset_info?: { config_name: string; features: NamedCardFeature[] }[] };

async function cardOf(out: string): Promise<{ meta: Card; body: string }> {
  const text = await readFile(join(out, 'README.md'), 'utf8');
  const [, yaml, ...rest] = text.split('---\n');
  return { meta: parseYaml(yaml!) as Card, body: rest.join('---\n') };
}

const listElement = (f: Feature): Feature => (typeof f.list === 'string' ? { dtype: f.list } : Array.isArray(f.list) ? { struct: f.list } : f.list!);

/** The feature a Parquet column's schema stands for; `json` is stored as a string, so either fits. */
function fromParquet(node: SchemaTree): Feature {
  const e = node.element;
  if (e.converted_type === 'LIST') return { list: simplify(fromParquet(node.children[0]!.children[0]!)) };
  if (node.children.length > 0) return { struct: node.children.map((c) => ({ name: c.element.name, ...fromParquet(c) }) as NamedCardFeature) };
  if (e.type === 'BYTE_ARRAY' && e.converted_type === 'UTF8') return { dtype: 'string' };
  if (e.type === 'INT64' && e.converted_type === 'TIMESTAMP_MILLIS') return { dtype: 'timestamp[ms, tz=UTC]' };
  return { dtype: { INT64: 'int64', DOUBLE: 'float64', BOOLEAN: 'bool' }[e.type as string] ?? `unknown ${e.type}` };
}

function simplify(f: Feature): Feature['list'] {
  return f.dtype ? f.dtype : f.struct ? f.struct : f;
}

/** The card's feature as Parquet holds it: `json` becomes `string`. */
function asStored(f: Feature): Feature {
  if (f.dtype) return { dtype: f.dtype === 'json' ? 'string' : f.dtype };
  if (f.list !== undefined) return { list: simplify(asStored(listElement(f))) };
  return { struct: f.struct!.map(({ name, ...g }) => ({ name, ...asStored(g as Feature) }) as NamedCardFeature) };
}

/** Whether a JSON Lines value is of the card's type, as `datasets` would cast it; null fits any. */
function fits(f: Feature, value: unknown, path: string): void {
  if (value === null || value === undefined) return;
  if (f.dtype) {
    const ok = {
      string: typeof value === 'string',
      int64: Number.isSafeInteger(value),
      float64: typeof value === 'number',
      bool: typeof value === 'boolean',
      json: true,
    }[f.dtype];
    assert.ok(ok, `${path}: ${JSON.stringify(value).slice(0, 60)} is not ${f.dtype}`);
    return;
  }
  if (f.list !== undefined) {
    assert.ok(Array.isArray(value), `${path}: not a list`);
    value.forEach((v, i) => fits(listElement(f), v, `${path}[${i}]`));
    return;
  }
  assert.equal(typeof value, 'object', `${path}: not a struct`);
  const names = new Set(f.struct!.map((s) => s.name));
  for (const key of Object.keys(value as object)) assert.ok(names.has(key), `${path}.${key} is not in the card`);
  for (const { name, ...g } of f.struct!) fits(g as Feature, (value as Record<string, unknown>)[name], `${path}.${name}`);
}

/** The DuckDB type the card's feature means (the card is the only input: no inference). */
function duckType(f: Feature): string {
  if (f.dtype)
    return (
      { string: 'VARCHAR', int64: 'BIGINT', float64: 'DOUBLE', bool: 'BOOLEAN', json: 'JSON', 'timestamp[ms, tz=UTC]': 'TIMESTAMP WITH TIME ZONE' }[f.dtype] ??
      `unknown ${f.dtype}`
    );
  if (f.list !== undefined) return `${duckType(listElement(f))}[]`;
  return `STRUCT(${f.struct!.map(({ name, ...g }) => `"${name}" ${duckType(g as Feature)}`).join(', ')})`;
}

async function rowsOf(dir: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) if (line) rows.push(JSON.parse(line) as Record<string, unknown>);
  }
  return rows;
}

describe('dataset card: pinned types that match the data', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  let con: DuckDBConnection;
  const q = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson();

  before(async () => {
    con = await (await DuckDBInstance.create(':memory:')).connect();
  });

  async function store(name: string, tasks: { approve?: boolean; issueUrl?: string }[]): Promise<string> {
    const dir = join(tmp(), name);
    const session = captureSession(dir);
    for (const t of tasks) await recordRangeTask(session, t);
    await session.dispose();
    return dir;
  }

  const exportTo = (storeDir: string, out: string, format: ExportFormat, includeUnapproved = false) =>
    exportStore({
      store: storeDir,
      out,
      format,
      version: 'test',
      includeUnapproved,
      rowsPerShard: 1,
      parquet: (_c, files) => writeParquetShards(format, files),
    });

  it('every row format: the features match each Parquet file’s schema and every JSON Lines value', async () => {
    const s = await store('s', [{}, { issueUrl: 'https://example.com/issues/1' }]);
    for (const format of ['raw', 'trajectories', 'trl', 'swebench', 'zed'] as const) {
      const out = join(tmp(), `card-${format}`);
      await exportTo(s, out, format);
      const { meta } = await cardOf(out);
      assert.deepEqual(
        meta.dataset_info!.map((d) => d.config_name),
        meta.configs.map((c) => c.config_name),
        `${format}: every config has its features`,
      );
      const [jsonl, parquet] = meta.dataset_info!;
      assert.deepEqual(parquet!.features, jsonl!.features, `${format}: JSON Lines and Parquet configs have the same types`);
      const features = jsonl!.features;
      const dir = join(out, 'data', format);
      const parquetFiles = (await readdir(dir)).filter((n) => n.endsWith('.parquet'));
      assert.ok(parquetFiles.length > 0);
      for (const f of parquetFiles) {
        const bytes = await readFile(join(dir, f));
        const schema = parquetSchema(parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
        const columns = schema.children.map((c) => ({ name: c.element.name, ...fromParquet(c) }));
        assert.deepEqual(
          columns,
          features.map(({ name, ...g }) => ({ name, ...asStored(g as Feature) })),
          `${format}/${f}: Parquet schema`,
        );
      }
      const rows = await rowsOf(dir);
      assert.ok(rows.length > 0, format);
      for (const [i, row] of rows.entries()) fits({ struct: features }, row, `${format} row ${i}`);
    }
  });

  it('two contributors’ exports with different all-null columns load together in DuckDB with the card’s types, and so does their merge', async () => {
    // A: issue_url is null in every row; B: it is set. Each export's card pins the same types.
    const a = join(tmp(), 'a');
    const b = join(tmp(), 'b');
    await exportTo(await store('sa', [{}]), a, 'trajectories');
    await exportTo(await store('sb', [{ issueUrl: 'https://example.com/issues/7' }]), b, 'trajectories');
    const cardA = (await cardOf(a)).meta.dataset_info![0]!.features;
    assert.deepEqual((await cardOf(b)).meta.dataset_info![0]!.features, cardA);
    const columns = `{${cardA.map(({ name, ...f }) => `'${name}': '${duckType(f as Feature)}'`).join(', ')}}`;
    // DuckDB shows struct field names unquoted.
    const expected = cardA.map(({ name, ...f }) => [name, duckType(f as Feature).replaceAll('"', '')]);
    // Alone, A's first shard says nothing about issue_url's type.
    const [alone] = await q(`SELECT typeof(issue_url) AS t FROM read_json_auto('${join(a, 'data/trajectories/*.jsonl')}', format = 'newline_delimited')`);
    assert.notEqual(alone!.t, 'VARCHAR', 'inference from an all-null column cannot know the type');

    const check = async (jsonl: string, parquet: string, what: string) => {
      const fromJson = `read_json(${jsonl}, format = 'newline_delimited', columns = ${columns})`;
      const described = await q(`DESCRIBE SELECT * FROM ${fromJson}`);
      assert.deepEqual(
        described.map((r) => [r.column_name, r.column_type]),
        expected,
        `${what}: JSON Lines with the card's types`,
      );
      const values = await q(`SELECT count(*)::INTEGER AS n, count(issue_url)::INTEGER AS urls, max(issue_url) AS url FROM ${fromJson}`);
      assert.deepEqual(values, [{ n: 2, urls: 1, url: 'https://example.com/issues/7' }], what);
      const fromParquet = await q(`DESCRIBE SELECT * FROM read_parquet(${parquet}, union_by_name = true)`);
      assert.deepEqual(
        fromParquet.map((r) => [r.column_name, r.column_type]),
        expected.map(([n, t]) => [n, t!.replaceAll('JSON', 'VARCHAR')]),
        `${what}: Parquet has the card's types (JSON stored as text)`,
      );
    };
    await check(
      `['${join(a, 'data/trajectories/*.jsonl')}', '${join(b, 'data/trajectories/*.jsonl')}']`,
      `['${join(a, 'data/trajectories/*.parquet')}', '${join(b, 'data/trajectories/*.parquet')}']`,
      'A and B',
    );

    const merged = join(tmp(), 'merged');
    await mergeExports({ out: merged, inputs: [a, b], version: 'test', parquet: (_c, files) => writeParquetShards('trajectories', files) });
    assert.deepEqual((await cardOf(merged)).meta.dataset_info![0]!.features, cardA, 'the merge keeps the pinned types');
    await check(`'${join(merged, 'data/trajectories/*.jsonl')}'`, `'${join(merged, 'data/trajectories/*.parquet')}'`, 'merged');
  });

  it('reports tasks, replay verdicts and fidelity, approvals, redaction rules and recall, and consent, from the provenance', async () => {
    const s = await store('report', [{}, {}, { approve: false }]);
    const out = join(tmp(), 'report-out');
    await exportTo(s, out, 'trl', true);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const { body } = await cardOf(out);
    const n = manifest.tasks.length;
    const exact = manifest.tasks.filter((t) => t.replay_status === 'exact').length;
    const approved = manifest.tasks.filter((t) => t.approved).length;
    assert.deepEqual([n, approved], [3, 2]);
    assert.ok(body.includes(`fidelity (tasks whose record rebuilds exactly what was committed): ${exact} of ${n} (${((100 * exact) / n).toFixed(1)}%)`), body);
    assert.ok(body.includes(`replay verdicts: exact (${exact})`), body);
    assert.ok(
      body.includes(`approvals: ${approved} of ${n} approved by their engineer in review (${n - approved} exported with \`--include unapproved\`)`),
      body,
    );
    const rules = new Map<string, number>();
    for (const t of manifest.tasks) rules.set(t.redaction_rules ?? 'not recorded', (rules.get(t.redaction_rules ?? 'not recorded') ?? 0) + 1);
    for (const [rule, count] of rules) assert.ok(body.includes(`${rule} (${count})`), `rule set ${rule} counted: ${body}`);
    // The helper's sessions record rule set "test", which has no published recall measure.
    assert.ok(body.includes('rule set test: no published recall measure'), body);
    assert.ok(body.includes(`consent time recorded for ${manifest.tasks.filter((t) => t.consent_at).length} of ${n} task(s), under 1 policy version(s)`), body);
  });

  it('the current redaction rule set has its measured recall on record, and the card states it', () => {
    assert.ok(
      MEASURED_RECALL[REDACTION_RULES_VERSION],
      `rule set ${REDACTION_RULES_VERSION} has no measured recall in card.ts: measure it (test/core/redactCorpus.test.ts) and record it`,
    );
    const task = {
      task_id: 't',
      repo: 'r',
      contributor: 'c',
      policy_hash: 'p',
      consent_at: '2026-01-01T00:00:00Z',
      redaction_rules: REDACTION_RULES_VERSION,
      replay_status: 'exact',
      approved: true,
      deleted_in_review: 0,
    };
    const card = datasetCard({ format: 'trl', description: '', schema: null, configs: [], counts: { tasks: 1, rows: 1, events: 1 }, tasks: [task] });
    assert.ok(card.includes(`rule set ${REDACTION_RULES_VERSION}: measured recall ${MEASURED_RECALL[REDACTION_RULES_VERSION]}`), card);
  });
});
