import { strict as assert } from 'node:assert';
import { decodeTime, isValid } from 'ulidx';
import { newUlid } from '../../src/core/base/ids';

describe('record ids', () => {
  it('are valid ULIDs of the time given, sorting in the order they were made, even within one millisecond', () => {
    // Later than any id made before in this process (the factory is monotonic across calls).
    const t = Date.now() + 1e9;
    const ids = [t, t, t, t + 1].map((at) => newUlid(at));
    assert.ok(ids.every((id) => isValid(id)));
    assert.equal(decodeTime(ids[3]!), t + 1);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('draw their random part from the whole alphabet, evenly (the pooled random source is not biased)', () => {
    const counts = new Map<string, number>();
    const t = Date.now() + 2e9;
    for (let i = 0; i < 32_000; i++) {
      const c = newUlid(t + i).at(-1)!; // a fresh millisecond: a fresh random part
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    assert.equal(counts.size, 32);
    for (const n of counts.values()) assert.ok(n > 800 && n < 1200, `each character about 1,000 times, got ${n}`);
  });
});
