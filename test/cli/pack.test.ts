// Installed like a real tool: `npm pack` ships only what runs (the .npmignore allow-list; .vscodeignore is the .vsix's), and the
// packed tarball installed into a scratch folder gives a working `codetrail` command.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { useTempDir } from '../helpers/tmp';

const run = promisify(execFile);
const root = join(__dirname, '../../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack and install', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  it('packs only dist (without source maps), the schema and the docs; the installed tarball runs `codetrail --help`', async () => {
    const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', tmp()], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const [pack] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const paths = pack!.files.map((f) => f.path);
    assert.ok(paths.includes('dist/cli.js') && paths.includes('package.json'), paths.join(', '));
    for (const p of paths) assert.match(p, /^(dist\/|schema\/|package\.json$|README\.md$|LICENSE$|SECURITY\.md$)/, p);
    assert.ok(!paths.some((p) => p.endsWith('.map')), 'no source maps');

    const app = join(tmp(), 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(tmp(), pack!.filename)], {
      cwd: app,
      maxBuffer: 16 * 1024 * 1024,
    });
    assert.ok((await readdir(join(app, 'node_modules', '.bin'))).includes('codetrail'));
    const help = await run(join(app, 'node_modules', '.bin', 'codetrail'), ['--help'], { cwd: app });
    assert.match(help.stdout, /Usage: codetrail/);
    assert.match(help.stdout, /where|tasks/);
    // DuckDB (`merge --engine duckdb`) comes along as an optional dependency, loadable from the installed command.
    assert.ok((await readdir(join(app, 'node_modules', '@duckdb'))).includes('node-api'));
    const loaded = await run(process.execPath, ['-e', "require('@duckdb/node-api'); console.log('loaded')"], {
      cwd: join(app, 'node_modules', 'codetrail', 'dist'),
    });
    assert.equal(loaded.stdout.trim(), 'loaded');
  });
});
