// The command line as a whole against random hostile stores and exports: every command ends with
// a code from the table, never prints a stack trace, and never writes outside --out (a sentinel
// folder next to the store stays byte for byte as it was).
import { strict as assert } from 'node:assert';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { codetrail } from '../helpers/cli';
import { editRecord, REPO, SESSION } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const entry = fc.record({
  name: fc.oneof(
    fc.constantFrom(`${SESSION}-0000.jsonl`, `${SESSION}-0001.jsonl.gz`, 'rewrite.journal.json', 'x.writer', `${SESSION}-0002.jsonl.rewrite.tmp`),
    fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..'),
  ),
  content: fc.oneof(
    fc.constant(JSON.stringify(editRecord('a.ts', 'x')) + '\n'),
    fc.constant(JSON.stringify({ v: 1, entries: [{ path: '../../../sentinel/keep.txt', temp: null }] })),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  ),
  gzip: fc.boolean(),
  link: fc.boolean(),
});

async function snapshot(dir: string): Promise<string> {
  const names = (await readdir(dir)).sort();
  return JSON.stringify(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')])));
}

describe('CLI fuzz: hostile stores and exports across every command', function () {
  this.timeout(240_000);
  const tmp = useTempDir();

  it('never a stack trace, always an exit code of the table, never a byte outside --out', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.boolean(), async (entries, atRoot) => {
        const base = join(tmp(), `run-${Math.random().toString(36).slice(2)}`);
        const sentinel = join(base, 'sentinel');
        await mkdir(sentinel, { recursive: true });
        await writeFile(join(sentinel, 'keep.txt'), 'precious');
        const store = join(base, 'store');
        const dir = atRoot ? store : join(store, 'repos', REPO);
        await mkdir(join(store, 'repos', REPO), { recursive: true });
        for (const e of entries) {
          const path = join(dir, e.name);
          if (e.link) await symlink(join(sentinel, 'keep.txt'), path).catch(() => undefined);
          else await writeFile(path, e.gzip ? gzipSync(e.content) : e.content).catch(() => undefined);
        }
        const before = await snapshot(sentinel);
        const runs = [
          ['stats', '--store', store],
          ['tasks', '--store', store, '--json'],
          ['verify', '--store', store],
          ['export', '--store', store, '--format', 'raw', '--out', join(base, 'out'), '--include', 'unapproved'],
          ['audit', '--store', store, '--json'],
          ['merge', join(base, 'merged'), store],
        ];
        for (const args of runs) {
          const { code, stderr } = await codetrail(args);
          assert.ok([0, 1, 2, 3].includes(code), `${args[0]} exited ${code}: ${stderr}`);
          assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, `${args[0]} printed a stack trace: ${stderr}`);
        }
        assert.equal(await snapshot(sentinel), before);
        const written = (await readdir(base)).sort();
        for (const name of written) assert.ok(['sentinel', 'store', 'out', 'merged'].includes(name), `wrote ${name} outside --out`);
      }),
      { numRuns: 6 },
    );
  });
});
