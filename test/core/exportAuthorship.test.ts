// Exports carry who wrote what: edit steps keep their origin, commits their authorship, and
// --max-generated leaves out tasks written mostly by something other than the engineer.
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { parse as parseYaml } from 'yaml';
import { exportStore } from '../../src/core/export/exporter';
import { mergeExports } from '../../src/core/export/merge';
import { captureSession, NEW_TEST, RANGE_AFTER, RANGE_BEFORE, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

/** The recorded mix: the engineer typed the lines the fix changed in src/range.js, a tool wrote every line of the new test on disk. */
function recordedMix() {
  const typed = diffLines(RANGE_BEFORE, RANGE_AFTER).reduce((n, p) => n + (p.added ? p.count : 0), 0);
  const tool = NEW_TEST.split('\n').filter(Boolean).length;
  return { added: typed + tool, typed, pasted: 0, completed: 0, agent: 0, tool };
}

async function firstRow(out: string, config: string): Promise<any> {
  const dir = join(out, 'data', config);
  const [file] = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
  return JSON.parse((await readFile(join(dir, file!), 'utf8')).split('\n')[0]!);
}

describe('exports carry authorship', () => {
  const tmp = useTempDir();
  const store = () => join(tmp(), 'store');

  beforeEach(async () => {
    const session = captureSession(store());
    // The engineer types the fix in src/range.js; the new test file is written on disk by a tool.
    await recordRangeTask(session);
    await session.dispose();
  });

  it('trajectory edit steps keep their origin and commits say who wrote their added lines', async () => {
    const out = join(tmp(), 'out');
    await exportStore({ store: store(), out, format: 'trajectories', version: 'test' });
    const dir = join(out, 'data', 'trajectories');
    const [file] = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
    const row = JSON.parse((await readFile(join(dir, file!), 'utf8')).split('\n')[0]!);
    const edits = row.steps.filter((s: { kind: string }) => s.kind === 'edit');
    assert.ok(edits.length > 0);
    for (const s of edits) assert.equal(s.origin, 'typing');
    for (const s of row.steps.filter((s: { kind: string }) => s.kind !== 'edit')) assert.equal(s.origin, null);
    assert.deepEqual(row.commits[0].authored, recordedMix());
  });

  it('SWE-bench rows give who wrote the added lines and the typed share, in a key the harness does not read; the card pins it', async () => {
    const out = join(tmp(), 'swebench');
    await exportStore({ store: store(), out, format: 'swebench', version: 'test' });
    const row = await firstRow(out, 'swebench');
    const mix = recordedMix();
    assert.deepEqual(JSON.parse(row.authorship), { ...mix, typed_share: Math.round((10_000 * mix.typed) / mix.added) / 10_000 });
    const card = await readFile(join(out, 'README.md'), 'utf8');
    const meta = parseYaml(card.split('---\n')[1]!);
    assert.deepEqual(
      meta.dataset_info[0].features.find((f: { name: string }) => f.name === 'authorship'),
      { name: 'authorship', dtype: 'string' },
    );
  });

  it("the dataset card gives the share of each author over the exported tasks' added lines, in every format", async () => {
    const mix = recordedMix();
    const pct = (n: number) => `${((100 * n) / mix.added).toFixed(1)}%`;
    for (const format of ['raw', 'trajectories'] as const) {
      const out = join(tmp(), `card-${format}`);
      await exportStore({ store: store(), out, format, version: 'test' });
      const card = await readFile(join(out, 'README.md'), 'utf8');
      assert.ok(card.includes(`Of the ${mix.added} line(s) the exported tasks' commits added`), format);
      assert.ok(card.includes(`typed by the engineer ${mix.typed} (${pct(mix.typed)})`), format);
      assert.ok(card.includes(`written on disk by a tool or another process ${mix.tool} (${pct(mix.tool)})`), format);
      assert.ok(card.includes(`pasted 0 (0.0%)`), format);
    }
  });

  it("a merge's card sums who wrote the lines over its distinct tasks, from the rows (a task exported twice counted once)", async () => {
    const other = join(tmp(), 'other');
    const session = captureSession(other);
    await recordRangeTask(session);
    await recordRangeTask(session);
    await session.dispose();
    const mix = recordedMix();
    const added = 3 * mix.added;
    const pct = (n: number) => `${((100 * n) / added).toFixed(1)}%`;
    for (const format of ['raw', 'trajectories', 'swebench'] as const) {
      const inputs = [join(tmp(), `${format}-a`), join(tmp(), `${format}-a-again`), join(tmp(), `${format}-b`)];
      await exportStore({ store: store(), out: inputs[0]!, format, version: 'test' });
      await exportStore({ store: store(), out: inputs[1]!, format, version: 'test' });
      await exportStore({ store: other, out: inputs[2]!, format, version: 'test' });
      const merged = join(tmp(), `${format}-merged`);
      await mergeExports({ out: merged, inputs, version: 'test' });
      const card = await readFile(join(merged, 'README.md'), 'utf8');
      assert.ok(card.includes(`Of the ${added} line(s) the exported tasks' commits added`), `${format}: ${card}`);
      assert.ok(card.includes(`typed by the engineer ${3 * mix.typed} (${pct(3 * mix.typed)})`), format);
      assert.ok(card.includes(`written on disk by a tool or another process ${3 * mix.tool} (${pct(3 * mix.tool)})`), format);
    }
  });

  it('--max-generated leaves out tasks above the generated share', async () => {
    const low = await exportStore({ store: store(), out: join(tmp(), 'low'), format: 'trajectories', version: 'test', maxGenerated: 0.2 });
    assert.equal(low.tasks, 0);
    assert.equal(low.skippedGenerated, 1);
    const high = await exportStore({ store: store(), out: join(tmp(), 'high'), format: 'trajectories', version: 'test', maxGenerated: 0.5 });
    assert.equal(high.tasks, 1);
    assert.equal(high.skippedGenerated, 0);
  });
});
