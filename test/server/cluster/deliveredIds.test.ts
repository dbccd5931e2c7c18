/** The memory of messages handed over for another node stays within its count, forgetting the oldest first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveredIds, deliveredId } from '../../../src/server/cluster/deliveredIds';

const DELIVERED = { status: 'delivered' } as const;

test('the memory holds at most its capacity and forgets the oldest first', () => {
  const ids = new DeliveredIds(3);
  for (const id of ['m1', 'm2', 'm3', 'm4']) ids.remember(id, DELIVERED);
  assert.equal(ids.get('m1'), undefined);
  assert.deepEqual(
    ['m2', 'm3', 'm4'].map((id) => ids.get(id)),
    [DELIVERED, DELIVERED, DELIVERED],
  );
});

test('an id remembered again counts as new and outlives those remembered before it', () => {
  const ids = new DeliveredIds(2);
  ids.remember('m1', DELIVERED);
  ids.remember('m2', DELIVERED);
  ids.remember('m1', { status: 'unknown-peer' });
  ids.remember('m3', DELIVERED);
  assert.equal(ids.get('m2'), undefined);
  assert.deepEqual(ids.get('m1'), { status: 'unknown-peer' });
  assert.deepEqual(ids.get('m3'), DELIVERED);
});

test('the same message id of two senders, or of one sender in two rooms, is two entries', () => {
  const keys = new Set([
    deliveredId('', 'Zoe', 'm1'),
    deliveredId('', 'Carl', 'm1'),
    deliveredId('4kx-92m', 'Zoe', 'm1'),
  ]);
  assert.equal(keys.size, 3);
});
