import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBody } from '../../bench/sideBySide/body';
import { DeliveryChecker, faultless } from '../../bench/sideBySide/checker';

function sent(checker: DeliveryChecker, from: number, to: number): string {
  return encodeBody({ from, to, seq: checker.send(from, to), sentUs: 1 }, 64);
}

test('messages that all arrive, in order per pair, pass', () => {
  const checker = new DeliveryChecker(3);
  const a = [sent(checker, 0, 1), sent(checker, 0, 1)];
  const b = sent(checker, 2, 1);
  assert.ok(checker.receive(1, 2, b).ok);
  for (const text of a) assert.ok(checker.receive(1, 0, text).ok);
  const result = checker.result();
  assert.deepEqual(result, { sent: 3, delivered: 3, lost: 0, corrupted: 0, duplicated: 0, reordered: 0 });
  assert.ok(faultless(result));
});

test('a message that never arrives is lost, whether in the middle or at the end', () => {
  const checker = new DeliveryChecker(2);
  const texts = [sent(checker, 0, 1), sent(checker, 0, 1), sent(checker, 0, 1), sent(checker, 0, 1)];
  checker.receive(1, 0, texts[0]!);
  checker.receive(1, 0, texts[2]!);
  const result = checker.result();
  assert.equal(result.lost, 2);
  assert.equal(result.delivered, 2);
  assert.ok(!faultless(result));
});

test('a message that arrives after a later one of its pair is out of order, not lost', () => {
  const checker = new DeliveryChecker(2);
  const [first, second] = [sent(checker, 0, 1), sent(checker, 0, 1)];
  assert.ok(checker.receive(1, 0, second).ok);
  assert.deepEqual(checker.receive(1, 0, first), { ok: false, fault: 'reordered' });
  assert.deepEqual(checker.result(), { sent: 2, delivered: 1, lost: 0, corrupted: 0, duplicated: 0, reordered: 1 });
});

test('a message that arrives twice is a duplicate', () => {
  const checker = new DeliveryChecker(2);
  const text = sent(checker, 0, 1);
  checker.receive(1, 0, text);
  assert.deepEqual(checker.receive(1, 0, text), { ok: false, fault: 'duplicated' });
  assert.equal(checker.result().duplicated, 1);
});

test('a changed body, a wrong recipient or a sender named wrongly is corrupted, and the message still lost', () => {
  const checker = new DeliveryChecker(3);
  const text = sent(checker, 0, 1);
  assert.deepEqual(
    checker.receive(
      1,
      0,
      text.replace(/.$/, (last) => (last === '0' ? '1' : '0')),
    ),
    {
      ok: false,
      fault: 'corrupted',
    },
  );
  assert.deepEqual(checker.receive(2, 0, text), { ok: false, fault: 'corrupted' });
  assert.deepEqual(checker.receive(1, 2, text), { ok: false, fault: 'corrupted' });
  assert.deepEqual(checker.result(), { sent: 1, delivered: 0, lost: 1, corrupted: 3, duplicated: 0, reordered: 0 });
});

test('a message that was never sent is corrupted, not delivered', () => {
  const checker = new DeliveryChecker(2);
  const text = encodeBody({ from: 0, to: 1, seq: 0, sentUs: 1 }, 64);
  assert.deepEqual(checker.receive(1, 0, text), { ok: false, fault: 'corrupted' });
});

test('a broadcast must reach each recipient once; a recipient it misses counts one lost', () => {
  const checker = new DeliveryChecker(4);
  const seq = checker.sendBroadcast(3, [0, 1, 2]);
  const text = encodeBody({ from: 3, to: -1, seq, sentUs: 1 }, 64);
  assert.ok(checker.receive(0, 3, text).ok);
  assert.ok(checker.receive(1, 3, text).ok);
  assert.deepEqual(checker.result(), { sent: 3, delivered: 2, lost: 1, corrupted: 0, duplicated: 0, reordered: 0 });
});

test('bytes that cannot be cut into messages count as corrupted', () => {
  const checker = new DeliveryChecker(2);
  checker.garbled();
  assert.equal(checker.result().corrupted, 1);
});
