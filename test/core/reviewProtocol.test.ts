// The review page renders store content, so the extension treats what it sends as untrusted:
// only well-formed messages of the known types pass.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseFromWebview } from '../../src/ui/review/protocol';

describe('review panel messages', () => {
  it('accepts each known message', () => {
    const good = [
      { type: 'ready' },
      { type: 'page', offset: 0, limit: 200, categories: ['edit', 'test'], file: 'src/a.ts', text: 'fix' },
      { type: 'detail', index: 3 },
      { type: 'fileAt', index: 3, file: '' },
      { type: 'redact', word: 'Acme Rockets' },
      { type: 'deleteSteps', indices: [1, 2, 3] },
      { type: 'approve', approved: false },
      { type: 'deleteTask' },
    ];
    for (const m of good) assert.deepEqual(parseFromWebview(m), m, JSON.stringify(m));
  });

  it('refuses unknown types, extra fields, wrong types, negative or huge numbers and oversized payloads', () => {
    const bad = [
      null,
      'ready',
      { type: 'eval', code: '1' },
      { type: 'ready', extra: true },
      { type: 'detail', index: -1 },
      { type: 'detail', index: 1.5 },
      { type: 'detail', index: '3' },
      { type: 'page', offset: 0, limit: 100_000, categories: [], file: '', text: '' },
      { type: 'page', offset: 0, limit: 10, categories: ['shell'], file: '', text: '' },
      { type: 'redact', word: '' },
      { type: 'redact', word: 'x'.repeat(501) },
      { type: 'deleteSteps', indices: [] },
      { type: 'approve', approved: 'yes' },
    ];
    for (const m of bad) assert.equal(parseFromWebview(m), undefined, JSON.stringify(m));
  });

  it('never throws on anything, and passes nothing without a known type', () => {
    const known = new Set(['ready', 'page', 'detail', 'fileAt', 'redact', 'deleteSteps', 'approve', 'deleteTask']);
    fc.assert(
      fc.property(fc.anything(), (m) => {
        const parsed = parseFromWebview(m);
        assert.ok(parsed === undefined || known.has(parsed.type));
      }),
    );
  });
});
