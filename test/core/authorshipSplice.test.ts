import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { splice, type Mark, type Spans } from '../../src/core/replay/authorship';

/** Each character's mark: what a run list stands for, whatever its runs. */
const marks = (spans: Spans): Mark[] => spans.flatMap(([n, m]) => Array<Mark>(n).fill(m));

const mark = fc.constantFrom<Mark>('base', 'typed', 'pasted', 'agent');
const runs = fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), mark), { maxLength: 12 }) as fc.Arbitrary<Spans>;

describe("authorship's splice of character runs, in place", () => {
  it('gives every character the mark a character-by-character splice gives, merges neighbours, and changes no run tuple', () => {
    fc.assert(
      fc.property(runs, runs, fc.nat(80), fc.nat(80), (spans, inserted, a, b) => {
        const length = marks(spans).length;
        const start = Math.min(a, length);
        const end = Math.min(Math.max(start, b), length);
        const expected = [...marks(spans).slice(0, start), ...marks(inserted), ...marks(spans).slice(end)];
        const tuples = spans.map((t) => [t, [...t]] as const);
        const result = splice(spans, start, end, inserted);
        assert.equal(result, spans, 'the same array');
        assert.deepEqual(marks(result), expected);
        assert.ok(
          result.every(([n]) => n > 0),
          'no empty run',
        );
        for (const [t, before] of tuples) assert.deepEqual(t, before, 'a run tuple was changed');
      }),
      { numRuns: 5000 },
    );
  });

  it('merges the runs around the change that share an author', () => {
    const spans: Spans = [
      [3, 'base'],
      [2, 'typed'],
      [4, 'base'],
    ];
    // Replacing the typed run with base text leaves one base run.
    assert.deepEqual(splice(spans, 3, 5, [[1, 'base']]), [[8, 'base']]);
  });
});
