/** Text for a line a person reads: cut by characters, times of day. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cut } from '../../src/protocol/text';
import { timeOfDayForLine } from '../../src/protocol/lineTime';

test('cut keeps a text that fits, and ends a longer one in an ellipsis within the count, by code points', () => {
  assert.equal(cut('Alice', 5), 'Alice');
  assert.equal(cut('Alice!', 5), 'Alic…');
  assert.equal(cut('😀😀😀', 2), '😀…');
});

test('a time of day for a line is the local HH:MM', () => {
  const at = new Date(2024, 0, 5, 9, 7);
  assert.equal(timeOfDayForLine(at.toISOString()), '09:07');
});
