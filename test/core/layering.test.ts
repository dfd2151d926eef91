import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = join(__dirname, '../../..');
const src = join(root, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file names: `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

/** The layer of a file under src: its first folder, or 'root' for src/*.ts (the composition root, main, extension). */
function layer(file: string): string {
  const parts = relative(src, file).split(sep);
  return parts.length === 1 ? 'root' : parts[0]!;
}

/** Imports of files in `from` that land in one of `forbidden` layers, as "file -> import". */
function upward(from: string, forbidden: readonly string[]): string[] {
  return sources(join(src, from)).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.') && forbidden.includes(layer(resolve(dirname(file), s))))
      .map((s) => `${relative(root, file)} -> ${s}`),
  );
}

describe('layering', () => {
  it('src/core and src/cli never import vscode', () => {
    const offenders = [...sources(join(root, 'src/core')), ...sources(join(root, 'src/cli'))].filter((file) =>
      /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(readFileSync(file, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  // Each layer may import the ones below it only: root → ui → capture, workspace → core.
  it('the import graph has no upward arrow', () => {
    assert.deepEqual(upward('core', ['capture', 'ui', 'workspace', 'webview', 'cli', 'root']), []);
    assert.deepEqual(upward('workspace', ['ui', 'root']), []);
    assert.deepEqual(upward('capture', ['ui', 'root']), []);
    assert.deepEqual(upward('ui', ['root']), []);
  });

  it('the specifier parser sees every form an import takes', () => {
    const text = [
      "import * as a from '../codetrail';",
      "import type {\n  B,\n} from '../b';",
      "import '../c';",
      "const d = require('../d');",
      "const e = await import('../e');",
    ].join('\n');
    assert.deepEqual(specifiers(text), ['../codetrail', '../b', '../c', '../d', '../e']);
    assert.equal(layer(resolve(src, 'ui', '../codetrail')), 'root');
  });

  it('only core/git/gateway.ts reaches simple-git', () => {
    const direct = sources(src).filter((file) => specifiers(readFileSync(file, 'utf8')).includes('simple-git'));
    assert.deepEqual(
      direct.map((file) => relative(src, file)),
      [join('core', 'git', 'gateway.ts')],
    );
  });

  // AdmittedRepoId is a brand: a cast is the only other way to make one, and only admission casts.
  it('only core/gate/admission.ts makes an AdmittedRepoId', () => {
    const casts = [...sources(src), ...sources(join(root, 'test'))].filter(
      (file) => /\bas\s+AdmittedRepoId\b/.test(readFileSync(file, 'utf8')) && relative(src, file) !== join('core', 'gate', 'admission.ts'),
    );
    assert.deepEqual(casts, []);
  });
});
