/** Times in VS Code's display language, one format for the chat panel and the roster (src/protocol/lineTime.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rosterNodes } from '../../src/extension/classroom/rosterTree';
import { clockTime, dayAndClockTime, getDisplayLocale, setDisplayLocale } from '../../src/protocol/lineTime';
import { format } from '../../src/protocol/panel';
import type { Roster } from '../../src/protocol/classroom';

const at = (day: number, hours: number, minutes: number) => new Date(2026, 10, day, hours, minutes).toISOString();
const NOW = new Date(2026, 10, 27, 14, 0);

test('a clock time reads as the language writes it: 01:09 PM in English, 13:09 in German', () => {
  assert.equal(clockTime(at(27, 13, 9), 'en'), '01:09 PM');
  assert.equal(clockTime(at(27, 13, 9), 'de'), '13:09');
  assert.equal(clockTime(at(27, 9, 5), 'de-CH'), '09:05');
  assert.equal(clockTime('not a time', 'en'), '');
});

test('another day adds the date, as the language writes dates; a broken time reads "?"', () => {
  assert.equal(dayAndClockTime(at(27, 9, 5), NOW, 'en'), '09:05 AM');
  assert.equal(dayAndClockTime(at(26, 8, 0), NOW, 'en'), '11/26/2026, 08:00 AM');
  assert.equal(dayAndClockTime(at(26, 8, 0), NOW, 'de'), '26.11.2026, 08:00');
  assert.equal(dayAndClockTime('not a time', NOW, 'de'), '?');
});

test('without a display language times read as a line writes them; a tag Intl refuses still gives a time', () => {
  setDisplayLocale(undefined);
  assert.equal(clockTime(at(27, 13, 9)), '13:09');
  assert.equal(dayAndClockTime(at(26, 8, 0), NOW), '2026-11-26 08:00');
  assert.match(clockTime(at(27, 13, 9), 'no such language!'), /\d\d/);
});

test("the roster writes a raised hand's time in the display language, as the chat does", () => {
  const english = (message: string, ...args: Array<string | number | boolean>) => format(message, ...args.map(String));
  const roster: Roster = {
    total: 1,
    entries: [
      {
        name: 'Mia',
        role: 'student',
        address: '192.168.1.40:51234',
        dialect: 'relay',
        since: at(27, 10, 2),
        sent: 0,
        received: 0,
        hand: { at: at(27, 13, 9) },
      },
    ],
  };
  try {
    for (const [locale, time] of [
      ['en', '01:09 PM'],
      ['de', '13:09'],
    ] as const) {
      setDisplayLocale(locale);
      assert.equal(getDisplayLocale(), locale);
      const [row] = rosterNodes(roster, NOW, english);
      assert.match(row!.description, new RegExp(`^hand up ${time} · `));
      assert.equal(clockTime(at(27, 13, 9)), time);
    }
  } finally {
    setDisplayLocale(undefined);
  }
});
