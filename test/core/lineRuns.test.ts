import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { commonLineRuns, splitLines } from '../../src/core/base/lineRuns';

// Few distinct lines, so there are ties and repeated lines; CRLF, lone CR and no final newline.
const line = fc.constantFrom('a\n', 'b\n', 'c\n', '\n', '  x\n', 'a\r\n', 'a\r', 'é\n', 'a');
const text = fc.array(line, { maxLength: 16 }).map((ls) => ls.join(''));

/** The length of a longest common subsequence, by the textbook table. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    for (let j = 0; j < b.length; j++) next.push(x === b[j] ? row[j]! + 1 : Math.max(row[j + 1]!, next[j]!));
    row = next;
  }
  return row[b.length]!;
}

describe('common line runs (base/lineRuns.ts)', () => {
  it('splitLines: every line keeps its newline; joined back they are the text', () => {
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('a\r\nb\n\nc'), ['a\r\n', 'b\n', '\n', 'c']);
    fc.assert(
      fc.property(text, (t) => {
        const lines = splitLines(t);
        assert.equal(lines.join(''), t);
        lines.forEach((l, i) => assert.equal(l.indexOf('\n'), i < lines.length - 1 || t.endsWith('\n') ? l.length - 1 : -1));
      }),
    );
  });

  it('the runs are equal lines, in order in both texts, as many as a longest common subsequence has', () => {
    fc.assert(
      fc.property(text, text, (x, y) => {
        const a = splitLines(x);
        const b = splitLines(y);
        let [nextA, nextB, common] = [0, 0, 0];
        for (const run of commonLineRuns(a, b)) {
          assert.ok(run.count > 0 && run.a >= nextA && run.b >= nextB, JSON.stringify(run));
          for (let k = 0; k < run.count; k++) assert.equal(a[run.a + k], b[run.b + k]);
          [nextA, nextB] = [run.a + run.count, run.b + run.count];
          common += run.count;
        }
        assert.ok(nextA <= a.length && nextB <= b.length);
        assert.equal(common, lcsLength(a, b));
      }),
      { numRuns: 3000 },
    );
  });

  it('a line differing only in its newline or a carriage return is not common', () => {
    assert.deepEqual(commonLineRuns(['x'], ['x\n']), []);
    assert.deepEqual(commonLineRuns(['x\r\n'], ['x\n']), []);
    assert.deepEqual(commonLineRuns(['x\n', 'y\n'], ['x\n', 'y\n']), [{ a: 0, b: 0, count: 2 }]);
  });
});
