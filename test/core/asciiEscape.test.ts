// The production bundles are escaped to ASCII after esbuild (esbuild.mjs): the escaped source must
// mean what the source meant, in the places esbuild leaves non-ASCII characters (regular
// expression literals above all: the test-output parsers and the redaction rules hold some).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { projectRoot } from '../helpers/manifest';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script's own CommonJS module
const { escapeNonAscii } = require(join(projectRoot, 'scripts/asciiEscape.cjs')) as { escapeNonAscii: (source: string) => string };

/** Evaluates an expression from source, as the bundle's code would run. */
const run = (source: string): unknown => runInThisContext(`(${source})`);

describe('escaping a bundle to ASCII', () => {
  const source = String.raw`[
    /^\s*● Test suite failed to run\s*$/.test('  ● Test suite failed to run'),
    /^(?:ℹ|#) tests (\d+)$/.exec('ℹ tests 7')[1],
    /^[«»]|[«»]$/.test('«redacted'),
    /^[xX*•#._-]{3,}$/.test('••••'),
    /^[\p{L}][\p{L}'’-]*$/u.test('don’t'),
    /^😀$/u.test('😀'),
    /^.$/u.test('😀'),
    /^[😀]$/u.test('😀'),
    'é😀'.length,
    ${'`«${1}»`'},
  ]`;

  it('leaves no character outside ASCII', () => {
    assert.doesNotMatch(escapeNonAscii(source), /[^\x00-\x7f]/);
  });

  it('means the same: regular expressions, with and without /u, strings and templates', () => {
    const expected = [true, '7', true, true, true, true, true, true, 3, '«1»'];
    assert.deepEqual(run(source), expected, 'the source itself');
    assert.deepEqual(run(escapeNonAscii(source)), expected);
  });

  it('leaves ASCII source as it is', () => {
    const ascii = String.raw`/^\u00ab[a-z]+\u00bb$/.test("x\n")`;
    assert.equal(escapeNonAscii(ascii), ascii);
  });
});
