/**
 * The keeper writes the lesson in batches (src/server/state/lessonKeeper.ts): many changes
 * within stateWriteMs make one write, nothing is written while nothing changed, a failed write
 * is logged once and tried again, and closing writes what is left once more. Time is a manual
 * clock: writes are counted, not timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Classroom } from '../../../src/server/classroom/classroom';
import { LessonKeeper, type KeeperTimers } from '../../../src/server/state/lessonKeeper';
import type { LessonBatch } from '../../../src/server/state/lessonStore';
import type { Envelope } from '../../../src/server/routing/peer';
import { ManualClock } from '../../helpers/time/manualClock';

const WRITE_MS = 500;

function timersOf(clock: ManualClock): KeeperTimers {
  return {
    clock: () => clock.now().getTime(),
    after: (ms, run) => {
      const timer = clock.after(ms, run);
      return () => timer.dispose();
    },
  };
}

/** A store that records each batch; `fail` makes the next writes reject. */
class CountingStore {
  readonly batches: LessonBatch[] = [];
  closed = false;
  fail = false;

  write(batch: LessonBatch): Promise<void> {
    this.batches.push(batch);
    return this.fail ? Promise.reject(new Error('disk full')) : Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }
}

const hint = (text: string): Extract<Envelope, { type: 'broadcast' }> => ({
  type: 'broadcast',
  from: 'Frau Keller',
  text,
  at: '2026-03-02T09:00:00.000Z',
  teacher: true,
});

/** Lets the keeper's settled writes run their continuations. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setUp() {
  const clock = new ManualClock();
  const store = new CountingStore();
  const classroom = new Classroom({ rosterMs: 60_000 }, () => []);
  const lines: string[] = [];
  const keeper = new LessonKeeper(store, classroom, WRITE_MS, (line) => lines.push(line), timersOf(clock));
  return { clock, store, classroom, lines, keeper };
}

test('changes within stateWriteMs are written in one batch, with each changed name once; nothing changed, nothing written', async () => {
  const { clock, store, classroom, keeper } = setUp();
  keeper.start('kreide-tafel-schwamm');
  clock.advance(0);
  await settle();
  assert.equal(store.batches.length, 1, 'the new key is kept at once');
  assert.equal(store.batches[0]!.teacherKey, 'kreide-tafel-schwamm');
  for (let message = 0; message < 1000; message++) classroom.receivedBroadcast(message % 2 === 0 ? 'anna' : 'ben');
  classroom.hint(hint('Tipp'));
  clock.advance(WRITE_MS - 1);
  await settle();
  assert.equal(store.batches.length, 1, 'not before stateWriteMs since the last write');
  clock.advance(1);
  await settle();
  assert.equal(store.batches.length, 2, '1,001 changes, one write');
  const batch = store.batches[1]!;
  assert.deepEqual(batch.standing, [
    ['anna', { sent: 0, received: 500 }],
    ['ben', { sent: 0, received: 500 }],
  ]);
  assert.deepEqual(batch.hints, [hint('Tipp')]);
  assert.equal(batch.teacherKey, undefined, 'the key only once');
  clock.advance(10 * WRITE_MS);
  await settle();
  assert.equal(store.batches.length, 2, 'nothing changed, nothing written');
  assert.equal(clock.pending, 0, 'and no timer waits');
  classroom.receivedBroadcast('anna');
  clock.advance(0);
  await settle();
  assert.equal(store.batches.length, 3, 'a change long after the last write is written at once');
  assert.equal(store.batches[2]!.hints, undefined, 'hints that did not change are not written again');
});

test('closing writes what changed since the last write, once, and closes the store', async () => {
  const { clock, store, classroom, keeper } = setUp();
  keeper.start();
  classroom.receivedBroadcast('anna');
  clock.advance(0);
  await settle();
  classroom.receivedBroadcast('ben');
  await keeper.close();
  assert.deepEqual(
    store.batches.map((batch) => batch.standing.map(([key]) => key)),
    [['anna'], ['ben']],
  );
  assert.ok(store.closed);
  classroom.receivedBroadcast('carl');
  clock.advance(10 * WRITE_MS);
  await settle();
  assert.equal(store.batches.length, 2, 'nothing after closing');
});

test('a failed write is logged once and tried again; the next success says so', async () => {
  const { clock, store, classroom, lines, keeper } = setUp();
  keeper.start();
  store.fail = true;
  classroom.receivedBroadcast('anna');
  clock.advance(0);
  await settle();
  clock.advance(WRITE_MS);
  await settle();
  clock.advance(WRITE_MS);
  await settle();
  assert.equal(store.batches.length, 3, 'tried again each stateWriteMs');
  assert.deepEqual(lines, ['the lesson could not be written: disk full; trying again']);
  store.fail = false;
  clock.advance(WRITE_MS);
  await settle();
  assert.equal(lines.at(-1), 'the lesson is written again');
  clock.advance(10 * WRITE_MS);
  await settle();
  assert.equal(store.batches.length, 4);
});
