// The scale benchmarks at their --quick size, so that they cannot rot: each runs end to end over
// the compiled sources and the built command line, and prints every measurement with its baseline
// and a verdict. The figures themselves are not judged here (the machine is shared); their shape is.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '../../..');

function runBench(script: string, args: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench', script), ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        lines: stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
        stderr,
      }),
    );
  });
}

const VERDICT = /^(MET|MISSED): /;

describe('scale benchmarks (--quick)', function () {
  this.timeout(180_000);

  it('year: generates a store through the real pipeline and measures the index, tasks, verify and exports against their baselines', async () => {
    // The exports with worker threads (export --jobs), so that path of the benchmark runs too.
    const { code, lines, stderr } = await runBench('year.mjs', ['--quick', '--formats', 'raw,trl', '--jobs', '2']);
    assert.equal(code, 0, stderr);
    const get = (measure: string) => lines.find((l) => l.measure === measure) ?? assert.fail(`no ${measure} line in ${JSON.stringify(lines)}`);
    const store = get('store');
    assert.equal(store.tasks, 12);
    assert.ok((store.events as number) >= 12 * 250, 'about 300 events a task');
    assert.ok((get('read+parse (baseline)').eventsPerSec as number) > 0);
    const verify = get('verify');
    assert.deepEqual(verify.statuses, {
      tasks: 12,
      exact: 12,
      diverged: 0,
      unverified: 0,
      'no-commits': 0,
      eventsOutsideTasks: (verify.statuses as { eventsOutsideTasks: number }).eventsOutsideTasks,
    });
    assert.equal(verify.replaysPerTask, 1);
    for (const measure of ['view open (index read)', 'codetrail tasks', 'verify', 'verify memory', 'export raw', 'export trl'])
      assert.match(String(get(measure).verdict), VERDICT, measure);
    assert.equal(get('codetrail tasks').lines, 12);
    assert.equal(get('export trl').rows, 12);
    assert.equal(get('export raw').jobs, 2);
    assert.equal(get('export raw').rows, (store.events as number) - (verify.statuses as { eventsOutsideTasks: number }).eventsOutsideTasks);
  });

  it("team: merges contributors' exports (recorded, and derived from recorded ones) with codetrail merge's two engines, and de-duplicates them with today's pass and with DuckDB's SQL, keeping the same events", async () => {
    const { code, lines, stderr } = await runBench('team.mjs', ['--quick']);
    assert.equal(code, 0, stderr);
    const today = lines.find((l) => l.measure === "today's merge (baseline)")!;
    const duck = lines.find((l) => l.measure === 'DuckDB merge (SQL over Parquet)')!;
    const pass = lines.find((l) => l.measure === "today's de-duplicating pass (baseline)")!;
    const engine = lines.find((l) => l.measure === 'codetrail merge --engine duckdb')!;
    const inputs = lines.find((l) => l.measure === 'inputs')!;
    assert.equal(inputs.contributors, 4);
    assert.ok((inputs.rowsIn as number) >= 4 * 900, 'about 1,000 recorded events a contributor');
    assert.equal(today.rowsIn, inputs.rowsIn);
    assert.ok((today.duplicates as number) > 0, 'the inputs overlap');
    assert.equal((today.rows as number) + (today.duplicates as number), today.rowsIn, 'every event kept once or dropped as a duplicate');
    assert.equal(today.command, 'codetrail merge --engine builtin');
    assert.equal(engine.rows, today.rows);
    assert.equal(engine.sameDatasetAsBuiltin, true);
    assert.match(String(engine.verdict), VERDICT);
    // The de-duplicating pass alone, on every partition at this size, keeps what merge keeps end to end.
    assert.equal(pass.rowsIn, inputs.rowsIn);
    assert.equal(pass.rows, today.rows);
    assert.equal(duck.baselineMs, pass.ms);
    assert.equal(duck.rows, today.rows);
    assert.equal(duck.sameRowsAsToday, true);
    assert.match(String(duck.verdict), VERDICT);
  });
});

describe('heap snapshot comparison (bench/heapDiff.mjs)', function () {
  this.timeout(60_000);

  it('names the constructor whose objects were added between two snapshots, with their count', async () => {
    // A child process: a snapshot of this one (the whole test run) would be needlessly large.
    const script = `
      const v8 = require('node:v8');
      class GrowsInSession { constructor(i) { this.i = i; } }
      const kept = [];
      const before = v8.writeHeapSnapshot(process.argv[1] + '/a.heapsnapshot');
      for (let i = 0; i < 5000; i++) kept.push(new GrowsInSession(i));
      const after = v8.writeHeapSnapshot(process.argv[1] + '/b.heapsnapshot');
      import(process.argv[2]).then(({ summarize, growth }) => {
        const rows = growth(summarize(before), summarize(after), 50);
        process.stdout.write(JSON.stringify({ rows, kept: kept.length }));
      });`;
    const dir = mkdtempSync(join(tmpdir(), 'codetrail-heapdiff-'));
    try {
      const out = execFileSync(process.execPath, ['-e', script, dir, pathToFileURL(join(root, 'bench/heapDiff.mjs')).href], { encoding: 'utf8' });
      const { rows } = JSON.parse(out) as { rows: { group: string; countDelta: number; sizeDelta: number }[] };
      const grown = rows.find((r) => r.group === 'object:GrowsInSession');
      assert.ok(grown, `GrowsInSession among the growers: ${JSON.stringify(rows.slice(0, 5))}`);
      assert.equal(grown.countDelta, 5000);
      assert.ok(grown.sizeDelta > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
