// Merge trusts nothing a manifest says that it cannot check: a manifest edited to approve a task
// or to mark it `exact` is refused, by the task's name, and nothing is written. Edited by hand it
// fails its seal; edited with the seal recomputed, the data contradicts it (a raw export's records
// are replayed, other formats' rows carry the replay status).
// Every case runs with both engines: DuckDB only de-duplicates, after the same checks.
import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodetrailError } from '../../src/core/base/errors';
import { exportStore, type ExportFormat, type ExportOptions } from '../../src/core/export/exporter';
import { MANIFEST, sealOf, sealProblem, writeManifest, type Manifest } from '../../src/core/export/manifest';
import { mergeExports as merge, type MergeOptions } from '../../src/core/export/merge';
import { codetrail } from '../helpers/cli';
import { captureSession, recordRangeTask, REPO_ID, SimDoc } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

for (const engine of ['builtin', 'duckdb'] as const)
  describe(`merge: tamper-evident provenance (${engine} engine)`, function () {
    this.timeout(60_000);
    const tmp = useTempDir();
    const mergeExports = async (opts: MergeOptions) => {
      const summary = await merge({ ...opts, engine });
      assert.equal(summary.engine, engine);
      return summary;
    };
    let store: string;
    let exact: string;
    let unapproved: string;
    let uncommitted: string;

    beforeEach(async () => {
      store = join(tmp(), 'store');
      const session = captureSession(store);
      exact = await recordRangeTask(session);
      unapproved = await recordRangeTask(session, { approve: false });
      // Approved, but never committed: its replay status is no-commits, not exact.
      uncommitted = session.startTask([REPO_ID], { title: 'Rename a variable', description: '', auto: false, branch: 'main' });
      const doc = new SimDoc(session, 'src/a.js', 'let x = 1;\n');
      doc.type(4, 'count', 1);
      doc.save();
      session.endTask([REPO_ID], { outcome: 'partial', note: '' });
      session.resumeTask(uncommitted);
      session.record(REPO_ID, 'task.review', { approved: true }, 'user');
      session.resumeTask(null);
      await session.flush();
      await session.dispose();
    });

    const exportOf = async (format: ExportFormat, name: string = format, extra: Partial<ExportOptions> = {}) => {
      const out = join(tmp(), `export-${name}`);
      await exportStore({ store, out, format, version: 'test', includeUnapproved: true, ...extra });
      return out;
    };
    const readManifest = async (dir: string) => JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
    /** Rewrites a task's provenance in the manifest; `reseal`: recompute the seal too, as a careful forger would. */
    const forge = async (dir: string, task: string, change: Partial<Manifest['tasks'][number]>, reseal: boolean) => {
      const m = await readManifest(dir);
      Object.assign(
        m.tasks.find((t) => t.task_id === task)!,
        change,
      );
      if (reseal) m.seal = sealOf(m);
      await writeFile(join(dir, MANIFEST), JSON.stringify(m, null, 2));
    };
    const refused = (task: string, pattern: RegExp) => (err: unknown) => {
      assert.ok(err instanceof CodetrailError && err.code === 'bad-input', String(err));
      assert.ok(err.message.includes(task), `names the task: ${err.message}`);
      assert.match(err.message, pattern);
      return true;
    };
    const nothingWritten = async (out: string) => assert.deepEqual(await readdir(out).catch(() => []), []);

    it('the facts the export starts from: one task unapproved, one not exact', async () => {
      const m = await readManifest(await exportOf('raw'));
      const byId = new Map(m.tasks.map((t) => [t.task_id, t]));
      assert.deepEqual([byId.get(exact)?.approved, byId.get(exact)?.replay_status], [true, 'exact']);
      assert.equal(byId.get(unapproved)?.approved, false);
      assert.deepEqual([byId.get(uncommitted)?.approved, byId.get(uncommitted)?.replay_status], [true, 'no-commits']);
      assert.equal(sealProblem(m), undefined);
    });

    it('untouched exports merge; the merged manifest is sealed and merges again', async () => {
      const a = await exportOf('raw', 'a');
      const b = await exportOf('raw', 'b');
      const out = join(tmp(), 'merged');
      const summary = await mergeExports({ out, inputs: [a, b], version: 'test', partitionBytes: 2048 });
      assert.equal(summary.tasks, 3);
      const merged = await readManifest(out);
      assert.equal(sealProblem(merged), undefined);
      assert.deepEqual(
        merged.tasks.map((t) => [t.task_id, t.approved, t.replay_status]).sort(),
        [
          [exact, true, 'exact'],
          [unapproved, false, 'exact'],
          [uncommitted, true, 'no-commits'],
        ].sort(),
      );
      // Rows of a merged export interleave tasks: they are still regrouped and replayed.
      await mergeExports({ out: join(tmp(), 'again'), inputs: [out], version: 'test', partitionBytes: 2048 });
      const trl = await exportOf('trl');
      await mergeExports({ out: join(tmp(), 'merged-trl'), inputs: [trl], version: 'test' });
    });

    it("a manifest edited to approve a task is refused by the task's name, and nothing is written", async () => {
      for (const format of ['raw', 'trl'] as const) {
        const dir = await exportOf(format);
        await forge(dir, unapproved, { approved: true }, false);
        const out = join(tmp(), `out-${format}`);
        await assert.rejects(mergeExports({ out, inputs: [dir], version: 'test' }), refused(unapproved, /provenance of task .* was changed after export/));
        await nothingWritten(out);
      }
    });

    it('a forged approval with a recomputed seal is refused when the data is there to replay (raw)', async () => {
      const dir = await exportOf('raw');
      await forge(dir, unapproved, { approved: true }, true);
      const out = join(tmp(), 'out');
      await assert.rejects(mergeExports({ out, inputs: [dir], version: 'test' }), refused(unapproved, /has approved true, but its records give false/));
      await nothingWritten(out);
    });

    it('a manifest edited to mark a task exact is refused: by its seal, and with a recomputed seal by its records or its rows', async () => {
      for (const format of ['raw', 'trl', 'trajectories'] as const) {
        const naive = await exportOf(format, `${format}-naive`);
        await forge(naive, uncommitted, { replay_status: 'exact' }, false);
        await assert.rejects(
          mergeExports({ out: join(tmp(), `naive-${format}`), inputs: [naive], version: 'test' }),
          refused(uncommitted, /changed after export/),
        );
        const careful = await exportOf(format, `${format}-careful`);
        await forge(careful, uncommitted, { replay_status: 'exact' }, true);
        const out = join(tmp(), `careful-${format}`);
        await assert.rejects(
          mergeExports({ out, inputs: [careful], version: 'test' }),
          refused(uncommitted, /has replay_status "exact", but its (records give|rows say) "no-commits"/),
        );
        await nothingWritten(out);
      }
    });

    it("a forged policy hash is refused from a raw export's records; a removed seal or an edited file list by the seal", async () => {
      const dir = await exportOf('raw');
      await forge(dir, exact, { policy_hash: '0'.repeat(64) }, true);
      await assert.rejects(
        mergeExports({ out: join(tmp(), 'o1'), inputs: [dir], version: 'test' }),
        refused(exact, /has policy_hash "0{64}", but its records give "f{64}"/),
      );

      const unsealed = await exportOf('raw', 'unsealed');
      const m = await readManifest(unsealed);
      await writeFile(join(unsealed, MANIFEST), JSON.stringify({ ...m, seal: undefined }));
      await assert.rejects(mergeExports({ out: join(tmp(), 'o2'), inputs: [unsealed], version: 'test' }), /has no seal/);

      const counted = await exportOf('raw', 'counted');
      const c = await readManifest(counted);
      await writeFile(join(counted, MANIFEST), JSON.stringify({ ...c, counts: { ...c.counts, events: c.counts.events * 10 } }));
      await assert.rejects(mergeExports({ out: join(tmp(), 'o3'), inputs: [counted], version: 'test' }), /changed after export \(counts/);
    });

    it('codetrail merge: a forged manifest exits 3 (unusable input), names the task, writes nothing', async () => {
      const dir = await exportOf('trl');
      await forge(dir, unapproved, { approved: true }, false);
      const out = join(tmp(), 'cli-out');
      const { code, stdout, stderr } = await codetrail(['merge', out, dir, '--engine', engine]);
      assert.equal(code, 3, stderr);
      assert.match(stderr, new RegExp(`refusing .*${unapproved}`));
      assert.equal(stdout, '');
      await nothingWritten(out);
    });

    it("the merged manifest carries each input's excluded tasks and validation, with which input they came from", async () => {
      // Input 0 as `codetrail validate` leaves it: its manifest records the validation, resealed.
      const validated = await exportOf('swebench', 'validated');
      const v = await readManifest(validated);
      const validation = { harness: { version: '5.0.2', commit: 'c'.repeat(40) }, at: '2026-01-02T03:04:05.000Z', valid: 2, invalid: 0 };
      const { tool: _tool, schema_version: _schema, files: _files, seal: _seal, ...rest } = v;
      await writeManifest(validated, { ...rest, validation }, 'test');
      const plain = await exportOf('swebench', 'plain', { includeUnapproved: false });
      const inputs = [validated, plain];
      const before = await Promise.all(inputs.map(readManifest));
      // The partial task makes no SWE-bench row in either input.
      for (const m of before)
        assert.deepEqual(
          m.excluded?.map((x) => x.task_id),
          [uncommitted],
        );

      const out = join(tmp(), 'merged-swebench');
      await mergeExports({ out, inputs, version: 'test' });
      const merged = await readManifest(out);
      assert.equal(sealProblem(merged), undefined);
      assert.deepEqual(
        merged.excluded,
        before.flatMap((m, input) => m.excluded!.map((x) => ({ ...x, input }))),
      );
      assert.match(merged.excluded![0]!.reason, /outcome is partial/);
      assert.deepEqual(
        merged.inputs?.map((i) => [i.manifest_seal, i.validation, i.options?.include_unapproved]),
        [
          [before[0]!.seal.manifest, validation, true],
          [before[1]!.seal.manifest, undefined, false],
        ],
      );
      assert.equal(merged.validation, undefined, 'the merged export as a whole is not validated');
    });

    it('inputs exported with different --trl-arguments are refused, by their manifests or by their rows; nothing is written', async () => {
      const objects = await exportOf('trl', 'objects', { formatOptions: { trlArguments: 'object' } });
      const strings = await exportOf('trl', 'strings', { formatOptions: { trlArguments: 'string' } });
      assert.deepEqual([(await readManifest(objects)).options?.trl_arguments, (await readManifest(strings)).options?.trl_arguments], ['object', 'string']);
      const out = join(tmp(), 'mixed');
      await assert.rejects(
        mergeExports({ out, inputs: [objects, strings], version: 'test' }),
        /refusing .*export-strings: it was exported with --trl-arguments string, .*export-objects with --trl-arguments object/,
      );
      await nothingWritten(out);

      // An export whose manifest does not say (written before options were recorded): its rows do.
      const m = await readManifest(strings);
      delete m.options;
      m.seal = sealOf(m);
      await writeFile(join(strings, MANIFEST), JSON.stringify(m, null, 2));
      await assert.rejects(
        mergeExports({ out, inputs: [objects, strings], version: 'test' }),
        /refusing .*export-strings: it was exported with --trl-arguments string/,
      );
      await nothingWritten(out);

      // A manifest that claims objects over rows of strings is refused by the rows.
      m.options = { trl_arguments: 'object' };
      m.seal = sealOf(m);
      await writeFile(join(strings, MANIFEST), JSON.stringify(m, null, 2));
      await assert.rejects(
        mergeExports({ out, inputs: [strings], version: 'test' }),
        /says it was exported with --trl-arguments object, but its rows hold arguments as JSON strings/,
      );
      await nothingWritten(out);

      // The same form merges, and the merged manifest says which.
      const more = await exportOf('trl', 'more-objects', { formatOptions: { trlArguments: 'object' } });
      await mergeExports({ out, inputs: [objects, more], version: 'test' });
      assert.equal((await readManifest(out)).options?.trl_arguments, 'object');
    });

    it('codetrail merge: inputs chosen by different --max-generated shares exit 3 and name the option', async () => {
      const all = await exportOf('raw', 'all');
      const mostlyTyped = await exportOf('raw', 'mostly-typed', { maxGenerated: 0.2 });
      const out = join(tmp(), 'cli-mixed');
      const { code, stdout, stderr } = await codetrail(['merge', out, all, mostlyTyped, '--engine', engine]);
      assert.equal(code, 3, stderr);
      assert.match(stderr, /export-mostly-typed: it was exported with --max-generated 0\.2, .*export-all without --max-generated/);
      assert.equal(stdout, '');
      await nothingWritten(out);
    });
  });
