/**
 * Calls to the engine: one that fails for a moment is tried again a few times before its failure
 * counts, one that hangs is waited for no longer than its bound, and a write that lost a race is
 * told apart from one that failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, isConflict, retried, settledWithin } from '../../../src/server/cluster/engineCalls';

test('a call that fails a few times and then succeeds gives its result', async () => {
  let calls = 0;
  const result = await retried(
    async () => {
      calls++;
      if (calls < 3) throw new Error(`try ${calls}`);
      return 'done';
    },
    5,
    1,
  );
  assert.equal(result, 'done');
  assert.equal(calls, 3);
});

test('a call that keeps failing is tried as often as allowed, and its last failure counts', async () => {
  let calls = 0;
  await assert.rejects(
    retried(
      async () => {
        calls++;
        throw new Error(`try ${calls}`);
      },
      4,
      1,
    ),
    /try 4/,
  );
  assert.equal(calls, 4);
});

test('a call is tried again only after a pause', async () => {
  const times: number[] = [];
  await retried(
    async () => {
      times.push(performance.now());
      if (times.length < 2) throw new Error('not yet');
    },
    2,
    40,
  );
  assert.ok(times[1]! - times[0]! >= 35, `${times[1]! - times[0]!} ms apart`);
});

test('a call that hangs is waited for no longer than its bound; one that settles is waited for no longer than it takes', async () => {
  let started = performance.now();
  await settledWithin(new Promise(() => {}), 50);
  const hung = performance.now() - started;
  assert.ok(hung >= 45 && hung < 1000, `waited ${hung} ms`);

  started = performance.now();
  await settledWithin(Promise.resolve(), 5_000);
  await settledWithin(Promise.reject(new Error('gone')), 5_000);
  assert.ok(performance.now() - started < 1000, 'a settled call ends the wait (a failure too, and is not thrown)');
});

test("a write that lost a race to another node's is a conflict; other failures are not", () => {
  assert.equal(isConflict(new Error('wrong last sequence: 7')), true);
  assert.equal(isConflict(new Error('key exists')), true);
  assert.equal(isConflict('Wrong Last Sequence'), true);
  assert.equal(isConflict(new Error('TIMEOUT')), false);
  assert.equal(isConflict(new Error('connection closed')), false);
  assert.equal(isConflict(undefined), false);
});

test("a failure's text is its message, or what was thrown", () => {
  assert.equal(errorText(new Error('no responders')), 'no responders');
  assert.equal(errorText('plain'), 'plain');
  assert.equal(errorText(42), '42');
});
