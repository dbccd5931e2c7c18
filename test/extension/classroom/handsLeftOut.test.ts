/** Raised hands the relay could not list: the roster view and the command line count them, in English and German. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterEntry } from '../../../src/protocol/classroom';
import { rosterSummary } from '../../../src/extension/classroom/rosterTree';
import { formatRoster } from '../../../src/cli/classroomText';
import { english, german } from '../../helpers/extension/parts';

const mia: RosterEntry = {
  name: 'Mia',
  role: 'student',
  dialect: 'relay',
  address: '10.0.0.2:40000',
  since: '2026-12-07T08:00:00.000Z',
  sent: 0,
  received: 0,
  hand: { at: '2026-12-07T08:01:00.000Z' },
};

test('the roster view counts the hands left out among the raised hands and says they did not fit', () => {
  const summary = rosterSummary({ entries: [mia], total: 5, handsLeftOut: 3 }, english);
  assert.equal(summary.hands, 4);
  assert.equal(summary.handsText, '4 raised hands');
  assert.equal(summary.partial, 'The first 1 of 5 students are listed. 3 raised hands did not fit the list.');
  const one = rosterSummary({ entries: [mia], total: 2, handsLeftOut: 1 }, german);
  assert.equal(
    one.partial,
    'Die ersten 1 von 2 Personen sind aufgeführt. 1 gehobene Hand hatte in der Liste keinen Platz mehr.',
  );
  assert.equal(rosterSummary({ entries: [mia], total: 1 }, english).partial, undefined);
});

test('the command line counts the hands left out in its totals', () => {
  const text = formatRoster({ entries: [mia], total: 5, handsLeftOut: 3 }, new Date('2026-12-07T09:00:00Z'));
  assert.match(
    text.split('\n').at(-1)!,
    /^5 students connected, 4 raised hands; the first 1 are listed; 3 raised hands are not listed\.$/,
  );
});
