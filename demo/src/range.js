'use strict';

/**
 * The integers from `start` to `end`, both included, stepping by `step`.
 * range(1, 5) -> [1, 2, 3, 4, 5]; range(0, 10, 5) -> [0, 5, 10]
 */
function range(start, end, step = 1) {
  if (!Number.isInteger(step) || step <= 0) throw new RangeError('step must be a positive integer');
  const result = [];
  for (let i = start; i < end; i += step) {
    result.push(i);
  }
  return result;
}

/** The sum of the integers from `start` to `end`, both included. */
function sumRange(start, end) {
  return range(start, end).reduce((total, n) => total + n, 0);
}

module.exports = { range, sumRange };
