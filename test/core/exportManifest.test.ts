// An export's manifest accounts for every file of its folder: a manifest re-sealed without a file
// (`files: []`, a shard left out, a file added beside the listed ones) is refused by merge and by
// validate, naming the file; every format's own export passes the same check.
import { strict as assert } from 'node:assert';
import { cp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodetrailError } from '../../src/core/base/errors';
import { EXPORT_FORMATS, exportStore } from '../../src/core/export/exporter';
import { FORMATS } from '../../src/core/export/formats';
import { checkManifest, MANIFEST, sealOf, sealProblem, type Manifest } from '../../src/core/export/manifest';
import { mergeExports } from '../../src/core/export/merge';
import { writeParquetShards } from '../../src/core/export/parquetShards';
import { validateExport } from '../../src/core/export/swebenchValidate';
import { captureSession, recordRangeTask } from '../helpers/taskStore';
import { useTempDir } from '../helpers/tmp';

const readManifest = async (dir: string) => JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('an export manifest covers every file of its folder', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  let store: string;

  beforeEach(async () => {
    store = join(tmp(), 'store');
    const session = captureSession(store);
    await recordRangeTask(session);
    await recordRangeTask(session);
    await session.dispose();
  });

  it('every format, Parquet shards included, passes the check of its own manifest, and so does a merge', async () => {
    for (const format of EXPORT_FORMATS) {
      const out = join(tmp(), `export-${format}`);
      const parquet = FORMATS[format].schema ? { parquet: (_c: string, files: string[]) => writeParquetShards(format, files) } : {};
      await exportStore({ store, out, format, version: 'test', rowsPerShard: 1, ...parquet });
      const manifest = await readManifest(out);
      assert.ok(manifest.files.length >= 3, `${format}: data files and the card are listed`);
      assert.equal(await checkManifest(out, manifest), undefined, format);
      if (FORMATS[format].mergeKey === null) continue;
      const merged = join(tmp(), `merged-${format}`);
      await mergeExports({ out: merged, inputs: [out], version: 'test', rowsPerShard: 1, parquet: (_c, files) => writeParquetShards(format, files) });
      assert.equal(await checkManifest(merged, await readManifest(merged)), undefined, `${format}, merged`);
    }
  });

  describe('a forged swebench export is refused by merge and by validate, naming the file', () => {
    let out: string;
    let manifest: Manifest;
    let shards: string[];

    beforeEach(async () => {
      out = join(tmp(), 'export');
      await exportStore({ store, out, format: 'swebench', version: 'test', rowsPerShard: 1 });
      manifest = await readManifest(out);
      shards = manifest.configs[0]!.files;
      assert.equal(shards.length, 2, 'one shard per task');
      assert.equal(await checkManifest(out, manifest), undefined);
    });

    /** Rewrites the manifest and seals it again, as a sender who knows the format would. */
    const reseal = async (change: (m: Manifest) => void) => {
      change(manifest);
      manifest.seal = sealOf(manifest);
      await writeFile(join(out, MANIFEST), JSON.stringify(manifest, null, 2));
      assert.equal(sealProblem(manifest), undefined);
    };
    const refusedByBoth = async (pattern: RegExp) => {
      const refusal = (err: unknown) => {
        assert.ok(err instanceof CodetrailError && err.code === 'bad-input', String(err));
        assert.ok(err.message.includes(out), `names the export: ${err.message}`);
        assert.match(err.message, pattern);
        return true;
      };
      const merged = join(tmp(), 'merged');
      await assert.rejects(mergeExports({ out: merged, inputs: [out], version: 'test' }), refusal);
      assert.deepEqual(await readdir(merged).catch(() => []), [], 'merge wrote nothing');
      const before = await readFile(join(out, MANIFEST), 'utf8');
      // Refused before the repository is looked at: none is given.
      await assert.rejects(validateExport(out, join(tmp(), 'no-repository'), 'test'), refusal);
      assert.equal(await readFile(join(out, MANIFEST), 'utf8'), before, 'validate rewrote nothing');
    };

    it('re-sealed with `files: []`', async () => {
      await reseal((m) => (m.files = []));
      await refusedByBoth(new RegExp(`${escape(join(out, shards[0]!))} is named by config swebench but has no checksum`));
    });

    it('re-sealed without the checksum of one shard its config still names', async () => {
      await reseal((m) => (m.files = m.files.filter((f) => f.path !== shards[1])));
      await refusedByBoth(new RegExp(`${escape(join(out, shards[1]!))} is named by config swebench but has no checksum`));
    });

    it('re-sealed without one shard at all, in the files or the configs', async () => {
      await reseal((m) => {
        m.files = m.files.filter((f) => f.path !== shards[1]);
        m.configs[0]!.files = [shards[0]!];
      });
      await refusedByBoth(new RegExp(`${escape(join(out, shards[1]!))} is not listed in ${escape(join(out, MANIFEST))}`));
    });

    it('a file added beside the listed ones, the manifest untouched', async () => {
      await writeFile(join(out, 'data', 'swebench', 'extra.jsonl'), '{}\n');
      await refusedByBoth(new RegExp(`${escape(join(out, 'data', 'swebench', 'extra.jsonl'))} is not listed`));
    });

    it('the dataset card left out of a re-sealed manifest', async () => {
      await reseal((m) => (m.files = m.files.filter((f) => f.path !== 'README.md')));
      await refusedByBoth(new RegExp(`${escape(join(out, 'README.md'))} is not listed`));
    });

    it('a listed file removed, or moved under another name', async () => {
      await rename(join(out, 'README.md'), join(out, 'README.txt'));
      await refusedByBoth(new RegExp(`${escape(join(out, 'README.txt'))} is not listed`));
      await rm(join(out, 'README.txt'));
      await refusedByBoth(new RegExp(`${escape(join(out, 'README.md'))} is missing`));
    });

    it('a folder replaced by a symbolic link to a copy of it outside the export', async () => {
      const outside = join(tmp(), 'outside-data');
      await cp(join(out, 'data'), outside, { recursive: true });
      await rm(join(out, 'data'), { recursive: true });
      await symlink(outside, join(out, 'data'));
      await refusedByBoth(new RegExp(`${escape(join(out, 'data'))} is a symbolic link`));
    });

    it('files a desktop leaves in folders it shows are not the export: merged past, never copied; a link by such a name is still refused', async () => {
      await writeFile(join(out, '.DS_Store'), 'Bud1');
      await writeFile(join(out, 'data', 'swebench', 'Thumbs.db'), 'x');
      await writeFile(join(out, 'data', 'desktop.ini'), '[.ShellClassInfo]');
      assert.equal(await checkManifest(out, manifest), undefined);
      const merged = join(tmp(), 'merged-browsed');
      await mergeExports({ out: merged, inputs: [out], version: 'test' });
      const copied = (await readManifest(merged)).files.map((f) => f.path);
      assert.deepEqual(
        copied.filter((p) => /DS_Store|Thumbs|desktop\.ini/.test(p)),
        [],
      );
      assert.ok(
        copied.some((p) => p.endsWith('.jsonl')),
        'the rows were merged',
      );
      await rm(join(out, '.DS_Store'));
      await symlink(join(tmp(), 'elsewhere'), join(out, '.DS_Store'));
      await refusedByBoth(new RegExp(`${escape(join(out, '.DS_Store'))} is a symbolic link`));
    });

    it('a shard listed twice', async () => {
      await reseal((m) => m.files.push({ ...m.files.find((f) => f.path === shards[0])! }));
      await refusedByBoth(new RegExp(`lists ${escape(shards[0]!)} twice`));
    });
  });
});
