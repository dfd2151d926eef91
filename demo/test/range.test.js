'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { range, sumRange } = require('../src/range');

test('range includes both ends', () => {
  assert.deepEqual(range(1, 5), [1, 2, 3, 4, 5]);
});

test('range steps', () => {
  assert.deepEqual(range(0, 10, 5), [0, 5, 10]);
});

test('range of a single number', () => {
  assert.deepEqual(range(3, 3), [3]);
});

test('range is empty when start is past end', () => {
  assert.deepEqual(range(5, 1), []);
});

test('range rejects a non-positive step', () => {
  assert.throws(() => range(1, 5, 0), RangeError);
});

test('sumRange adds both ends', () => {
  assert.equal(sumRange(1, 100), 5050);
});
