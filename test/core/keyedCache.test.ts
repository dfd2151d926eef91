import { strict as assert } from 'node:assert';
import { KeyedCache } from '../../src/core/base/keyedCache';

describe('keyed cache (path lookups on every event)', () => {
  it('computes once per key, remembers "no answer" too, and forgets everything when the generation changes', () => {
    const cache = new KeyedCache<string | undefined>();
    let calls = 0;
    const repoOf = (path: string) => () => {
      calls += 1;
      return path.startsWith('/repo/') ? 'repo' : undefined;
    };
    assert.equal(cache.get('/repo/a.ts', 0, repoOf('/repo/a.ts')), 'repo');
    assert.equal(cache.get('/repo/a.ts', 0, repoOf('/repo/a.ts')), 'repo');
    assert.equal(cache.get('/tmp/x', 0, repoOf('/tmp/x')), undefined);
    assert.equal(cache.get('/tmp/x', 0, repoOf('/tmp/x')), undefined);
    assert.equal(calls, 2);
    // The repositories changed (say /tmp became one): asked again.
    assert.equal(
      cache.get('/tmp/x', 1, () => 'tmp'),
      'tmp',
    );
    assert.equal(cache.size, 1);
  });

  it('stays within its bound', () => {
    const cache = new KeyedCache<number>(10);
    for (let i = 0; i < 25; i++) cache.get(`/p/${i}`, 0, () => i);
    assert.ok(cache.size <= 10);
    assert.equal(
      cache.get('/p/24', 0, () => -1),
      24,
    );
  });
});
