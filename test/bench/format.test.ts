import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  duration,
  figure,
  kilobytes,
  markdownTable,
  micros,
  ratio,
  textTable,
  withRatios,
} from '../../bench/sideBySide/format';

test('figures keep two or three significant digits', () => {
  assert.equal(figure(58.04), '58.0');
  assert.equal(figure(9), '9.0');
  assert.equal(figure(0.812), '0.81');
  assert.equal(figure(1250.4), '1,250');
  assert.equal(figure(NaN), '—');
});

test('durations given in microseconds read in µs, ms or s', () => {
  assert.equal(duration(812), '812 µs');
  assert.equal(duration(1900), '1.9 ms');
  assert.equal(duration(21_900), '21.9 ms');
  assert.equal(duration(12_300_000), '12.3 s');
  assert.equal(kilobytes(12_400), '12.4 KB');
  assert.equal(micros(1 / 0), '—');
});

test('a ratio is the value over the reference, with fewer decimals as it grows', () => {
  assert.equal(ratio(58, 9), '×6.4');
  assert.equal(ratio(9, 9), '×1.0');
  assert.equal(ratio(0.8, 39), '×0.02');
  assert.equal(ratio(390, 9), '×43');
});

test('a ratio against a missing or zero reference is left out', () => {
  assert.equal(ratio(58, undefined), '');
  assert.equal(ratio(58, 0), '');
  assert.equal(withRatios('58 µs', 58, [undefined, 8]), '58 µs (— / ×7.3)');
  assert.equal(withRatios('58 µs', 58, [undefined, undefined]), '58 µs');
});

test('a text table aligns the first column left and the others right', () => {
  const text = textTable({
    head: ['server', 'µs'],
    rows: [
      ['ngircd', '9.0'],
      ['our relay', '58'],
    ],
  });
  assert.equal(text, ['server      µs', '---------  ---', 'ngircd     9.0', 'our relay   58'].join('\n'));
});

test('a Markdown table escapes a pipe in a cell', () => {
  assert.equal(
    markdownTable({ head: ['', 'a|b'], rows: [['x', '1']] }),
    ['|  | a\\|b |', '|---|---:|', '| x | 1 |'].join('\n'),
  );
});
