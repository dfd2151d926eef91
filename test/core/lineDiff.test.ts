import { strict as assert } from 'node:assert';
import { createPatch } from 'diff';
import fc from 'fast-check';
import { commonLines, linePatch } from '../../src/core/base/lineDiff';

// Texts of few distinct lines, so jsdiff meets ties and repeated lines (where setting a common
// suffix aside would change its answer), with CRLF, lone CR, blank lines and no final newline.
const line = fc.constantFrom('a', 'b', 'c', '', '  x', 'a\r', 'é');
const lines = fc.array(line, { maxLength: 14 });
const text = fc.tuple(lines, fc.boolean(), fc.constantFrom('\n', '\r\n')).map(([ls, final, nl]) => ls.join(nl) + (final && ls.length ? nl : ''));
/** Two texts that share a beginning, as a file before and after an edit does; long ones too (compared a block at a time). */
const pair = fc.tuple(text, fc.nat(40), text, text).map(([shared, times, a, b]) => [shared.repeat(times) + a, shared.repeat(times) + b] as const);

describe('line diffs with the common beginning set aside (base/lineDiff.ts)', () => {
  it('commonLines: whole lines only, less the ones to keep', () => {
    assert.deepEqual(commonLines('a\nb\nc\n', 'a\nb\nd\n'), { chars: 4, lines: 2 });
    assert.deepEqual(commonLines('a\nb\nc\n', 'a\nb\nd\n', 1), { chars: 2, lines: 1 });
    assert.deepEqual(commonLines('a\nb\nc\n', 'a\nb\nd\n', 5), { chars: 0, lines: 0 });
    assert.deepEqual(commonLines('\n\n\nx', '\n\n\ny'), { chars: 3, lines: 3 });
    assert.deepEqual(commonLines('\n\n\nx', '\n\n\ny', 2), { chars: 1, lines: 1 });
    // A line that differs only in its newline is not common.
    assert.deepEqual(commonLines('ab', 'ab\n'), { chars: 0, lines: 0 });
  });

  it("linePatch gives jsdiff's createPatch, byte for byte, at the contexts export uses", () => {
    fc.assert(
      fc.property(fc.oneof(pair, fc.tuple(text, text)), fc.constantFrom(0, 1, 2, 3), ([a, b], context) => {
        assert.equal(linePatch('src/f.ts', a, b, context), createPatch('src/f.ts', a, b, '', '', { context }));
      }),
      { numRuns: 3000 },
    );
  });

  it('the same on a long file edited far from its start (the case it is for)', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `line ${i % 7}`);
    const before = rows.join('\n') + '\n';
    const after = [...rows.slice(0, 300), 'line X', ...rows.slice(300, 398), 'end'].join('\n');
    assert.ok(commonLines(before, after, 3).lines > 0);
    assert.equal(linePatch('f', before, after, 3), createPatch('f', before, after, '', '', { context: 3 }));
  });
});
