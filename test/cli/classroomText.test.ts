/**
 * The command line's times (localTime in src/cli/classroomText.ts) in the local time zone,
 * whichever it is: HH:MM today, "HH:MM tomorrow" for the next local day, the local date and
 * time for any other day, and ? for what is no time. Every time here is made from local
 * figures, so the expected text is the same in every zone; run it with TZ=Pacific/Auckland and
 * TZ=America/Los_Angeles to see the local date differ from the UTC date.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localTime } from '../../src/cli/classroomText';

/** The last evening of 2026, local time: tomorrow is in another month and another year. */
const NOW = new Date(2026, 11, 31, 22, 30);

/** A local time as the relay sends it: ISO 8601 in UTC. */
const at = (year: number, month: number, day: number, hours: number, minutes: number) =>
  new Date(year, month - 1, day, hours, minutes).toISOString();

test('a time of today is its local HH:MM', () => {
  assert.equal(localTime(at(2026, 12, 31, 0, 5), NOW), '00:05');
  assert.equal(localTime(at(2026, 12, 31, 22, 30), NOW), '22:30');
  assert.equal(localTime(at(2026, 12, 31, 23, 59), NOW), '23:59');
});

test('a time of the next local day is HH:MM tomorrow', () => {
  assert.equal(localTime(at(2027, 1, 1, 0, 0), NOW), '00:00 tomorrow');
  assert.equal(localTime(at(2027, 1, 1, 9, 15), NOW), '09:15 tomorrow');
  assert.equal(localTime(at(2027, 1, 1, 23, 59), NOW), '23:59 tomorrow');
});

test('a time of any other day shows its local date, not the UTC one', () => {
  assert.equal(localTime(at(2027, 1, 2, 0, 0), NOW), '2027-01-02 00:00');
  assert.equal(localTime(at(2026, 12, 30, 23, 59), NOW), '2026-12-30 23:59');
  // Early in the morning east of UTC, and late in the evening west of it, the UTC date is another.
  const early = at(2026, 11, 26, 0, 30);
  const late = at(2026, 11, 26, 23, 30);
  assert.equal(localTime(early, NOW), '2026-11-26 00:30');
  assert.equal(localTime(late, NOW), '2026-11-26 23:30');
  const offset = new Date(early).getTimezoneOffset();
  if (offset < 0) assert.equal(early.slice(0, 10), '2026-11-25', 'east of UTC the UTC date is the day before');
  if (offset > 0) assert.equal(late.slice(0, 10), '2026-11-27', 'west of UTC the UTC date is the day after');
});

test('today and tomorrow are calendar days, also where a day has 23 or 25 hours', () => {
  const two = (value: number) => String(value).padStart(2, '0');
  for (
    let day = new Date(2026, 0, 1);
    day.getFullYear() === 2026;
    day = new Date(2026, day.getMonth(), day.getDate() + 1)
  ) {
    const [year, month, date] = [day.getFullYear(), day.getMonth() + 1, day.getDate()];
    const early = new Date(year, month - 1, date, 0, 30);
    const late = new Date(year, month - 1, date, 23, 30);
    const afterNext = new Date(year, month - 1, date + 2, 12, 0);
    const shownDate = `${afterNext.getFullYear()}-${two(afterNext.getMonth() + 1)}-${two(afterNext.getDate())}`;
    const where = `on ${year}-${two(month)}-${two(date)}`;
    assert.equal(localTime(at(year, month, date, 23, 0), early), '23:00', where);
    assert.equal(localTime(at(year, month, date + 1, 12, 0), early), '12:00 tomorrow', where);
    assert.equal(localTime(at(year, month, date + 1, 12, 0), late), '12:00 tomorrow', where);
    assert.equal(localTime(at(year, month, date + 2, 12, 0), late), `${shownDate} 12:00`, where);
  }
});

test('what is no time shows as ?', () => {
  for (const text of ['', 'soon', '2026-13-45T99:00:00Z', 'NaN']) assert.equal(localTime(text, NOW), '?', text);
});
