// `codetrail audit` reads every file of a store or export, whatever its name, and reports per file.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoDir } from '../../src/core/store/layout';
import { SegmentWriter } from '../../src/core/store/segmentWriter';
import { codetrail } from '../helpers/cli';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

// Built at run time so this file holds no token-shaped text itself.
const TOKEN = ['ghp', '_', 'R8x2LmQ9vT4kW7pZ3nB6yH1cJ5dF0sAeGu2i'].join('');

describe('codetrail audit: every file, every format, one report per file', function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  function assertNoSecretPrinted(out: { stdout: string; stderr: string }): void {
    assert.ok(!out.stdout.includes(TOKEN) && !out.stderr.includes(TOKEN), 'the secret itself is never printed');
  }

  it('finds a token in a ProgSnap2 CodeStates source file (config.js), exit 1', async () => {
    const exp = join(tmp(), 'progsnap');
    await mkdir(join(exp, 'CodeStates', '0123456789abcdef'), { recursive: true });
    await writeFile(join(exp, 'MainTable.csv'), 'EventType,EventID\nFile.Edit,1\n');
    await writeFile(join(exp, 'CodeStates', '0123456789abcdef', 'config.js'), `module.exports = {\n  token: '${TOKEN}',\n};\n`);
    const out = await codetrail(['audit', '--store', exp, '--json']);
    assert.equal(out.code, 1, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.deepEqual(
      report.findings.map((f: { file: string; line: number }) => [f.file, f.line]),
      [['CodeStates/0123456789abcdef/config.js', 2]],
    );
    assertNoSecretPrinted(out);
  });

  it('reads Parquet shards (no JSONL beside them) and finds the token in a row', async () => {
    const store = join(tmp(), 'store');
    const writer = new SegmentWriter({ dir: repoDir(store, REPO), sessionId: SESSION });
    writer.append(JSON.stringify(editRecord('a.ts', `const key = "${TOKEN}";`, { task: '01J00000000000000000000000' })));
    await writer.flush();
    await writer.discard();
    const exp = join(tmp(), 'exp');
    const exported = await codetrail(['export', '--store', store, '--format', 'raw', '--out', exp, '--parquet', '--include', 'unapproved']);
    assert.equal(exported.code, 0, exported.stderr);
    const data = join(exp, 'data', 'raw');
    for (const name of await readdir(data)) if (name.endsWith('.jsonl')) await rm(join(data, name));
    await rm(join(exp, 'manifest.json'));
    const out = await codetrail(['audit', '--store', exp, '--json']);
    assert.equal(out.code, 1, out.stderr);
    const report = JSON.parse(out.stdout);
    const parquet = report.files.find((f: { format: string }) => f.format === 'parquet');
    assert.ok(parquet, JSON.stringify(report.files));
    assert.equal(parquet.findingCount, 1);
    assertNoSecretPrinted(out);
  });

  it('a gzip file is read by its content, whatever its name', async () => {
    const dir = join(tmp(), 'x');
    await mkdir(dir);
    await writeFile(join(dir, 'blob.bin'), gzipSync(`line one\nsecret ${TOKEN}\n`));
    const out = await codetrail(['audit', '--store', dir, '--json']);
    assert.equal(out.code, 1);
    assert.deepEqual(
      JSON.parse(out.stdout).findings.map((f: { file: string; line: number }) => [f.file, f.line]),
      [['blob.bin', 2]],
    );
  });

  it('a gzip file with bytes after its compressed data: what it holds is read (the secret found), and the damage named', async () => {
    const dir = join(tmp(), 'y');
    await mkdir(dir);
    await writeFile(join(dir, 'seg.jsonl.gz'), Buffer.concat([gzipSync(`line one\nsecret ${TOKEN}\n`), Buffer.from('appended\n')]));
    const out = await codetrail(['audit', '--store', dir, '--json']);
    assert.equal(out.code, 1, out.stderr);
    const report = JSON.parse(out.stdout) as { findings: { file: string; line: number }[]; files: { file: string; status: string; problem?: string }[] };
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.line]),
      [['seg.jsonl.gz', 2]],
    );
    assert.deepEqual(
      report.files.map((f) => [f.file, f.status, f.problem]),
      [['seg.jsonl.gz', 'unreadable', 'corrupt compressed data']],
    );
    assertNoSecretPrinted(out);
  });

  it('a dangling .gz link and a corrupt .gz are named, and every other file is still read (findings win: exit 1)', async () => {
    const dir = join(tmp(), 'store');
    await mkdir(dir);
    await symlink(join(tmp(), 'gone.jsonl.gz'), join(dir, 'a-dangling.jsonl.gz'));
    await writeFile(join(dir, 'b-corrupt.jsonl.gz'), Buffer.concat([gzipSync('{"a":1}\n'.repeat(100)).subarray(0, 20), Buffer.from('garbage')]));
    await writeFile(join(dir, 'c-secret.jsonl'), JSON.stringify({ text: TOKEN }) + '\n');
    const out = await codetrail(['audit', '--store', dir]);
    assert.equal(out.code, 1, out.stderr);
    assert.match(out.stdout, /^c-secret\.jsonl:1: github/m);
    assert.match(out.stderr, /a-dangling\.jsonl\.gz: a symbolic link: not followed/);
    assert.match(out.stderr, /b-corrupt\.jsonl\.gz: .*(corrupt|truncated)/);
    assert.doesNotMatch(out.stderr, /at .*\.js:\d+|Z_DATA_ERROR|zlib/);
    assertNoSecretPrinted(out);
  });

  it("reads a git pack's objects (ProgSnap2's Git code states): a token in a committed file, named by object and line; a pack git refuses is unreadable", async () => {
    const repo = join(tmp(), 'repo');
    await mkdir(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    await writeFile(join(repo, 'config.js'), `module.exports = {\n  token: '${TOKEN}',\n};\n`);
    await writeFile(join(repo, 'other.js'), 'const clean = 1;\n'.repeat(50));
    git('add', '.');
    git('commit', '-qm', 'first');
    await writeFile(join(repo, 'other.js'), 'const clean = 1;\n'.repeat(50) + 'const more = 2;\n');
    git('commit', '-qam', 'second');
    git('repack', '-adq');
    const packs = join(repo, '.git', 'objects', 'pack');
    const pack = (await readdir(packs)).find((n) => n.endsWith('.pack'))!;
    const exp = join(tmp(), 'progsnap2');
    await mkdir(join(exp, 'CodeStates.git'), { recursive: true });
    await copyFile(join(packs, pack), join(exp, 'CodeStates.git', 'states.pack'));
    // Its index: ids and offsets, which read as text could pass for anything; it holds no content.
    await copyFile(join(packs, pack.replace(/\.pack$/, '.idx')), join(exp, 'CodeStates.git', 'states.idx'));
    const out = await codetrail(['audit', '--store', exp, '--json']);
    assert.equal(out.code, 1, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.deepEqual(
      report.findings.map((f: { file: string; line: number }) => [f.file, f.line]),
      [[`CodeStates.git/states.pack (object ${git('rev-parse', 'HEAD:config.js')})`, 2]],
    );
    assert.deepEqual(
      report.files.map((f: { file: string; format: string }) => [f.file, f.format]),
      [
        ['CodeStates.git/states.idx', 'git-pack-index'],
        ['CodeStates.git/states.pack', 'git-pack'],
      ],
    );
    assertNoSecretPrinted(out);

    await writeFile(
      join(exp, 'CodeStates.git', 'states.pack'),
      Buffer.concat([Buffer.from('PACK'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 9]), Buffer.from('not objects')]),
    );
    const refused = await codetrail(['audit', '--store', exp, '--json']);
    assert.equal(refused.code, 3, refused.stderr);
    const unreadable = JSON.parse(refused.stdout).files.find((f: { file: string }) => f.file === 'CodeStates.git/states.pack');
    assert.equal(unreadable.status, 'unreadable');
    assert.match(unreadable.problem, /not a git pack git can read/);
  });

  it("reads git's loose objects (one zlib stream each): a token in a blob, a tree's names without its binary ids; text that only starts like zlib stays text", async () => {
    const repo = join(tmp(), 'repo');
    await mkdir(repo);
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    await writeFile(join(repo, 'config.js'), `module.exports = {\n  token: '${TOKEN}',\n};\n`);
    git('add', '.');
    const blob = git('rev-parse', ':config.js');
    const tree = git('write-tree');
    const loose = (oid: string) => join(repo, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
    const exp = join(tmp(), 'export');
    await mkdir(join(exp, 'objects'), { recursive: true });
    await copyFile(loose(blob), join(exp, 'objects', 'blob'));
    await copyFile(loose(tree), join(exp, 'objects', 'tree'));
    // "x^" is how a zlib stream can start; this is text all the same.
    await writeFile(join(exp, 'notes.txt'), `x^ notes\nsee ${TOKEN}\n`);
    // A stream cut short: named as unreadable, the rest still read.
    const whole = await readFile(loose(blob));
    await writeFile(join(exp, 'objects', 'cut'), whole.subarray(0, whole.length >> 1));
    const out = await codetrail(['audit', '--store', exp, '--json']);
    assert.equal(out.code, 1, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.deepEqual(
      report.findings.map((f: { file: string; line: number }) => [f.file, f.line]),
      [
        ['notes.txt', 2],
        ['objects/blob', 2],
      ],
    );
    assert.deepEqual(
      report.files.map((f: { file: string; format: string; status: string }) => [f.file, f.format, f.status]),
      [
        ['notes.txt', 'text', 'findings'],
        ['objects/blob', 'zlib', 'findings'],
        ['objects/cut', 'zlib', 'unreadable'],
        ['objects/tree', 'zlib', 'clean'],
      ],
    );
    // The blob's three lines without git's header; the tree's one name.
    const lines = Object.fromEntries(report.files.map((f: { file: string; lineCount: number }) => [f.file, f.lineCount]));
    assert.equal(lines['objects/blob'], 3);
    assert.equal(lines['objects/tree'], 1);
    assertNoSecretPrinted(out);
  });

  it('an unreadable file and nothing found: exit 3 (not 1, not 0), with the file named', async () => {
    const dir = join(tmp(), 'store');
    await mkdir(dir);
    await writeFile(join(dir, 'corrupt.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    await writeFile(join(dir, 'clean.jsonl'), '{"text":"hello"}\n');
    const out = await codetrail(['audit', '--store', dir, '--json']);
    assert.equal(out.code, 3, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.deepEqual(
      report.files.map((f: { file: string; status: string }) => [f.file, f.status]),
      [
        ['clean.jsonl', 'clean'],
        ['corrupt.gz', 'unreadable'],
      ],
    );
    assert.equal(report.unreadableCount, 1);
  });
});
