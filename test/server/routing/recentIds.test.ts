/**
 * The memory of delivered message ids stays within every bound whatever is sent: per sender, per
 * address (senders no longer present give way), in all, and in time; a sender's newest ids are
 * the ones it keeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentIds } from '../../../src/server/routing/recentIds';

test('ids sent by many senders from few addresses never pass any bound, and each sender keeps its newest', () => {
  let now = 0;
  const limits = { perSender: 8, perAddress: 40, ttlMs: 5_000, total: 100 };
  const present = new Set<string>();
  const ids = new RecentIds<number>(
    limits,
    () => now,
    (sender) => present.has(sender),
  );
  const sent = new Map<string, number>();
  for (let step = 0; step < 50_000; step++) {
    now += 3;
    const sender = `s${(step * 7919) % 53}`;
    const address = `10.0.0.${(step * 31) % 4}`;
    if (step % 1000 === 0) present.clear();
    if (step % 5 === 0) present.add(sender);
    const count = (sent.get(sender) ?? 0) + 1;
    sent.set(sender, count);
    ids.remember(sender, address, `m${count}`, step);
    assert.ok(ids.size <= limits.total, `${ids.size} ids in all`);
    assert.equal(ids.get(sender, `m${count}`), step, 'the newest id is always remembered');
    if (count > limits.perSender) assert.equal(ids.get(sender, `m${count - limits.perSender}`), undefined);
  }
  now += limits.ttlMs;
  for (const [sender, count] of sent) assert.equal(ids.get(sender, `m${count}`), undefined, 'expired');
});
