// Parquet writers measured on the same rows, against JSONL written in the same run.
//
//   node bench/parquet.mjs [--rows 50000] [--group 10000] [--only a,b] [--deps DIR] [--install] [--compiled out] [--repeat 1]
//
// Each candidate runs in its own child process (so peak memory is its own) and writes the same
// deterministic TRL-like rows (nested messages / tool_calls / tools). The parent then reads every
// file back with DuckDB and, where installed, with arrow-rs (parquet-wasm's reader) and compares all
// rows with the JSON rows, and measures what each library adds to a minified esbuild bundle.
// Output: one JSON line per candidate, ratios against the JSONL baseline, then a summary line.
//
// Libraries that are not project dependencies are looked for in --deps (default
// $TMPDIR/codetrail-parquet-bench); --install puts them there with npm, so the project's own
// node_modules and package.json stay as they are. Missing candidates are reported and skipped.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const ROWS = Number(arg('rows', '50000'));
const GROUP = Number(arg('group', '10000'));
const REPEAT = Number(arg('repeat', '1'));
const DEPS = resolve(arg('deps', join(tmpdir(), 'codetrail-parquet-bench')));

// Versions pinned for --install, so a rerun measures the same code.
const INSTALL = [
  'hyparquet-writer@0.17.0',
  'parquet-wasm@0.8.0',
  'apache-arrow@21.2.0',
  '@dsnp/parquetjs@1.8.8', // 1.9.x requires Node >= 24
  'parquetjs-lite@0.8.7',
  '@duckdb/node-api@1.5.6-r.1',
];

// ---------------------------------------------------------------------------------------------
// Resolving candidate packages: the project first, then the bench's own folder.

const requirers = [createRequire(join(root, 'package.json')), createRequire(join(DEPS, 'package.json'))];

function packageDir(name) {
  for (const req of requirers) {
    for (const base of req.resolve.paths(name) ?? []) {
      const dir = join(base, name);
      if (existsSync(join(dir, 'package.json'))) return dir;
    }
  }
  return undefined;
}

function packageInfo(name) {
  const dir = packageDir(name);
  if (!dir) return undefined;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { dir, version: pkg.version, license: pkg.license };
}

async function load(name) {
  for (const req of requirers) {
    try {
      return await import(pathToFileURL(req.resolve(name)).href);
    } catch (e) {
      if (e?.code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  throw new Error(`${name} is not installed (try --install)`);
}

// ---------------------------------------------------------------------------------------------
// The rows: deterministic, generated lazily so that memory measures the writer, not the data.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'const let return function if else for await async import export from class new this null true ' +
  'false value result error file path line test assert expect should when then src index ts js ' +
  'json string number array object map set get put delete update create read write open close ' +
  'user id name type data config options default module require process env log warn throw catch ' +
  '变更 文件 测试 🚀 ✅ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 café naïve'
).split(' ');

let POOL;
function pool() {
  if (POOL) return POOL;
  const rnd = mulberry32(7);
  const parts = [];
  let n = 0;
  while (n < 1 << 20) {
    const w = WORDS[Math.floor(rnd() * WORDS.length)];
    const sep = rnd() < 0.08 ? '\n' : rnd() < 0.05 ? '(' : ' ';
    parts.push(w, sep);
    n += w.length + 1;
  }
  return (POOL = parts.join(''));
}

const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

function text(rnd, min, max) {
  const p = pool();
  const len = min + Math.floor(rnd() * (max - min));
  let start = Math.floor(rnd() * (p.length - len));
  let end = start + len;
  // Never cut a surrogate pair: a lone surrogate is not valid UTF-8 (tested apart, in the unit tests).
  if (isLow(p.charCodeAt(start))) start++;
  if (isLow(p.charCodeAt(end))) end++;
  return p.slice(start, end);
}

const TOOLS = ['read_file', 'edit_file', 'run_terminal', 'search', 'run_tests'].map((name) => ({
  type: 'function',
  function: {
    name,
    description: `Use ${name} on the workspace.`,
    parameters: JSON.stringify({ type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }),
  },
}));

function trlRow(i) {
  const rnd = mulberry32(i + 1);
  const messages = [
    { role: 'system', content: 'You are a coding agent working in a VS Code workspace.' },
    { role: 'user', content: text(rnd, 100, 800) },
  ];
  const turns = 1 + Math.floor(rnd() * 4);
  for (let t = 0; t < turns; t++) {
    const calls = 1 + Math.floor(rnd() * 2);
    const toolCalls = [];
    for (let c = 0; c < calls; c++) {
      const name = TOOLS[Math.floor(rnd() * TOOLS.length)].function.name;
      toolCalls.push({ type: 'function', function: { name, arguments: JSON.stringify({ path: `src/f${c}.ts`, text: text(rnd, 20, 400) }) } });
    }
    messages.push({ role: 'assistant', content: text(rnd, 0, 200), tool_calls: toolCalls });
    for (const call of toolCalls) messages.push({ role: 'tool', name: call.function.name, content: text(rnd, 50, 1200) });
  }
  messages.push({ role: 'assistant', content: text(rnd, 20, 300) });
  return { messages, tools: TOOLS };
}

function* trlRows(n) {
  for (let i = 0; i < n; i++) yield trlRow(i);
}

// One declaration of the row shape, turned into each library's schema language below.
const S = (fields) => ({ kind: 'struct', fields });
const L = (element) => ({ kind: 'list', element });
const STR = { kind: 'string' };
const TRL = S({
  messages: L(
    S({
      role: STR,
      content: STR,
      name: STR,
      tool_calls: L(S({ type: STR, function: S({ name: STR, arguments: STR }) })),
    }),
  ),
  tools: L(S({ type: STR, function: S({ name: STR, description: STR, parameters: STR }) })),
});

function nullFill(t, v) {
  if (v === undefined || v === null) return null;
  if (t.kind === 'list') return v.map((e) => nullFill(t.element, e));
  if (t.kind === 'struct') {
    const o = {};
    for (const [k, ft] of Object.entries(t.fields)) o[k] = nullFill(ft, v[k]);
    return o;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Candidates. Each writes `rows` (a sync iterable) to `path` in row groups of GROUP rows.

function batches(rows, size) {
  const it = rows[Symbol.iterator]();
  return {
    next() {
      const out = [];
      for (let r = it.next(); !r.done; r = it.next()) {
        out.push(r.value);
        if (out.length >= size) break;
      }
      return out;
    },
  };
}

// An async hyparquet Writer: the ParquetWriter fills a ByteWriter; after each row group we append
// its bytes to the file and rewind, so only one row group's encoded bytes are held.
async function hyparquetFile(hw, path) {
  const { open } = await import('node:fs/promises');
  const fh = await open(path, 'w');
  const writer = new hw.ByteWriter();
  writer.flush = async () => {
    if (writer.index > 0) await fh.write(new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
  };
  writer.finish = async () => {
    await writer.flush();
    await fh.close();
  };
  return writer;
}

function hyparquetSchema(t) {
  const out = [{ name: 'root', num_children: Object.keys(t.fields).length }];
  const add = (name, ft) => {
    if (ft.kind === 'string') out.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    else if (ft.kind === 'list') {
      out.push({ name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 });
      out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      add('element', ft.element);
    } else {
      out.push({ name, repetition_type: 'OPTIONAL', num_children: Object.keys(ft.fields).length });
      for (const [k, v] of Object.entries(ft.fields)) add(k, v);
    }
  };
  for (const [k, v] of Object.entries(t.fields)) add(k, v);
  return out;
}

function parquetjsSchema(t) {
  const conv = (ft) => {
    if (ft.kind === 'string') return { type: 'UTF8', optional: true, compression: 'SNAPPY' };
    if (ft.kind === 'list') return { ...conv(ft.element), repeated: true, optional: undefined };
    const fields = {};
    for (const [k, v] of Object.entries(ft.fields)) fields[k] = conv(v);
    return { fields, optional: true };
  };
  const fields = {};
  for (const [k, v] of Object.entries(t.fields)) fields[k] = conv(v);
  return fields;
}

function arrowType(arrow, t) {
  if (t.kind === 'string') return new arrow.Utf8();
  if (t.kind === 'list') return new arrow.List(new arrow.Field('element', arrowType(arrow, t.element), true));
  return new arrow.Struct(Object.entries(t.fields).map(([k, v]) => new arrow.Field(k, arrowType(arrow, v), true)));
}

function duckType(t) {
  if (t.kind === 'string') return 'VARCHAR';
  if (t.kind === 'list') return `${duckType(t.element)}[]`;
  return `STRUCT(${Object.entries(t.fields)
    .map(([k, v]) => `"${k}" ${duckType(v)}`)
    .join(', ')})`;
}

const CANDIDATES = {
  jsonl: {
    packages: [],
    bundle: null,
    async write(path, rows) {
      const ws = createWriteStream(path);
      for (const row of rows) if (!ws.write(JSON.stringify(row) + '\n')) await once(ws, 'drain');
      ws.end();
      await finished(ws);
    },
  },

  'hyparquet-writer': {
    packages: ['hyparquet-writer'],
    bundle: `import { ByteWriter, ParquetWriter } from 'hyparquet-writer'; globalThis.x = [ByteWriter, ParquetWriter];`,
    async write(path, rows, codec = 'SNAPPY', compressors) {
      const hw = await load('hyparquet-writer');
      const writer = await hyparquetFile(hw, path);
      const pq = new hw.ParquetWriter({ writer, schema: hyparquetSchema(TRL), codec, compressors });
      const names = Object.keys(TRL.fields);
      const b = batches(rows, GROUP);
      for (let batch = b.next(); batch.length; batch = b.next()) {
        const columnData = names.map((name) => ({ name, data: batch.map((r) => r[name]) }));
        await pq.write({ columnData, rowGroupSize: batch.length });
      }
      await pq.finish();
    },
  },

  // Same writer, GZIP through node:zlib (the only codec besides SNAPPY that needs no extra package).
  'hyparquet-writer+gzip': {
    packages: ['hyparquet-writer'],
    bundle: `import { ByteWriter, ParquetWriter } from 'hyparquet-writer'; import { gzipSync } from 'node:zlib'; globalThis.x = [ByteWriter, ParquetWriter, gzipSync];`,
    async write(path, rows) {
      await CANDIDATES['hyparquet-writer'].write(path, rows, 'GZIP', { GZIP: (b) => gzipSync(b, { level: 6 }) });
    },
  },

  // The project's own wrapper (compiled by `npx tsc -p tsconfig.test.json`): what --parquet costs.
  'codetrail-writeParquet': {
    packages: ['hyparquet-writer'],
    bundle: null,
    async write(path, rows) {
      const file = join(resolve(arg('compiled', join(root, 'out'))), 'src/core/export/parquet.js');
      if (!existsSync(file)) throw new Error(`${file} is missing: compile first (npx tsc -p tsconfig.test.json)`);
      const { writeParquet } = await import(pathToFileURL(file).href);
      const conv = (t) =>
        t.kind === 'list'
          ? { type: 'list', element: conv(t.element) }
          : t.kind === 'struct'
            ? { type: 'struct', fields: Object.fromEntries(Object.entries(t.fields).map(([k, v]) => [k, conv(v)])) }
            : { type: t.kind };
      await writeParquet(path, conv(TRL).fields, rows, { rowGroupSize: GROUP });
    },
  },

  'parquet-wasm+apache-arrow': {
    packages: ['parquet-wasm', 'apache-arrow'],
    bundle: `import { transformParquetStream, Table, WriterPropertiesBuilder } from 'parquet-wasm'; import { vectorFromArray, Table as T, tableToIPC } from 'apache-arrow'; globalThis.x = [transformParquetStream, Table, WriterPropertiesBuilder, vectorFromArray, T, tableToIPC];`,
    asset: 'parquet-wasm/node/parquet_wasm_bg.wasm',
    async write(path, rows) {
      const pw = await load('parquet-wasm');
      const arrow = await load('apache-arrow');
      const { Writable } = await import('node:stream');
      const { open } = await import('node:fs/promises');
      const types = Object.entries(TRL.fields).map(([k, v]) => [k, v, arrowType(arrow, v)]);
      const b = batches(rows, GROUP);
      const source = new ReadableStream({
        pull(controller) {
          const batch = b.next();
          if (!batch.length) return controller.close();
          const cols = {};
          for (const [k, t, at] of types)
            cols[k] = arrow.vectorFromArray(
              batch.map((r) => nullFill(t, r[k])),
              at,
            );
          const table = pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(cols), 'stream'));
          for (const rb of table.recordBatches()) controller.enqueue(rb);
        },
      });
      const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setMaxRowGroupSize(GROUP).build();
      const out = await pw.transformParquetStream(source, props);
      const fh = await open(path, 'w');
      await out.pipeTo(Writable.toWeb(fh.createWriteStream()));
    },
  },

  '@dsnp/parquetjs': {
    packages: ['@dsnp/parquetjs'],
    bundle: `import { ParquetWriter, ParquetSchema } from '@dsnp/parquetjs'; globalThis.x = [ParquetWriter, ParquetSchema];`,
    async write(path, rows) {
      const pq = await load('@dsnp/parquetjs');
      const lib = pq.default ?? pq;
      const w = await lib.ParquetWriter.openFile(new lib.ParquetSchema(parquetjsSchema(TRL)), path, { rowGroupSize: GROUP });
      for (const row of rows) await w.appendRow(row);
      await w.close();
    },
  },

  'parquetjs-lite': {
    packages: ['parquetjs-lite'],
    bundle: `import { ParquetWriter, ParquetSchema } from 'parquetjs-lite'; globalThis.x = [ParquetWriter, ParquetSchema];`,
    async write(path, rows) {
      const pq = await load('parquetjs-lite');
      const lib = pq.default ?? pq;
      const w = await lib.ParquetWriter.openFile(new lib.ParquetSchema(parquetjsSchema(TRL)), path, { rowGroupSize: GROUP });
      for (const row of rows) await w.appendRow(row);
      await w.close();
    },
  },

  // Native: JSONL to a temporary file, then DuckDB's COPY with the declared types.
  'duckdb (native)': {
    packages: ['@duckdb/node-api'],
    bundle: null,
    native: '@duckdb/node-bindings-linux-x64',
    async write(path, rows) {
      const { DuckDBInstance } = await load('@duckdb/node-api');
      const tmp = `${path}.jsonl`;
      await CANDIDATES.jsonl.write(tmp, rows);
      const db = await DuckDBInstance.create(':memory:');
      const con = await db.connect();
      const cols = Object.entries(TRL.fields)
        .map(([k, v]) => `"${k}": '${duckType(v)}'`)
        .join(', ');
      await con.run(
        `COPY (SELECT * FROM read_json('${tmp}', format = 'newline_delimited', columns = {${cols}}, maximum_object_size = 1073741824)) ` +
          `TO '${path}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${GROUP})`,
      );
      con.closeSync?.();
      rmSync(tmp, { force: true });
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Child: one candidate, one file. Samples memory while writing.

/** This process image's peak resident set (Linux VmHWM), 0 where /proc is missing. */
function highWaterRss() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function child(name, out) {
  const c = CANDIDATES[name];
  for (const p of c.packages) await load(p); // module load is not write time
  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakExternal = before.external + before.arrayBuffers;
  let peakRss = before.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
  }, 5);
  const t0 = process.hrtime.bigint();
  await c.write(out, trlRows(ROWS));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  process.stdout.write(
    JSON.stringify({
      seconds,
      rssBeforeMB: before.rss / 2 ** 20,
      // Not resourceUsage().maxRSS: Linux carries it over from the parent through fork and exec,
      // so a child of a big parent would report the parent's peak.
      peakRssMB: Math.max(peakRss, highWaterRss()) / 2 ** 20,
      peakHeapDeltaMB: (peakHeap - before.heapUsed) / 2 ** 20,
      peakExternalDeltaMB: (peakExternal - before.external - before.arrayBuffers) / 2 ** 20,
    }) + '\n',
  );
}

// ---------------------------------------------------------------------------------------------
// Parent: run children, verify with independent readers, measure bundles, print.

function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== null && v[k] !== undefined) o[k] = canon(v[k]);
    return o;
  }
  return v;
}
const expected = () => Array.from(trlRows(ROWS), (r) => JSON.stringify(canon(r)));

async function verifyDuckdb(file, want) {
  const { DuckDBInstance } = await load('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const types = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
    const got = (await con.runAndReadAll(`SELECT to_json(t)::VARCHAR FROM read_parquet('${file}') t`)).getRows();
    let mismatches = 0;
    for (let i = 0; i < Math.max(got.length, want.length); i++) {
      if (got[i] === undefined || JSON.stringify(canon(JSON.parse(got[i][0]))) !== want[i]) mismatches++;
    }
    return { rows: got.length, mismatches, columns: types.map((t) => `${t.column_name} ${t.column_type}`) };
  } catch (e) {
    return { error: String(e.message ?? e).split('\n')[0] };
  } finally {
    con.closeSync?.();
  }
}

async function verifyArrowRs(file, want) {
  if (!packageDir('parquet-wasm') || !packageDir('apache-arrow')) return { skipped: 'parquet-wasm or apache-arrow not installed' };
  try {
    const pw = await load('parquet-wasm');
    const arrow = await load('apache-arrow');
    const table = arrow.tableFromIPC(pw.readParquet(readFileSync(file)).intoIPCStream());
    let mismatches = 0;
    for (let i = 0; i < Math.max(table.numRows, want.length); i++) {
      const row = i < table.numRows ? JSON.stringify(canon(JSON.parse(JSON.stringify(table.get(i))))) : undefined;
      if (row !== want[i]) mismatches++;
    }
    return { rows: table.numRows, mismatches };
  } catch (e) {
    return { error: String(e.message ?? e).split('\n')[0] };
  }
}

async function bundleBytes(source) {
  const esbuild = await import('esbuild');
  const build = async (contents) => {
    const r = await esbuild.build({
      stdin: { contents, resolveDir: root, loader: 'js' },
      nodePaths: [join(DEPS, 'node_modules')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const bytes = r.outputFiles[0].contents;
    return { raw: bytes.length, gzip: gzipSync(bytes).length };
  };
  const empty = await build('globalThis.x = 1;');
  const full = await build(source);
  return { minified: full.raw - empty.raw, gzip: full.gzip - empty.gzip };
}

function dirBytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

function runChild(name, out) {
  return new Promise((done) => {
    const args = ['--child', name, '--out', out, '--rows', String(ROWS), '--group', String(GROUP), '--deps', DEPS];
    if (arg('compiled')) args.push('--compiled', arg('compiled'));
    const p = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      try {
        const lines = stderr.trim().split('\n');
        const error = lines.find((l) => /Error|Exception/.test(l)) ?? lines.slice(-3).join(' | ');
        done(code === 0 ? JSON.parse(stdout.trim().split('\n').pop()) : { error: error.trim() });
      } catch {
        done({ error: `unreadable child output: ${stdout.slice(-200)}` });
      }
    });
  });
}

async function main() {
  if (process.argv.includes('--child')) return child(arg('child'), arg('out'));
  if (process.argv.includes('--install')) {
    mkdirSync(DEPS, { recursive: true });
    if (!existsSync(join(DEPS, 'package.json'))) spawnSync('npm', ['init', '-y'], { cwd: DEPS, stdio: 'ignore' });
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', DEPS, ...INSTALL], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const only = arg('only')?.split(',');
  const names = Object.keys(CANDIDATES).filter((n) => n === 'jsonl' || !only || only.includes(n));
  const dir = mkdtempSync(join(tmpdir(), 'codetrail-parquet-bench-'));
  const want = expected();
  const jsonlBytesOfRows = want.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);
  const results = [];
  let base;
  try {
    for (const name of names) {
      const c = CANDIDATES[name];
      const infos = c.packages.map((p) => [p, packageInfo(p)]);
      const missing = infos.filter(([, i]) => !i).map(([p]) => p);
      if (missing.length) {
        console.log(JSON.stringify({ candidate: name, skipped: `not installed: ${missing.join(', ')} (run with --install)` }));
        continue;
      }
      const out = join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}.${name === 'jsonl' ? 'jsonl' : 'parquet'}`);
      // Median time of --repeat runs (the machine may be shared); memory is the largest seen.
      const runs = [];
      for (let i = 0; i < REPEAT; i++) runs.push(await runChild(name, out));
      const good = runs.filter((r) => !r.error).sort((a, b) => a.seconds - b.seconds);
      const run = good.length
        ? { ...good[Math.floor((good.length - 1) / 2)], peakRssMaxMB: Math.max(...good.map((r) => r.peakRssMB)), runs: good.length }
        : runs[0];
      const result = {
        candidate: name,
        packages: Object.fromEntries(infos.map(([p, i]) => [p, `${i.version} (${i.license})`])),
        rows: ROWS,
        rowGroup: GROUP,
        ...run,
      };
      if (!run.error) {
        result.fileBytes = statSync(out).size;
        result.rowsPerSec = Math.round(ROWS / run.seconds);
        result.inputMBps = jsonlBytesOfRows / 2 ** 20 / run.seconds; // JSONL-equivalent megabytes of rows per second
        if (name === 'jsonl') base = result;
        else {
          result.duckdb = await verifyDuckdb(out, want);
          result.arrowRs = await verifyArrowRs(out, want);
        }
      }
      if (c.bundle) result.bundleAdded = await bundleBytes(c.bundle);
      if (c.asset) result.assetBytes = statSync(join(packageDir(c.asset.split('/')[0]), c.asset.split('/').slice(1).join('/'))).size;
      if (c.native) result.nativeBinaryBytes = packageDir(c.native) ? dirBytes(packageDir(c.native)) : undefined;
      if (base && !run.error && name !== 'jsonl') {
        result.vsJsonl = {
          time: run.seconds / base.seconds,
          size: result.fileBytes / base.fileBytes,
          peakRss: run.peakRssMB / base.peakRssMB,
        };
      }
      for (const k of ['seconds', 'rssBeforeMB', 'peakRssMB', 'peakRssMaxMB', 'peakHeapDeltaMB', 'peakExternalDeltaMB', 'inputMBps']) {
        if (typeof result[k] === 'number') result[k] = Math.round(result[k] * 100) / 100;
      }
      if (result.vsJsonl) for (const k of Object.keys(result.vsJsonl)) result.vsJsonl[k] = Math.round(result.vsJsonl[k] * 100) / 100;
      results.push(result);
      console.log(JSON.stringify(result));
      rmSync(out, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ok = results.filter((r) => r.candidate !== 'jsonl' && !r.error && r.duckdb?.mismatches === 0 && r.duckdb?.rows === ROWS);
  console.log(
    JSON.stringify({
      summary: true,
      rows: ROWS,
      jsonlMB: Math.round((jsonlBytesOfRows / 2 ** 20) * 10) / 10,
      verifiedByDuckdb: ok.map((r) => r.candidate),
      fastest: ok.slice().sort((a, b) => a.seconds - b.seconds)[0]?.candidate,
      smallest: ok.slice().sort((a, b) => a.fileBytes - b.fileBytes)[0]?.candidate,
    }),
  );
}

await main();
