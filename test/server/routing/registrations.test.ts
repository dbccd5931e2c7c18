/**
 * What a registration keeps for a resume: its messages numbered without gaps, within its own
 * bounds (messages, bytes, time) and the room's in all, the oldest of all going first; a dropped
 * registration's messages are gone for good, whatever its name does next.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Envelope } from '../../../src/server/routing/peer';
import { Registrations, type ResumeLimits } from '../../../src/server/routing/registrations';

const LIMITS: ResumeLimits = {
  keepMs: 1000,
  messages: 5,
  bytes: 100_000,
  totalBytes: 100_000,
  offlinePerAddress: 10,
  offlineTotal: 10,
  holdMs: 500,
};

const message = (text: string): Envelope => ({ type: 'message', from: 'Anna', text, at: '2026-09-01T08:00:00.000Z' });
/** Approximately what one short message weighs (registrations.ts: twice its text, and 200). */
const WEIGHT = 2 * 'm00'.length + 200;

function keep(room: Registrations, key: string, text: string): number {
  const seq = room.nextSeq(key)!;
  room.keep(key, message(text), seq);
  return seq;
}

const texts = (envelopes: Envelope[]) => envelopes.map((envelope) => envelope.type === 'message' && envelope.text);

test('kept messages are numbered without gaps; past the bound the oldest go, and a resume gets those after its last', () => {
  const room = new Registrations(LIMITS, () => 0);
  room.create('anna', '10.0.0.1');
  assert.deepEqual(
    Array.from({ length: 8 }, (_, index) => keep(room, 'anna', `m0${index}`)),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  const missed = room.since('anna', 0);
  assert.deepEqual(texts(missed), ['m03', 'm04', 'm05', 'm06', 'm07']);
  assert.deepEqual(
    missed.map((envelope) => envelope.seq),
    [4, 5, 6, 7, 8],
  );
  assert.deepEqual(
    room.since('anna', 6).map((envelope) => envelope.seq),
    [7, 8],
  );
  assert.deepEqual(room.since('anna', 8), []);
  assert.equal(room.keptBytes, 5 * WEIGHT);
});

test('a number handed out but refused on the way is not kept, and the next message takes it', () => {
  const room = new Registrations(LIMITS, () => 0);
  room.create('anna', '10.0.0.1');
  keep(room, 'anna', 'm00');
  assert.equal(room.nextSeq('anna'), 2, 'refused: nothing kept, the number stays');
  keep(room, 'anna', 'm01');
  assert.deepEqual(
    room.since('anna', 0).map((envelope) => envelope.seq),
    [1, 2],
  );
});

test("past the room's bound in all, the messages kept longest ago go first, whoever they were for", () => {
  const room = new Registrations({ ...LIMITS, totalBytes: 4 * WEIGHT }, () => 0);
  room.create('anna', '10.0.0.1');
  room.create('ben', '10.0.0.2');
  keep(room, 'anna', 'a00');
  keep(room, 'ben', 'b00');
  keep(room, 'anna', 'a01');
  keep(room, 'ben', 'b01');
  keep(room, 'ben', 'b02');
  keep(room, 'ben', 'b03');
  assert.deepEqual(texts(room.since('anna', 0)), ['a01']);
  assert.deepEqual(texts(room.since('ben', 0)), ['b01', 'b02', 'b03']);
  assert.equal(room.keptBytes, 4 * WEIGHT);
});

test("a name registered anew starts at 1 and never gets the earlier registration's messages", () => {
  const room = new Registrations({ ...LIMITS, totalBytes: 3 * WEIGHT }, () => 0);
  room.create('anna', '10.0.0.1');
  for (let index = 0; index < 3; index++) keep(room, 'anna', `a0${index}`);
  room.create('anna', '10.0.0.1');
  assert.equal(room.keptBytes, 0);
  assert.deepEqual(room.since('anna', 0), []);
  assert.equal(keep(room, 'anna', 'n00'), 1);
  room.create('ben', '10.0.0.2');
  keep(room, 'ben', 'b00');
  keep(room, 'ben', 'b01');
  // Past the bound in all the oldest message still kept goes (Anna's new one): the first registration's count no more.
  keep(room, 'ben', 'b02');
  assert.deepEqual(texts(room.since('anna', 0)), []);
  assert.deepEqual(texts(room.since('ben', 0)), ['b00', 'b01', 'b02']);
});

test('messages older than the keep time are forgotten, and stay counted no more', () => {
  let now = 0;
  const room = new Registrations(LIMITS, () => now);
  room.create('anna', '10.0.0.1');
  keep(room, 'anna', 'm00');
  now = 600;
  keep(room, 'anna', 'm01');
  now = 1000;
  room.sweep();
  assert.deepEqual(texts(room.since('anna', 0)), ['m01']);
  assert.equal(room.keptBytes, WEIGHT);
});

test('many thousands of messages through a small bound keep exactly what the bounds say', () => {
  const room = new Registrations({ ...LIMITS, totalBytes: 10 * WEIGHT }, () => 0);
  const names = ['anna', 'ben', 'carla'];
  for (const name of names) room.create(name, '10.0.0.1');
  for (let index = 0; index < 30_000; index++) {
    const name = names[index % 3]!;
    if (index % 997 === 0) room.create(name, '10.0.0.1');
    keep(room, name, `m${String(index % 100).padStart(2, '0')}`);
  }
  const kept = names.flatMap((name) => room.since(name, 0));
  assert.equal(room.keptBytes, kept.length * WEIGHT);
  assert.ok(kept.length <= 10);
});

test('a registration another node held is continued here: what it kept is kept here under its numbers, and numbering goes on', () => {
  const dropped: string[] = [];
  const room = new Registrations(
    LIMITS,
    () => 0,
    undefined,
    (key, id) => dropped.push(`${key}/${id}`),
  );
  const kept = [7, 8, 9].map((seq) => ({ ...message(`m${seq}`), seq }));
  const unkept = room.adopt('anna', '10.0.0.1', { id: 'registration-of-anna', nextSeq: 10, teacher: false }, kept);
  assert.deepEqual(unkept, []);
  assert.equal(room.idOf('anna'), 'registration-of-anna');
  assert.deepEqual(texts(room.since('anna', 7)), ['m8', 'm9']);
  assert.equal(keep(room, 'anna', 'm10'), 10);
  room.drop('anna');
  assert.deepEqual(dropped, ['anna/registration-of-anna']);
});

test('what another node kept with a gap in its numbers: only the run after the gap is kept here, the rest is handed back', () => {
  const room = new Registrations(LIMITS, () => 0);
  const kept = [3, 5, 6].map((seq) => ({ ...message(`m${seq}`), seq }));
  const unkept = room.adopt('anna', '10.0.0.1', { id: 'registration-of-anna', nextSeq: 7, teacher: false }, kept);
  assert.deepEqual(
    unkept.map((envelope) => envelope.seq),
    [3],
  );
  assert.deepEqual(
    room.since('anna', 0).map((envelope) => envelope.seq),
    [5, 6],
  );
  assert.equal(room.nextSeq('anna'), 7);
  const nothing = room.adopt('ben', '10.0.0.2', { id: 'registration-of-ben0', nextSeq: 4, teacher: false }, []);
  assert.deepEqual(nothing, []);
  assert.equal(room.nextSeq('ben'), 4);
});
