/**
 * A registration waiting for its name's claim across relay nodes: what the client sends meanwhile
 * is held up to a limit and handed on in order once the result is in; a connection that closed
 * meanwhile gives its name up; a claim that fails is reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClaimWait, HELD_BEFORE_WELCOME, type Waiter } from '../../../src/server/sessions/claimWait';
import type { JoinResult } from '../../../src/server/routing/hub';

const JOINED: JoinResult = { ok: true, resumed: false, missed: [] };
const TAKEN: JoinResult = { ok: false, refused: 'taken', holder: 'Zoe', held: false };

/** A waiter that writes down what it was told, in order. */
function recorder(closed = () => false): Waiter<string> & { said: string[] } {
  const said: string[] = [];
  return {
    said,
    isClosed: closed,
    leave: () => said.push('leave'),
    joined: (result) => said.push(result.ok ? 'joined' : `refused ${result.refused}`),
    next: (item) => said.push(`next ${item}`),
    failed: (error) => said.push(`failed ${error instanceof Error ? error.message : String(error)}`),
  };
}

/** A claim the test settles. */
function pending(): { promise: Promise<JoinResult>; settle: (result: JoinResult) => void; fail: (e: Error) => void } {
  let settle!: (result: JoinResult) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<JoinResult>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { promise, settle, fail };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('nothing is held before the wait starts', () => {
  const wait = new ClaimWait<string>(3);
  assert.equal(wait.waiting, false);
  assert.equal(wait.hold('a'), false);
});

test('holds up to its limit while waiting, and refuses what comes beyond it', () => {
  const wait = new ClaimWait<string>(3);
  wait.wait(pending().promise, recorder());
  assert.equal(wait.waiting, true);
  assert.deepEqual(
    ['a', 'b', 'c', 'd'].map((item) => wait.hold(item)),
    [true, true, true, false],
  );
});

test('the default limit is the frames a client may send before its welcome', () => {
  const wait = new ClaimWait<number>();
  wait.wait(pending().promise, recorder() as unknown as Waiter<number>);
  for (let item = 0; item < HELD_BEFORE_WELCOME; item++) assert.equal(wait.hold(item), true);
  assert.equal(wait.hold(HELD_BEFORE_WELCOME), false);
});

test('hands the held items on in order after the result, and stops waiting', async () => {
  const wait = new ClaimWait<string>(8);
  const claim = pending();
  const waiter = recorder();
  wait.wait(claim.promise, waiter);
  wait.hold('a');
  wait.hold('b');
  wait.hold('c');
  assert.deepEqual(waiter.said, [], 'nothing before the result');
  claim.settle(JOINED);
  await turn();
  assert.deepEqual(waiter.said, ['joined', 'next a', 'next b', 'next c']);
  assert.equal(wait.waiting, false);
  assert.equal(wait.hold('d'), false, 'what comes after is handled as usual, not held');
});

test('a refusal is said first, and the held items after it as long as the connection is open', async () => {
  const wait = new ClaimWait<string>(8);
  const claim = pending();
  let closed = false;
  const waiter = recorder(() => closed);
  waiter.joined = (result) => {
    waiter.said.push(result.ok ? 'joined' : `refused ${result.refused}`);
    closed = true; // a refused client is closed
  };
  wait.wait(claim.promise, waiter);
  wait.hold('a');
  claim.settle(TAKEN);
  await turn();
  assert.deepEqual(waiter.said, ['refused taken']);
});

test('gives the name up when the connection closed while it was claimed', async () => {
  const wait = new ClaimWait<string>(8);
  const claim = pending();
  let closed = false;
  const waiter = recorder(() => closed);
  wait.wait(claim.promise, waiter);
  wait.hold('a');
  closed = true;
  claim.settle(JOINED);
  await turn();
  assert.deepEqual(waiter.said, ['leave']);
  assert.equal(wait.waiting, false);
});

test('a refused claim of a connection that closed meanwhile has nothing to give up', async () => {
  const wait = new ClaimWait<string>(8);
  const claim = pending();
  const waiter = recorder(() => true);
  wait.wait(claim.promise, waiter);
  claim.settle(TAKEN);
  await turn();
  assert.deepEqual(waiter.said, []);
});

test('reports a claim that failed, and holds nothing more', async () => {
  const wait = new ClaimWait<string>(8);
  const claim = pending();
  const waiter = recorder();
  wait.wait(claim.promise, waiter);
  wait.hold('a');
  claim.fail(new Error('engine gone'));
  await turn();
  assert.deepEqual(waiter.said, ['failed engine gone']);
  assert.equal(wait.waiting, false);
});
