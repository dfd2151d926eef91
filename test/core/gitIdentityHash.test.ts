import { strict as assert } from 'node:assert';
import { identityHasher } from '../../src/core/git/identityHash';

describe('git identity hashing', () => {
  it('is stable for the same value and salt, different across salts and values, and short', () => {
    const hash = identityHasher('salt-1');
    const value = hash('ada@example.com');
    assert.match(value, /^p_[0-9a-f]{16}$/);
    assert.equal(identityHasher('salt-1')('ada@example.com'), value);
    assert.notEqual(identityHasher('salt-2')('ada@example.com'), value);
    assert.notEqual(hash('grace@example.com'), value);
    assert.ok(!value.includes('ada'));
  });
});
