/**
 * A student's standing across relay nodes, without NATS: what her node writes is coalesced (a hand
 * or a mute at once, counts at most once a second per student, within bounds), and what another
 * node wrote is read as untrusted bytes, field by field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StandingOutbox } from '../../../src/server/cluster/standingOutbox';
import { readStandingEntry } from '../../../src/server/cluster/engineReads';
import type { KeptStanding } from '../../../src/server/classroom/classroom';

const GAP = 1000;
const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
const counts = (sent: number, received = 0): KeptStanding => ({ sent, received });

test("a student's first standing is written at once, and later counts at most once per gap, the last of them", () => {
  const outbox = new StandingOutbox(GAP, 100);
  outbox.note('zoe', counts(1), 0);
  assert.deepEqual(outbox.takeDue(0), [['zoe', counts(1)]]);
  for (let sent = 2; sent <= 10; sent++) outbox.note('zoe', counts(sent), 100 + sent);
  assert.deepEqual(outbox.takeDue(500), []);
  assert.equal(outbox.nextDue(), GAP);
  assert.deepEqual(outbox.takeDue(GAP), [['zoe', counts(10)]]);
  assert.equal(outbox.nextDue(), undefined);
  // Quiet for longer than the gap: the next count goes at once.
  outbox.note('zoe', counts(11), 5000);
  assert.deepEqual(outbox.takeDue(5000), [['zoe', counts(11)]]);
});

test('a hand raised or lowered and a mute begun or ended are written at once, between counts that wait', () => {
  const outbox = new StandingOutbox(GAP, 100);
  outbox.note('zoe', counts(1), 0);
  outbox.takeDue(0);
  outbox.note('zoe', counts(2), 10);
  const hand: KeptStanding = { ...counts(2), hand: { at: '2026-01-01T10:00:00.000Z', question: 'Warum?' } };
  outbox.note('zoe', hand, 20);
  assert.deepEqual(outbox.takeDue(20), [['zoe', hand]]);
  outbox.note('zoe', counts(2), 30);
  assert.deepEqual(outbox.takeDue(30), [['zoe', counts(2)]], 'the hand went down');
  const muted: KeptStanding = { ...counts(2), muted: { until: '2026-01-01T10:05:00.000Z' } };
  outbox.note('zoe', muted, 40);
  assert.deepEqual(outbox.takeDue(40), [['zoe', muted]]);
  outbox.note('zoe', { ...muted, sent: 3 }, 50);
  assert.deepEqual(outbox.takeDue(50), [], 'a count of a muted student waits like any count');
});

test('what is noted is copied: a standing changed later does not change what waits', () => {
  const outbox = new StandingOutbox(GAP, 100);
  const standing: KeptStanding = { sent: 1, received: 0, hand: { at: '2026-01-01T10:00:00.000Z' } };
  outbox.note('zoe', standing, 0);
  standing.sent = 99;
  standing.hand!.at = 'changed';
  assert.deepEqual(outbox.takeDue(0), [['zoe', { sent: 1, received: 0, hand: { at: '2026-01-01T10:00:00.000Z' } }]]);
});

test('each student has her own gap', () => {
  const outbox = new StandingOutbox(GAP, 100);
  outbox.note('zoe', counts(1), 0);
  outbox.takeDue(0);
  outbox.note('zoe', counts(2), 100);
  outbox.note('mia', counts(1), 100);
  assert.deepEqual(outbox.takeDue(100), [['mia', counts(1)]]);
  assert.deepEqual(outbox.takeDue(GAP), [['zoe', counts(2)]]);
});

test('a student who left has nothing written after, and is written at once when she is back', () => {
  const outbox = new StandingOutbox(GAP, 100);
  outbox.note('zoe', counts(1), 0);
  outbox.takeDue(0);
  outbox.note('zoe', counts(2), 100);
  outbox.forget('zoe');
  assert.equal(outbox.nextDue(), undefined);
  assert.deepEqual(outbox.takeDue(GAP), []);
  outbox.note('zoe', counts(0), 200);
  assert.deepEqual(outbox.takeDue(200), [['zoe', counts(0)]]);
});

test('the outbox stays within its bounds however many students write, and loses no standing for it', () => {
  const max = 50;
  const crowded = new StandingOutbox(GAP, max);
  const last = new Map<string, number>();
  for (let student = 0; student < 500; student++)
    for (const sent of [1, 2]) {
      // Her first count goes at once, her second waits for her gap, or goes at once when too many wait.
      crowded.note(`s${student}`, counts(sent), 0);
      for (const [key, standing] of crowded.takeDue(0)) last.set(key, standing.sent);
      assert.ok(crowded.size.pending <= max && crowded.size.written <= max, JSON.stringify(crowded.size));
    }
  for (const [key, standing] of crowded.takeDue(GAP)) last.set(key, standing.sent);
  assert.deepEqual(new Set(last.values()), new Set([2]));
  assert.equal(last.size, 500);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 30 })), { maxLength: 400 }),
      (notes) => {
        const outbox = new StandingOutbox(GAP, max);
        const last = new Map<string, number>();
        const written = new Map<string, number>();
        let now = 0;
        for (const [student, step] of notes) {
          now += step;
          const key = `s${student}`;
          const sent = (last.get(key) ?? 0) + 1;
          last.set(key, sent);
          outbox.note(key, counts(sent), now);
          for (const [k, standing] of outbox.takeDue(now)) written.set(k, standing.sent);
          assert.ok(outbox.size.pending <= max + 1 && outbox.size.written <= max, JSON.stringify(outbox.size));
        }
        // Once the gaps are over, every student's last standing has been written.
        for (const [k, standing] of outbox.takeDue(now + GAP)) written.set(k, standing.sent);
        assert.deepEqual(written, last);
      },
    ),
    { numRuns: 200 },
  );
});

const ENTRY = { node: 'node-b', sent: 3, received: 7 };

test('a standing entry as a node writes it is read field by field, hand and mute too, and nothing else is kept', () => {
  assert.deepEqual(readStandingEntry(bytes({ ...ENTRY, extra: 'x'.repeat(10_000) })), {
    node: 'node-b',
    standing: { sent: 3, received: 7 },
  });
  const hand = { at: '2026-01-01T10:00:00.000Z', question: 'Warum blockiert recv()?' };
  assert.deepEqual(readStandingEntry(bytes({ ...ENTRY, hand, muted: {} })), {
    node: 'node-b',
    standing: { sent: 3, received: 7, hand, muted: {} },
  });
  assert.deepEqual(readStandingEntry(bytes({ ...ENTRY, muted: { until: '2026-01-01T10:05:00.000Z' } }))?.standing, {
    sent: 3,
    received: 7,
    muted: { until: '2026-01-01T10:05:00.000Z' },
  });
});

test('standing entries with a bad node, counts that are no whole numbers, or an odd hand or mute are refused', () => {
  const bad: Record<string, unknown>[] = [
    { node: 'node.b' },
    { node: '' },
    { node: 7 },
    { sent: -1 },
    { sent: 1.5 },
    { received: '3' },
    { received: 2 ** 60 },
    { hand: 'up' },
    { hand: null },
    { hand: {} },
    { hand: { at: 'x'.repeat(41) } },
    { hand: { at: '2026-01-01T10:00:00.000Z', question: 'x'.repeat(401) } },
    { hand: { at: '2026-01-01T10:00:00.000Z', question: 7 } },
    { muted: true },
    { muted: { until: 5 } },
  ];
  for (const change of bad)
    assert.equal(readStandingEntry(bytes({ ...ENTRY, ...change })), undefined, JSON.stringify(change));
  assert.equal(readStandingEntry(bytes({ node: 'node-b', sent: 1 })), undefined, 'no received count');
});

test('no bytes make a standing read throw, and what is read has only the fields of a standing', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (data) => void readStandingEntry(data)),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.constantFrom('node', 'sent', 'received', 'hand', 'muted'), fc.jsonValue(), (field, value) => {
      const read = readStandingEntry(bytes({ ...ENTRY, hand: { at: 'now' }, [field]: value }));
      if (!read) return;
      assert.ok(Number.isSafeInteger(read.standing.sent) && Number.isSafeInteger(read.standing.received));
      for (const key of Object.keys(read.standing)) assert.ok(['sent', 'received', 'hand', 'muted'].includes(key));
      if (read.standing.hand) assert.equal(typeof read.standing.hand.at, 'string');
    }),
    { numRuns: 3000 },
  );
});
