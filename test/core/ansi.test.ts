import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { excerpt, stripTerminalSequences } from '../../src/core/terminal/ansi';

const fixtures = join(__dirname, '../../../test/fixtures/test-output');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('stripTerminalSequences', () => {
  it('removes colours and other CSI sequences', () => {
    assert.equal(stripTerminalSequences('\x1b[1;31mFAIL\x1b[0m \x1b[2mcalc\x1b[22m\x1b[?25l'), 'FAIL calc');
  });

  it('removes VS Code shell integration marks ended by BEL or by ST', () => {
    const bel = '\x1b]633;A\x07$ \x1b]633;B\x07npm test\r\n\x1b]633;E;npm test;nonce\x07\x1b]633;C\x07ok\r\n\x1b]633;D;0\x07';
    assert.equal(stripTerminalSequences(bel), '$ npm test\nok\n');
    const st = '\x1b]633;P;Cwd=/work\x1b\\\x1b]133;A\x1b\\$ \x1b]133;B\x1b\\go test\r\n';
    assert.equal(stripTerminalSequences(st), '$ go test\n');
  });

  it('keeps the text of OSC 8 hyperlinks and drops the link', () => {
    assert.equal(stripTerminalSequences('see \x1b]8;;https://example.com/a\x1b\\the docs\x1b]8;;\x1b\\.'), 'see the docs.');
    assert.equal(stripTerminalSequences('\x1b]8;id=1;file:///x\x07x.ts\x1b]8;;\x07'), 'x.ts');
  });

  it('removes DCS, APC and charset escapes, and 8-bit C1 forms', () => {
    assert.equal(stripTerminalSequences('a\x1bP1$r0m\x1b\\b\x1b_apc\x1b\\c\x1b(Bd\x1b=e'), 'abcde');
    assert.equal(stripTerminalSequences('\x9b31mred\x9b0m \x9d0;title\x07done'), 'red done');
  });

  it('drops an OSC cut off by the end of the output, and ends one at a stray ESC as terminals do', () => {
    assert.equal(stripTerminalSequences('done\r\n\x1b]633;E;npm te'), 'done\n');
    assert.equal(stripTerminalSequences('\x1b]0;title\x1b[31mred'), 'red');
  });

  it('keeps the final state of a line redrawn after carriage returns', () => {
    assert.equal(stripTerminalSequences('progress 10%\rprogress 55%\rprogress 100%\r\ndone\r\n'), 'progress 100%\ndone\n');
    assert.equal(stripTerminalSequences('downloading...\r\x1b[Kok\n'), 'ok\n');
    assert.equal(stripTerminalSequences('abcdef\rXY\n'), 'XYcdef\n', 'a shorter redraw overwrites only what it covers, as on screen');
  });

  it('applies cursor-up and erase-line redraws, as jest and vitest draw their status lines', () => {
    const redraw = ' RUNS  calc.test.js\r\n\x1b[1A\x1b[2K PASS  calc.test.js\r\n\r\nTests: 1 passed\r\n';
    assert.equal(stripTerminalSequences(redraw), ' PASS  calc.test.js\n\nTests: 1 passed\n');
    const cursorColumn = 'spinner |\x1b[999D\x1b[Kdone\n';
    assert.equal(stripTerminalSequences(cursorColumn), 'done\n');
    const eraseBelow = 'keep\nstatus 1\nstatus 2\x1b[1A\r\x1b[Jfinal\n';
    assert.equal(stripTerminalSequences(eraseBelow), 'keep\nfinal\n');
  });

  it('applies backspaces and saved cursor positions, and drops other controls', () => {
    assert.equal(stripTerminalSequences('abc\b\bX\x07\n'), 'aXc\n');
    assert.equal(stripTerminalSequences('one\x1b7 two\x1b8!\n'), 'one!two\n');
  });

  it('leaves plain text alone but for trailing spaces', () => {
    assert.equal(stripTerminalSequences('a\tb  \nc\n'), 'a\tb\nc\n');
    assert.equal(stripTerminalSequences(''), '');
  });

  it('turns a recorded jest run into the screen a person saw', () => {
    const text = stripTerminalSequences(fixture('jest-fail.txt'));
    assert.doesNotMatch(text, CONTROL);
    assert.doesNotMatch(text, /RUNS/, 'the progress lines were redrawn away');
    assert.doesNotMatch(text, /Determining test suites/);
    assert.match(text, /^Tests: {7}2 failed, 1 skipped, 4 passed, 7 total$/m);
  });

  it("keeps only the last of vitest's live summaries", () => {
    const text = stripTerminalSequences(fixture('vitest-fail.txt'));
    assert.doesNotMatch(text, CONTROL);
    assert.deepEqual(
      text.match(/^\s*Tests\s.*$/gm)?.map((l) => l.trim()),
      ['Tests  2 failed | 4 passed | 1 skipped (7)'],
    );
  });

  it('shows a shell-integrated session as prompt, command and output', () => {
    const text = stripTerminalSequences(fixture('npm-jest-shell-integration-fail.txt'));
    assert.doesNotMatch(text, CONTROL);
    assert.doesNotMatch(text, /633;/);
    assert.match(text, /# npm test\n\n> test\n> jest\n/);
  });

  it('handles every recorded fixture without leaving a control character', () => {
    for (const name of ['cargo-fail.txt', 'maven-fail.txt', 'pytest-fail.txt', 'go-verbose-fail.txt', 'node-test-fail.txt', 'jest-watch-fail.txt']) {
      assert.doesNotMatch(stripTerminalSequences(fixture(name)), CONTROL, name);
    }
  });

  // How fast: bench/terminal.mjs (a timed assertion here would fail on a loaded machine).
  it('cleans a megabyte of redrawn output to the same screen as each of its parts', () => {
    const chunk = fixture('vitest-fail.txt');
    const copies = Math.ceil(1_000_000 / chunk.length);
    const one = stripTerminalSequences(chunk);
    const big = stripTerminalSequences(chunk.repeat(copies));
    assert.doesNotMatch(big, CONTROL);
    assert.ok(big.length <= one.length * copies, 'no copy grows when it follows another');
  });

  it('keeps one long line of coloured progress dots as dots', () => {
    const dots = '\x1b[32m.\x1b[0m'.repeat(100_000) + '\r\n';
    assert.equal(stripTerminalSequences(dots), '.'.repeat(100_000) + '\n');
  });
});

describe('excerpt', () => {
  it('returns text that fits as it is', () => {
    assert.deepEqual(excerpt('short\n', 100), { text: 'short\n', truncated: false, totalBytes: 6 });
  });

  it('keeps head and tail within the byte budget, saying how much was left out', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const result = excerpt(lines, 600);
    assert.equal(result.truncated, true);
    assert.equal(result.totalBytes, Buffer.byteLength(lines));
    assert.ok(Buffer.byteLength(result.text) <= 600);
    const [head, tail] = result.text.split(/\n… \[\d+ bytes omitted\] …\n/);
    assert.ok(head !== undefined && tail !== undefined);
    assert.ok(lines.startsWith(head) && lines.endsWith(tail));
    const omitted = Number(/\[(\d+) bytes omitted\]/.exec(result.text)?.[1]);
    assert.equal(omitted, result.totalBytes - Buffer.byteLength(head) - Buffer.byteLength(tail));
    assert.ok(tail.length > head.length, 'the tail, where summaries are, gets more room');
    assert.match(head, /^line 0\n/);
    assert.match(tail, /\nline 399\n$/);
    assert.match(tail, /^line \d+\n/, 'the tail starts at a line start');
    assert.match(head, /\d\n$/, 'the head ends at a line end');
  });

  it('never cuts a multi-byte character', () => {
    const text = '€'.repeat(1000) + '🙂'.repeat(500);
    for (const max of [100, 101, 102, 103, 257]) {
      const result = excerpt(text, max);
      assert.ok(Buffer.byteLength(result.text) <= max, `max ${max}`);
      assert.doesNotMatch(result.text, /\uFFFD/);
      assert.doesNotMatch(result.text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it('gives only a cut head when the budget cannot even hold the marker', () => {
    const result = excerpt('abcdefghijklmnopqrstuvwxyz'.repeat(10), 10);
    assert.deepEqual(result, { text: 'abcdefghij', truncated: true, totalBytes: 260 });
  });
});
