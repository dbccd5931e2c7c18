/**
 * The oldest-first queue of the id memory: items leave from anywhere, the oldest live one is
 * always found, and the array stays within about twice what is live however many come and go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveQueue } from '../../../src/server/routing/liveQueue';

interface Item {
  live: boolean;
  name: number;
}

function leave(queue: LiveQueue<Item>, item: Item): void {
  item.live = false;
  queue.left();
}

test('the oldest live item comes first, and items that left are skipped wherever they were', () => {
  const queue = new LiveQueue<Item>();
  const items = Array.from({ length: 5 }, (_, name) => ({ live: true, name }));
  for (const item of items) queue.push(item);
  leave(queue, items[0]!);
  leave(queue, items[2]!);
  assert.equal(queue.first()?.name, 1);
  assert.equal(queue.size, 3);
  const seen: number[] = [];
  queue.forEachLive((item) => {
    seen.push(item.name);
    return item.name < 3;
  });
  assert.deepEqual(seen, [1, 3], 'stops when asked');
  for (const item of items) if (item.live) leave(queue, item);
  assert.equal(queue.first(), undefined);
  assert.equal(queue.size, 0);
});

test('however many items come and leave, the array holds about twice the live ones at most', () => {
  const queue = new LiveQueue<Item>();
  const live: Item[] = [];
  for (let name = 0; name < 100_000; name++) {
    const item = { live: true, name };
    queue.push(item);
    live.push(item);
    // Leave from the middle as often as from the front: the memory of ids does both.
    if (live.length > 50) leave(queue, live.splice(name % 3 === 0 ? 25 : 0, 1)[0]!);
    assert.ok(queue.slots <= 2 * queue.size + 32, `${queue.slots} slots for ${queue.size} live`);
  }
  assert.equal(queue.size, 50);
  assert.equal(queue.first(), live[0]);
});
