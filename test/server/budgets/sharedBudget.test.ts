/**
 * The relay-wide budgets every class's room draws from (src/server/budgets/sharedBudget.ts): with
 * many rooms each filling its share, the relay's count of ids and of resume bytes stays at its
 * bound; a room that floods pushes out its own oldest, never another room's below a fair share.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedBudget } from '../../../src/server/budgets/sharedBudget';
import { RecentIds, type IdMemoryLimits } from '../../../src/server/routing/recentIds';
import { Registrations, type ResumeLimits } from '../../../src/server/routing/registrations';
import type { Envelope } from '../../../src/server/routing/peer';

/** Each room's own bounds, roomy enough that only the relay-wide one bites. */
const ROOM_IDS: IdMemoryLimits = { perSender: 1000, perAddress: 1000, ttlMs: 60_000, total: 1000 };
const ROOM_RESUME: ResumeLimits = {
  keepMs: 60_000,
  messages: 1000,
  bytes: 1_000_000,
  totalBytes: 1_000_000,
  offlinePerAddress: 10,
  offlineTotal: 10,
  holdMs: 60_000,
};

function message(text: string): Envelope {
  return { type: 'message', id: text, from: 'Anna', text, at: '2026-09-01T08:00:00.000Z' };
}

/** Keeps `envelope` for `key` under the next number, as the hub does once the client took it. */
function keepNext(room: Registrations, key: string, envelope: Envelope): void {
  room.keep(key, envelope, room.nextSeq(key)!);
}

test('ids of many classes each filling its share stay at the relay-wide bound, whatever the number of classes', () => {
  const shared = new SharedBudget(120);
  const rooms = Array.from(
    { length: 40 },
    () =>
      new RecentIds<string>(
        ROOM_IDS,
        () => 0,
        () => true,
        shared,
      ),
  );
  for (let round = 0; round < 10; round++)
    rooms.forEach((room, index) => room.remember(`s${index}`, `10.0.${index}.1`, `m${round}`, 'delivered'));
  assert.equal(shared.used, 120);
  assert.equal(
    rooms.reduce((sum, room) => sum + room.size, 0),
    120,
    'the rooms hold what the budget counts',
  );
  // 40 rooms share 120: each keeps its fair share of 3, its newest.
  assert.deepEqual(new Set(rooms.map((room) => room.size)), new Set([3]));
  assert.equal(rooms[0]!.get('s0', 'm9'), 'delivered');
  assert.equal(rooms[0]!.get('s0', 'm0'), undefined);
});

test("one class flooding ids pushes out its own oldest, never another class's below its share", () => {
  const shared = new SharedBudget(100);
  const quiet = new RecentIds<string>(
    ROOM_IDS,
    () => 0,
    () => true,
    shared,
  );
  const flooding = new RecentIds<string>(
    ROOM_IDS,
    () => 0,
    () => true,
    shared,
  );
  for (let index = 0; index < 40; index++) quiet.remember('Bea', '10.0.0.2', `b${index}`, 'delivered');
  for (let index = 0; index < 5000; index++) flooding.remember('Max', '10.0.0.1', `x${index}`, 'delivered');
  assert.ok(shared.used <= 100, `${shared.used} ids kept in all`);
  assert.equal(quiet.size, 40, 'the quiet class, under its share of 50, keeps every id');
  for (let index = 0; index < 40; index++) assert.equal(quiet.get('Bea', `b${index}`), 'delivered');
  assert.equal(flooding.get('Max', 'x4999'), 'delivered', 'the flooder keeps its newest');
  assert.equal(flooding.get('Max', 'x0'), undefined);

  // Over its share, the quiet class gives way down to its share, not below.
  for (let index = 40; index < 400; index++) quiet.remember('Bea', '10.0.0.2', `b${index}`, 'delivered');
  assert.ok(shared.used <= 100);
  assert.ok(flooding.size >= 50, `the flooder keeps its share: ${flooding.size}`);
  assert.ok(quiet.size >= 50, `the quiet class keeps its share: ${quiet.size}`);
});

test('resume messages of many classes stay at the relay-wide bound; a flooding class gives up its own first', () => {
  const bound = 40_000;
  const shared = new SharedBudget(bound);
  const rooms = Array.from(
    { length: 20 },
    () => new Registrations(ROOM_RESUME, () => 0, { resumeBytes: shared, departed: new SharedBudget(1000) }),
  );
  rooms.forEach((room) => room.create('anna', '10.0.0.1'));
  for (let round = 0; round < 40; round++)
    rooms.forEach((room) => keepNext(room, 'anna', message(`m${round}`.padEnd(100, '.'))));
  assert.ok(shared.used <= bound, `${shared.used} bytes kept in all`);
  assert.equal(
    rooms.reduce((sum, room) => sum + room.keptBytes, 0),
    shared.used,
  );
  assert.ok(shared.used > bound * 0.8, `the bound is used: ${shared.used}`);

  const quiet = new Registrations(ROOM_RESUME, () => 0, { resumeBytes: shared, departed: new SharedBudget(1000) });
  quiet.create('bea', '10.0.0.2');
  for (let index = 0; index < 3; index++) keepNext(quiet, 'bea', message(`b${index}`));
  const flooding = rooms[0]!;
  const before = rooms.map((room) => room.keptBytes);
  for (let index = 0; index < 2000; index++) keepNext(flooding, 'anna', message(`x${index}`.padEnd(1000, '.')));
  assert.ok(shared.used <= bound, `${shared.used} bytes kept in all`);
  assert.deepEqual(
    quiet.since('bea', 0).map((envelope) => envelope.type === 'message' && envelope.text),
    ['b0', 'b1', 'b2'],
    'the quiet class keeps what it kept',
  );
  // 21 classes share the bound: none of the others gives up its share, but for the one message of
  // 400 bytes that crosses it (once, when the flooder's first big message is bigger than all it held).
  const fair = Math.floor(bound / 21);
  rooms.slice(1).forEach((room, index) => {
    const kept = Math.min(before[index + 1]!, fair) - 400;
    assert.ok(room.keptBytes >= kept, `a class keeps ${room.keptBytes} bytes of ${kept} within its share`);
  });
  assert.ok(flooding.keptBytes < before[0]! + 2000 * 2200, 'the flooder gave up its own');
});

test("departed registrations of all classes stay at the relay-wide bound; a class at its share waits, others don't", () => {
  let now = 0;
  const clock = () => now;
  const departed = new SharedBudget(30);
  const limits = { ...ROOM_RESUME, holdMs: 1000, keepMs: 600_000, offlinePerAddress: 1000, offlineTotal: 1000 };
  const shares = { resumeBytes: new SharedBudget(1_000_000), departed };
  const leave = (room: Registrations, key: string) => {
    room.create(key, '10.0.0.1');
    room.offline(key);
  };
  const rooms = Array.from({ length: 10 }, () => new Registrations(limits, clock, shares));
  rooms.forEach((room, index) => {
    for (let student = 0; student < 10; student++) leave(room, `s${index}-${student}`);
  });
  now += 2000;
  rooms.forEach((room, index) => leave(room, `late${index}`));
  assert.equal(departed.used, 30, 'ten classes of eleven departed each keep 30 in all');
  assert.equal(
    rooms.reduce((sum, room) => sum + room.size, 0),
    30,
  );

  // A class that keeps its students leaving, past their hold, gives up its own past its share.
  const quiet = rooms[1]!;
  const quietBefore = quiet.size;
  const flooding = rooms[0]!;
  for (let student = 0; student < 200; student++) {
    leave(flooding, `x${student}`);
    now += 1001;
  }
  assert.equal(departed.used, 30);
  assert.equal(quiet.size, quietBefore, 'the quiet class keeps its departed');

  // Held names never go: a class whose departed are all held and at its share waits; another does not.
  now += 10_000;
  // As the hub does: a new registration only when the class is not saturated.
  let joined = 0;
  while (!flooding.saturated && joined < 40) leave(flooding, `held${joined++}`);
  assert.ok(joined < 40 && flooding.saturated, `the class past its share, all held, waits (after ${joined})`);
  const other = new Registrations(limits, clock, shares);
  assert.equal(other.saturated, false, 'a class with none departed is not kept waiting by another');
  // Classes below their share go on registering, held names piling up, up to twice the bound.
  const others = Array.from({ length: 40 }, () => new Registrations(limits, clock, shares));
  for (const [index, room] of others.entries())
    for (let student = 0; student < 10 && !room.saturated; student++) leave(room, `o${index}-${student}`);
  assert.equal(departed.used, 60, 'held names kept in all: twice the bound, no more');
  assert.ok(others.at(-1)!.saturated);
});
