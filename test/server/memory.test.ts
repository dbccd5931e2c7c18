/**
 * Memory across all connections: what the relay writes to every client together counts against
 * one budget, so clients that stop reading, each within its own cap, cannot grow the relay past
 * the ceiling docs/reliability.md states; clients that read still get their messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { UNTHROTTLED_INPUT } from '../helpers/relay/allowances';
import { FramedPeer } from '../helpers/relay/peers';
import { OutputPool, type PooledOutput } from '../../src/server/budgets/outputPool';

const relay = relaysForThisFile();

const KIB = 1024;
const TEXT = 'x'.repeat(16 * KIB - 200);

test('clients that stop reading fill at most the output budget of all together; messages past it are refused recipient-busy', async () => {
  const total = { messageBytes: 512 * KIB, headroomBytes: 128 * KIB, reserveBytes: 32 * KIB };
  const { port, relay: server } = await relay({
    outputTotal: total,
    rate: { perMinute: 1_000_000, burst: 1_000_000 },
    input: UNTHROTTLED_INPUT,
  });
  const sleepers = await Promise.all(
    Array.from({ length: 4 }, async (_, index) => {
      const peer = await FramedPeer.connect(port, `Schläfer ${index}`);
      peer.socket.pause();
      return peer;
    }),
  );
  const sender = await FramedPeer.connect(port, 'Absenderin');
  let most = 0;
  let busy = 0;
  // The system's socket buffers take some megabytes first; what waits beyond them is the relay's.
  for (let index = 0; index < 8000 && busy < 50; index++) {
    sender.send({ type: 'send', id: `m${index}`, to: `Schläfer ${index % 4}`, text: TEXT });
    const ack = await sender.next('ack');
    if (ack.status === 'rejected' && ack.reason === 'recipient-busy') busy++;
    most = Math.max(most, server.outputWaitingBytes);
  }
  assert.ok(
    most <= total.messageBytes + total.headroomBytes,
    `${Math.round(most / KIB)} KiB waited for all clients at once; the budget is ${total.messageBytes / KIB} KiB`,
  );
  assert.ok(busy > 0, 'no message was refused recipient-busy');
  // A client that reads still gets messages: it has almost nothing waiting.
  const reader = await FramedPeer.connect(port, 'Leserin');
  sender.send({ type: 'send', id: 'an-leserin', to: 'Leserin', text: 'hallo' });
  assert.equal((await sender.next('ack', (ack) => ack.id === 'an-leserin')).status, 'delivered');
  assert.equal((await reader.next('message')).text, 'hallo');
  for (const sleeper of sleepers) sleeper.drop();
});

test('once replies would pass the headroom too, the connections with the most waiting are closed until they fit', () => {
  const pool = new OutputPool({ messageBytes: 100, headroomBytes: 20, reserveBytes: 10 });
  const members: Array<PooledOutput & { evicted: boolean }> = [30, 80, 5].map((waiting) => {
    const member = {
      pendingBytes: waiting,
      evicted: false,
      evict: () => {
        member.evicted = true;
        pool.leave(member, member.pendingBytes);
      },
    };
    pool.join(member);
    pool.add(waiting);
    return member;
  });
  assert.equal(pool.fitsMessage(10, 0), false, 'past the budget, a message for a client with nothing waiting…');
  assert.equal(pool.fitsMessage(5, 5), true, '… fits only within its reserve');
  assert.equal(pool.makeRoomForReply(10), true);
  assert.deepEqual(
    members.map((member) => member.evicted),
    [false, true, false],
  );
  assert.equal(pool.usedBytes, 35);
});
