// Parquet shards read back by an independent reader: DuckDB (its own C++ Parquet reader, from npm).
// Every check goes through SQL on the written files: row counts, column names and types, values.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CodetrailError } from '../../src/core/base/errors';
import { nullFilled, pq, writeParquet, type ParquetSchema } from '../../src/core/export/parquet';
import { useTempDir } from '../helpers/tmp';

// --- Example schemas, one per kind of export ---------------------------------------------------

/** TRL tool-calling SFT rows: nested lists of structs; `arguments` and `parameters` are JSON text. */
const TRL: ParquetSchema = {
  id: pq.string({ nullable: false }),
  messages: pq.list(
    pq.struct({
      role: pq.string({ nullable: false }),
      content: pq.string(),
      name: pq.string(),
      tool_call_id: pq.string(),
      tool_calls: pq.list(
        pq.struct({
          id: pq.string(),
          type: pq.string(),
          function: pq.struct({ name: pq.string(), arguments: pq.string() }),
        }),
      ),
    }),
  ),
  tools: pq.list(pq.struct({ type: pq.string(), function: pq.struct({ name: pq.string(), description: pq.string(), parameters: pq.json() }) })),
};

/** SWE-bench task instances: flat strings; FAIL_TO_PASS / PASS_TO_PASS as JSON text, as in the original dataset. */
const SWE: ParquetSchema = {
  repo: pq.string(),
  instance_id: pq.string({ nullable: false }),
  base_commit: pq.string(),
  patch: pq.string(),
  test_patch: pq.string(),
  problem_statement: pq.string(),
  hints_text: pq.string(),
  created_at: pq.string(),
  version: pq.string(),
  FAIL_TO_PASS: pq.json(),
  PASS_TO_PASS: pq.json(),
  environment_setup_commit: pq.string(),
};

/** Raw events: `data` varies by `kind`, so it is one JSON string column. */
const EVENTS: ParquetSchema = {
  id: pq.string({ nullable: false }),
  seq: pq.int64(),
  ts: pq.timestamp(),
  kind: pq.string(),
  redacted: pq.boolean(),
  score: pq.double(),
  data: pq.json(),
};

const trlRow = (i: number, text = `step ${i}`) => ({
  id: `trl-${String(i).padStart(6, '0')}`,
  messages: [
    { role: 'system', content: 'You are a software engineer.' },
    { role: 'user', content: `Fix bug #${i}: ${text}` },
    {
      role: 'assistant',
      content: '',
      tool_calls: [
        {
          id: `call_${i}`,
          type: 'function',
          function: { name: 'edit_file', arguments: JSON.stringify({ path: 'src/a.ts', patch: `@@ -1 +1 @@\n-${i}\n+${i + 1}` }) },
        },
      ],
    },
    { role: 'tool', name: 'edit_file', tool_call_id: `call_${i}`, content: 'applied' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'edit_file',
        description: 'Apply a diff.',
        parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      },
    },
    {
      type: 'function',
      function: { name: 'run_tests', description: 'Run tests.', parameters: { type: 'object', properties: { command: { type: 'string' } } } },
    },
  ],
});

const sweRow = (i: number) => ({
  repo: 'octo/widgets',
  instance_id: `octo__widgets-${i}`,
  base_commit: createHash('sha1').update(String(i)).digest('hex'),
  patch: `diff --git a/src/w.py b/src/w.py\n+fix ${i}\n`,
  test_patch: `diff --git a/tests/test_w.py b/tests/test_w.py\n+test ${i}\n`,
  problem_statement: `Widget ${i} breaks on empty input.`,
  hints_text: i % 2 ? '' : undefined,
  created_at: '2024-05-01T12:00:00Z',
  version: '1.2',
  FAIL_TO_PASS: [`tests/test_w.py::test_empty_${i}`],
  PASS_TO_PASS: i % 3 ? ['tests/test_w.py::test_basic'] : [],
  environment_setup_commit: 'f'.repeat(40),
});

const eventRow = (i: number) => ({
  id: `ev-${i}`,
  seq: i,
  ts: new Date(Date.UTC(2024, 0, 1, 0, 0, i)),
  kind: i % 2 ? 'edit' : 'terminal',
  redacted: i % 2 === 0,
  score: i / 4,
  data: i % 2 ? { path: 'a.ts', changes: [{ range: [0, 1], text: 'x' }] } : { command: 'npm test', exit_code: i, output: null },
});

// --- DuckDB -------------------------------------------------------------------------------------

let db: DuckDBInstance;
let con: DuckDBConnection;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson();
}

const lit = (path: string) => `'${path.replace(/'/g, "''")}'`;

/** Column name and DuckDB type, in file order. */
async function columnsOf(path: string): Promise<string[]> {
  return (await query(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`)).map((r) => `${String(r.column_name)} ${String(r.column_type)}`);
}

/** Every row as DuckDB renders it to JSON, in file order. */
async function rowsOf(path: string, select = '*'): Promise<unknown[]> {
  const rows = await query(`SELECT to_json(t)::VARCHAR AS j FROM (SELECT ${select} FROM read_parquet(${lit(path)})) t`);
  return rows.map((r) => JSON.parse(String(r.j)));
}

async function count(path: string): Promise<number> {
  return Number((await query(`SELECT count(*)::INTEGER AS n FROM read_parquet(${lit(path)})`))[0]!.n);
}

const expected = (schema: ParquetSchema, rows: object[]) => rows.map((r, i) => JSON.parse(JSON.stringify(nullFilled(schema, r, i))));

function code(err: unknown): string | undefined {
  return err instanceof CodetrailError ? err.code : undefined;
}

describe('parquet export: written by hyparquet-writer, read back by DuckDB', function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  before(async () => {
    db = await DuckDBInstance.create(':memory:');
    con = await db.connect();
    await con.run(`SET TimeZone = 'UTC'`);
  });

  after(() => {
    con.closeSync();
    db.closeSync();
  });

  it('writes TRL rows as nested lists of structs: same count, columns, types and values as the JSON rows', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => trlRow(i));
    const path = join(tmp(), 'trl.parquet');
    const result = await writeParquet(path, TRL, rows, { rowGroupSize: 100 });
    assert.equal(result.rows, 250);
    assert.equal(result.bytes, (await stat(path)).size);
    assert.equal(await count(path), 250);
    assert.deepEqual(await columnsOf(path), [
      'id VARCHAR',
      'messages STRUCT("role" VARCHAR, "content" VARCHAR, "name" VARCHAR, tool_call_id VARCHAR, tool_calls STRUCT(id VARCHAR, "type" VARCHAR, "function" STRUCT("name" VARCHAR, arguments VARCHAR))[])[]',
      'tools STRUCT("type" VARCHAR, "function" STRUCT("name" VARCHAR, description VARCHAR, parameters VARCHAR))[]',
    ]);
    assert.deepEqual(await rowsOf(path), expected(TRL, rows));
    // `parameters` holds the JSON text of the object it was given; `arguments` its own string.
    const [first] = await query(
      `SELECT tools[1].function.parameters AS p, messages[3].tool_calls[1].function.arguments AS a FROM read_parquet(${lit(path)}) LIMIT 1`,
    );
    assert.deepEqual(JSON.parse(String(first!.p)), rows[0]!.tools[0]!.function.parameters);
    assert.equal(first!.a, rows[0]!.messages[2]!.tool_calls![0]!.function.arguments);
    const groups = await query(`SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata(${lit(path)})`);
    assert.equal(groups[0]!.n, 3, 'row groups of at most 100 rows');
  });

  it('uses the standard 3-level LIST layout (list / element) that pyarrow, Spark and datasets expect', async () => {
    const path = join(tmp(), 'trl.parquet');
    await writeParquet(path, TRL, [trlRow(1)]);
    const schema = await query(`SELECT name, repetition_type, converted_type, num_children FROM parquet_schema(${lit(path)})`);
    const tools = schema.findIndex((r) => r.name === 'tools');
    assert.deepEqual(
      schema.slice(tools, tools + 3).map((r) => [r.name, r.repetition_type, r.converted_type]),
      [
        ['tools', 'OPTIONAL', 'LIST'],
        ['list', 'REPEATED', null],
        ['element', 'OPTIONAL', null],
      ],
    );
    assert.deepEqual(
      schema.find((r) => r.name === 'id'),
      { name: 'id', repetition_type: 'REQUIRED', converted_type: 'UTF8', num_children: null },
    );
  });

  it('writes shards in the Hugging Face layout that DuckDB reads as one table equal to the JSONL config', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => trlRow(i));
    const jsonl = join(tmp(), 'trl.jsonl');
    await writeFile(jsonl, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const dir = join(tmp(), 'data', 'trl');
    await mkdir(dir, { recursive: true });
    for (let s = 0; s < 3; s++) {
      await writeParquet(join(dir, `train-${String(s).padStart(5, '0')}-of-00003.parquet`), TRL, rows.slice(s * 10, s * 10 + 10));
    }
    assert.deepEqual((await readdir(dir)).sort(), ['train-00000-of-00003.parquet', 'train-00001-of-00003.parquet', 'train-00002-of-00003.parquet']);
    const shards = join(dir, '*.parquet');
    const fromParquet = await query(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet(${lit(shards)}) t ORDER BY id`);
    const fromJsonl = await query(`SELECT to_json(t)::VARCHAR AS j FROM read_json(${lit(jsonl)}) t ORDER BY id`);
    assert.equal(fromParquet.length, fromJsonl.length);
    const names = async (from: string) => (await query(`DESCRIBE SELECT * FROM ${from}`)).map((r) => r.column_name);
    assert.deepEqual(await names(`read_parquet(${lit(shards)})`), await names(`read_json(${lit(jsonl)})`));
    // The JSONL holds `parameters` as an object, the Parquet as its JSON text: compare after parsing it.
    const norm = (j: unknown) => {
      const row = JSON.parse(String(j)) as ReturnType<typeof trlRow>;
      for (const t of row.tools) t.function.parameters = typeof t.function.parameters === 'string' ? JSON.parse(t.function.parameters) : t.function.parameters;
      return stripNulls(row);
    };
    assert.deepEqual(
      fromParquet.map((r) => norm(r.j)),
      fromJsonl.map((r) => norm(r.j)),
    );
  });

  it('writes flat SWE-bench rows with FAIL_TO_PASS / PASS_TO_PASS as JSON strings', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => sweRow(i));
    const path = join(tmp(), 'swe.parquet');
    await writeParquet(path, SWE, rows);
    assert.deepEqual(
      await columnsOf(path),
      Object.keys(SWE).map((k) => `${k} VARCHAR`),
    );
    const back = await rowsOf(path);
    assert.deepEqual(back, expected(SWE, rows));
    const [r3] = await query(`SELECT FAIL_TO_PASS, PASS_TO_PASS, hints_text FROM read_parquet(${lit(path)}) WHERE instance_id = 'octo__widgets-3'`);
    assert.deepEqual(r3, { FAIL_TO_PASS: '["tests/test_w.py::test_empty_3"]', PASS_TO_PASS: '[]', hints_text: '' });
    const [r4] = await query(`SELECT hints_text FROM read_parquet(${lit(path)}) WHERE instance_id = 'octo__widgets-4'`);
    assert.deepEqual(r4, { hints_text: null });
  });

  it('writes raw events with scalar types and `data` as a JSON string column', async () => {
    const rows: object[] = Array.from({ length: 20 }, (_, i) => eventRow(i));
    rows.push({ id: 'ev-big', seq: 2n ** 62n + 1n, ts: '2024-02-29T23:59:59.999Z', kind: 'x', redacted: false, score: -0.5, data: [1, 'two', null] });
    rows.push({ id: 'ev-ms', seq: -(2n ** 63n), ts: 1_700_000_000_123, data: null });
    rows.push({ id: 'ev-offset', ts: '2024-03-01T01:30:00+01:30', data: 0 });
    rows.push({ id: 'ev-date', ts: '2024-03-01', data: false });
    const path = join(tmp(), 'events.parquet');
    await writeParquet(path, EVENTS, rows);
    assert.deepEqual(await columnsOf(path), [
      'id VARCHAR',
      'seq BIGINT',
      'ts TIMESTAMP WITH TIME ZONE',
      'kind VARCHAR',
      'redacted BOOLEAN',
      'score DOUBLE',
      'data VARCHAR',
    ]);
    const back = await query(`SELECT id, seq::VARCHAR AS seq, epoch_ms(ts)::VARCHAR AS ts, kind, redacted, score, data FROM read_parquet(${lit(path)})`);
    const want = rows.map((r, i) => {
      const n = nullFilled(EVENTS, r, i);
      return { ...n, seq: n.seq === null ? null : String(n.seq), ts: n.ts === null ? null : String((n.ts as Date).getTime()) };
    });
    assert.deepEqual(back, want);
    const [edit] = await query(`SELECT data::JSON->>'$.changes[0].text' AS text FROM read_parquet(${lit(path)}) WHERE id = 'ev-1'`);
    assert.equal(edit!.text, 'x');
    const times = await query(`SELECT id, epoch_ms(ts)::VARCHAR AS ms FROM read_parquet(${lit(path)}) WHERE id IN ('ev-offset', 'ev-date')`);
    assert.deepEqual(times, [
      { id: 'ev-offset', ms: String(Date.UTC(2024, 2, 1, 0, 0)) },
      { id: 'ev-date', ms: String(Date.UTC(2024, 2, 1)) },
    ]);
  });

  it('writes an empty input as a valid file with the columns and no rows', async () => {
    const path = join(tmp(), 'empty.parquet');
    assert.deepEqual(await writeParquet(path, TRL, []), { rows: 0, bytes: (await stat(path)).size });
    assert.equal(await count(path), 0);
    assert.equal((await columnsOf(path)).length, 3);
    async function* none(): AsyncGenerator<object> {}
    await writeParquet(path, SWE, none());
    assert.equal(await count(path), 0);
    assert.deepEqual(
      await columnsOf(path),
      Object.keys(SWE).map((k) => `${k} VARCHAR`),
    );
  });

  it('keeps unicode exactly: emoji, CJK, astral and combining characters, RTL, NUL; a lone surrogate becomes U+FFFD', async () => {
    const texts = [
      '🚀✅👩🏽‍💻 family 👨‍👩‍👧‍👦',
      '变更文件 テスト 한국어',
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝄞 \u{10FFFD}',
      'e\u0301 ñ café',
      'שלום مرحبا',
      'nul\u0000inside',
      'tab\tnew\nline\r\n',
      '',
    ];
    const rows = texts.map((t, i) => trlRow(i, t));
    const path = join(tmp(), 'unicode.parquet');
    await writeParquet(path, TRL, rows);
    assert.deepEqual(await rowsOf(path), expected(TRL, rows));
    const lengths = await query(`SELECT length(messages[2].content)::INTEGER AS n FROM read_parquet(${lit(path)})`);
    assert.deepEqual(
      lengths.map((r) => r.n),
      rows.map((r) => [...r.messages[1]!.content].length),
      'code points, not UTF-16 units',
    );

    const lone = join(tmp(), 'lone.parquet');
    await writeParquet(lone, EVENTS, [{ id: 'a\uD800b', kind: '\uDC00' }]);
    assert.deepEqual(await query(`SELECT id, kind FROM read_parquet(${lit(lone)})`), [{ id: 'a\uFFFDb', kind: '\uFFFD' }]);
  });

  it('keeps very long strings (1 MB and 3 MB) whole, and their truncated statistics still find them', async () => {
    const mb = 'a'.repeat(1 << 20);
    const big = `${'z'.repeat(3 << 20)}🚀`;
    const rows = [
      { id: 'one', kind: mb, data: { blob: mb } },
      { id: 'two', kind: big },
      { id: 'three', kind: 'short' },
    ];
    const path = join(tmp(), 'long.parquet');
    await writeParquet(path, EVENTS, rows);
    const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
    const back = await query(`SELECT id, length(kind)::INTEGER AS n, md5(kind) AS h, md5(data) AS d FROM read_parquet(${lit(path)})`);
    assert.deepEqual(back, [
      { id: 'one', n: mb.length, h: md5(mb), d: md5(JSON.stringify({ blob: mb })) },
      { id: 'two', n: 3 * (1 << 20) + 1, h: md5(big), d: null },
      { id: 'three', n: 5, h: md5('short'), d: null },
    ]);
    // Min/max statistics are cut to a prefix; a wrong cut would make DuckDB skip the row group.
    const found = await con.runAndReadAll(`SELECT id FROM read_parquet(${lit(path)}) WHERE kind = $1`, [big]);
    assert.deepEqual(found.getRowObjectsJson(), [{ id: 'two' }]);
  });

  it('writes missing and undefined fields as null, and keeps null lists, empty lists and null elements apart', async () => {
    const rows = [
      { id: 'missing' },
      { id: 'undefined', messages: undefined, tools: undefined },
      { id: 'null', messages: null, tools: null },
      { id: 'empty', messages: [], tools: [] },
      { id: 'null-element', messages: [null, { role: 'user' }] },
      { id: 'partial', messages: [{ role: 'assistant', tool_calls: [{ function: { name: 'x' } }, { function: null }, {}] }] },
      // eslint-disable-next-line no-sparse-arrays -- a hole in the array is what this case checks
      { id: 'sparse', messages: [{ role: 'user' }, , { role: 'tool' }] },
    ];
    const path = join(tmp(), 'nulls.parquet');
    await writeParquet(path, TRL, rows);
    const back = await rowsOf(path);
    assert.deepEqual(back, expected(TRL, rows));
    assert.deepEqual(
      back.map((r) => {
        const row = r as { messages: unknown[] | null; tools: unknown[] | null };
        return [row.messages === null ? null : row.messages.length, row.tools === null ? null : row.tools.length];
      }),
      [
        [null, null],
        [null, null],
        [null, null],
        [0, 0],
        [2, null],
        [1, null],
        [3, null],
      ],
    );
    const partial = back[5] as { messages: { content: unknown; tool_calls: unknown[] }[] };
    assert.deepEqual(partial.messages[0]!.tool_calls, [
      { id: null, type: null, function: { name: 'x', arguments: null } },
      { id: null, type: null, function: null },
      { id: null, type: null, function: null },
    ]);
  });

  it('writes fields declared not nullable as REQUIRED, at any depth', async () => {
    const schema: ParquetSchema = {
      tags: pq.list(pq.string({ nullable: false }), { nullable: false }),
      meta: pq.struct({ n: pq.int64({ nullable: false }), note: pq.string() }, { nullable: false }),
      pairs: pq.list(pq.list(pq.double({ nullable: false }))),
    };
    const rows = [
      { tags: [], meta: { n: 1 }, pairs: [[1.5, 2], [], null] },
      { tags: ['a', 'b'], meta: { n: -2, note: 'x' } },
    ];
    const path = join(tmp(), 'required.parquet');
    await writeParquet(path, schema, rows);
    assert.deepEqual(await columnsOf(path), ['tags VARCHAR[]', 'meta STRUCT(n BIGINT, note VARCHAR)', 'pairs DOUBLE[][]']);
    assert.deepEqual(await rowsOf(path), expected(schema, rows));
    const repetition = await query(`SELECT name, repetition_type FROM parquet_schema(${lit(path)}) WHERE name IN ('tags', 'meta', 'n', 'note')`);
    assert.deepEqual(repetition.map((r) => `${String(r.name)} ${String(r.repetition_type)}`).sort(), [
      'meta REQUIRED',
      'n REQUIRED',
      'note OPTIONAL',
      'tags REQUIRED',
    ]);
    await assert.rejects(writeParquet(path, schema, [{ tags: ['a', null], meta: { n: 1 } }]), /tags\[1\]: missing a value that is not nullable/);
    await assert.rejects(writeParquet(path, schema, [{ tags: [], meta: {} }]), /meta\.n: missing a value that is not nullable/);
  });

  it('streams 100,000 rows from an async source with bounded memory', async function () {
    this.timeout(180_000);
    // Memory still held (after a collection) every 10,000 rows: flat when streaming, growing by
    // about 20 MB per 10,000 rows if rows were kept (each row has a 2,000-byte string of its own).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const held = () => {
      gc();
      const m = process.memoryUsage();
      return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
    };
    const n = 100_000;
    const base = held();
    const marks: number[] = [];
    async function* source(): AsyncGenerator<object> {
      for (let i = 0; i < n; i++) {
        if (i % 10_000 === 5_000) marks.push(held() - base);
        const text = Buffer.alloc(2000, 'x');
        text.write(String(i));
        yield { id: `ev-${i}`, seq: i, kind: text.toString('latin1'), data: { i } };
      }
    }
    const path = join(tmp(), 'many.parquet');
    const result = await writeParquet(path, EVENTS, source());
    assert.equal(result.rows, n);
    assert.equal(marks.length, 10);
    const shown = marks.map((m) => m.toFixed(0)).join(', ');
    assert.ok(Math.max(...marks) < 80, `memory held while writing stays under 80 MB (MB: ${shown})`);
    assert.ok(marks[9]! - marks[0]! < 40, `and does not grow with the rows written (MB: ${shown})`);
    assert.equal(await count(path), n);
    const groups = await query(`SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata(${lit(path)})`);
    assert.equal(groups[0]!.n, 10);
    const [last] = await query(`SELECT id, seq::INTEGER AS seq, length(kind)::INTEGER AS len FROM read_parquet(${lit(path)}) WHERE seq = ${n - 1}`);
    assert.deepEqual(last, { id: `ev-${n - 1}`, seq: n - 1, len: 2000 });
  });

  it('closes row groups by size too, so very large rows do not pile up', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: String(i), kind: 'k'.repeat(1 << 20) }));
    const path = join(tmp(), 'wide.parquet');
    await writeParquet(path, EVENTS, rows, { rowGroupBytes: 4 << 20 });
    const groups = await query(`SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata(${lit(path)})`);
    assert.equal(groups[0]!.n, 3);
    assert.equal(await count(path), 12);
  });

  it('a shard cut short is an error for DuckDB, not fewer rows', async () => {
    const path = join(tmp(), 'cut.parquet');
    await writeParquet(
      path,
      TRL,
      Array.from({ length: 300 }, (_, i) => trlRow(i)),
      { rowGroupSize: 100 },
    );
    const { size } = await stat(path);
    for (const keep of [size - 1, Math.floor(size / 2), 100, 3]) {
      const copy = join(tmp(), `cut-${keep}.parquet`);
      await copyFile(path, copy);
      await truncate(copy, keep);
      await assert.rejects(query(`SELECT count(*) FROM read_parquet(${lit(copy)})`), /parquet|magic|footer|metadata|corrupt|file/i, `cut to ${keep} bytes`);
      await assert.rejects(rowsOf(copy), /./, `cut to ${keep} bytes, reading rows`);
    }
  });

  it('rejects rows that do not fit the schema with bad-input, naming row and field, and leaves no file', async () => {
    const path = join(tmp(), 'bad.parquet');
    const cases: [object[], RegExp][] = [
      [[trlRow(0), { id: 'x', messages: [{ role: 'user', content: 42 }] }], /row 1, messages\[0\]\.content: expected a string, got number/],
      [[{ id: 'x', extra: 1 }], /row 0, extra: field not in the schema/],
      [
        [{ id: 'x', messages: [{ role: 'user', tool_calls: [{ function: { name: 'a', args: '{}' } }] }] }],
        /messages\[0\]\.tool_calls\[0\]\.function\.args: field not in the schema/,
      ],
      [[{ messages: [] }], /row 0, id: missing a value that is not nullable/],
      [[{ id: 'x', messages: { role: 'user' } }], /messages: expected an array, got object/],
    ];
    for (const [rows, message] of cases) {
      await assert.rejects(writeParquet(path, TRL, rows), (err: unknown) => code(err) === 'bad-input' && message.test((err as Error).message));
      await assert.rejects(stat(path));
      await assert.rejects(stat(`${path}.partial`));
    }
    const eventCases: [object, RegExp][] = [
      [{ id: 'x', seq: 1.5 }, /seq: expected a safe integer or a bigint, got 1\.5/],
      [{ id: 'x', seq: 2 ** 60 }, /seq: expected a safe integer/],
      [{ id: 'x', seq: 2n ** 63n }, /out of the int64 range/],
      [{ id: 'x', ts: 'yesterday' }, /ts: not a valid time/],
      [{ id: 'x', ts: '2024-03-01T12:00:00' }, /ts: not a valid time \(ISO 8601 with Z or an offset\)/],
      [{ id: 'x', ts: 'March 1, 2024' }, /ts: not a valid time/],
      [{ id: 'x', ts: '2024-02-30T00:00:00Z' }, /ts: not a valid time/],
      [{ id: 'x', data: '{"already":"json"}' }, /data: a string in a json field/],
      [{ id: 'x', redacted: 'yes' }, /redacted: expected a boolean, got string/],
      [{ id: 'x', data: 1n }, /data: not serialisable as JSON/],
      [{ id: 'x', data: () => 1 }, /data: not serialisable as JSON/],
    ];
    for (const [row, message] of eventCases) {
      await assert.rejects(writeParquet(path, EVENTS, [row]), (err: unknown) => code(err) === 'bad-input' && message.test((err as Error).message));
    }
    // A source that fails midway also leaves nothing behind.
    function* failing(): Generator<object> {
      yield { id: 'a' };
      throw new Error('source broke');
    }
    await assert.rejects(writeParquet(path, EVENTS, failing()), /source broke/);
    await assert.rejects(stat(path));
    await assert.rejects(stat(`${path}.partial`));
  });

  it('rejects schemas that some reader could not load', async () => {
    const path = join(tmp(), 'schema.parquet');
    const bad: ParquetSchema[] = [
      {},
      { 'a b': pq.string() },
      { 'a.b': pq.string() },
      { '0': pq.string() },
      { s: pq.struct({}) },
      { l: pq.list(pq.struct({ '': pq.string() })) },
    ];
    for (const schema of bad) {
      await assert.rejects(writeParquet(path, schema, []), (err: unknown) => code(err) === 'bad-input', JSON.stringify(schema));
    }
    await assert.rejects(writeParquet(path, EVENTS, [], { rowGroupSize: 0 }), (err: unknown) => code(err) === 'bad-input');
  });

  it('overwrites an existing shard only once the new one is complete', async () => {
    const path = join(tmp(), 'again.parquet');
    await writeParquet(path, SWE, [sweRow(1), sweRow(2)]);
    await assert.rejects(writeParquet(path, SWE, [sweRow(3), { instance_id: 7 }]));
    assert.equal(await count(path), 2, 'the failed write left the old file as it was');
    await writeParquet(path, SWE, [sweRow(3)]);
    assert.equal(await count(path), 1);
  });
});

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null && x !== undefined)
        .map(([k, x]) => [k, stripNulls(x)]),
    );
  }
  return v;
}
