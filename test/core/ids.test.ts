import { strict as assert } from 'node:assert';
import { decodeTime, isValid } from 'ulidx';
import { newUlid } from '../../src/core/ids';

describe('record ids', () => {
  it('are valid ULIDs of the time given, sorting in the order they were made, even within one millisecond', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_001].map((t) => newUlid(t));
    assert.ok(ids.every((id) => isValid(id)));
    assert.equal(decodeTime(ids[3]!), 1_700_000_000_001);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('draw their random part from the whole alphabet, evenly (the pooled random source is not biased)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 32_000; i++) {
      const c = newUlid(1_800_000_000_000 + i).at(-1)!; // a fresh millisecond: a fresh random part
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    assert.equal(counts.size, 32);
    for (const n of counts.values()) assert.ok(n > 800 && n < 1200, `each character about 1,000 times, got ${n}`);
  });
});
