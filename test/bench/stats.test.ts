import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, percentile, Samples, summarize } from '../../bench/sideBySide/stats';

test('a percentile is the nearest-rank sample: p50 of 1..100 is 50, p99 is 99, p100 the largest', () => {
  const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
  assert.equal(percentile(samples, 0.5), 50);
  assert.equal(percentile(samples, 0.99), 99);
  assert.equal(percentile(samples, 1), 100);
  assert.equal(percentile(samples, 0), 1);
});

test('p99 of fewer than a hundred samples is their largest, not an interpolation', () => {
  assert.equal(percentile([3, 1, 2], 0.99), 3);
  assert.equal(percentile([7], 0.5), 7);
});

test('no samples have no percentile, median or maximum', () => {
  assert.ok(Number.isNaN(percentile([], 0.5)));
  assert.ok(Number.isNaN(median([])));
  assert.deepEqual({ ...summarize([]), p50: 0, p99: 0, max: 0 }, { count: 0, p50: 0, p99: 0, max: 0 });
  assert.ok(Number.isNaN(summarize([]).max));
});

test('the median of an even count is the mean of the middle two', () => {
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([5, 1, 9]), 5);
});

test('a summary sorts numerically: 10 is larger than 9', () => {
  assert.deepEqual(summarize([10, 9, 100, 2]), { count: 4, p50: 9, p99: 100, max: 100 });
});

test('samples grow past their first buffer and keep every value in order', () => {
  const samples = new Samples();
  for (let index = 0; index < 5000; index++) samples.push(index);
  const values = samples.toArray();
  assert.equal(values.length, 5000);
  assert.equal(values[0], 0);
  assert.equal(values[4999], 4999);
});
