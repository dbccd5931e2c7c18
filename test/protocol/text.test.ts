/** Text for a line a person reads: cut by characters, times of day. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cut } from '../../src/protocol/text';
import { dayAndTimeForLine, timeOfDayForLine } from '../../src/protocol/lineTime';

test('cut keeps a text that fits, and ends a longer one in an ellipsis within the count, by code points', () => {
  assert.equal(cut('Alice', 5), 'Alice');
  assert.equal(cut('Alice!', 5), 'Alic…');
  assert.equal(cut('😀😀😀', 2), '😀…');
});

test('cut never splits a surrogate pair: a character outside the BMP is kept whole or left out whole', () => {
  // Each emoji is two UTF-16 units: a cut by units would keep half of one.
  const text = 'ab😀😀😀😀';
  for (let characters = 1; characters <= 7; characters++) {
    const shown = cut(text, characters);
    // With the u flag only a lone surrogate matches: a whole pair is one code point above U+FFFF.
    assert.doesNotMatch(shown, /[\uD800-\uDFFF]/u, `cut to ${characters}`);
    assert.ok([...shown].length <= characters);
  }
  assert.equal(cut(text, 4), 'ab😀…');
  assert.equal(cut(text, 6), text);
  // Four characters in eight units: it fits, though its UTF-16 length is over the count.
  assert.equal(cut('😀😀😀😀', 4), '😀😀😀😀');
});

test('a time of day for a line is the local HH:MM', () => {
  const at = new Date(2024, 0, 5, 9, 7);
  assert.equal(timeOfDayForLine(at.toISOString()), '09:07');
});

test('a time beside other lines is HH:MM today, with the local date on another day, and ? when it is no time', () => {
  const now = new Date(2026, 10, 27, 14, 0);
  assert.equal(dayAndTimeForLine(new Date(2026, 10, 27, 9, 5).toISOString(), now), '09:05');
  assert.equal(dayAndTimeForLine(new Date(2026, 10, 26, 23, 30).toISOString(), now), '2026-11-26 23:30');
  assert.equal(dayAndTimeForLine('not a time', now), '?');
});
