/**
 * A connection's output: what one turn of the event loop writes leaves in one socket write, and
 * every byte counts against the connection's cap and the relay's pool from the moment it is
 * written until the system has taken it, whether it still waits for the turn's end or not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turnEnds } from 'node:timers/promises';
import type { Socket } from 'node:net';
import { Outbound } from '../../../src/server/budgets/outbound';
import { OutputPool } from '../../../src/server/budgets/outputPool';

/** A socket that records its writes; the system takes them when `take` is called. */
function recordingSocket() {
  const writes: Buffer[] = [];
  const taken: Array<() => void> = [];
  let ended = false;
  const socket = {
    writable: true,
    writableLength: 0,
    destroyed: false,
    write(bytes: Uint8Array, done?: () => void) {
      writes.push(Buffer.from(bytes));
      socket.writableLength += bytes.length;
      taken.push(() => {
        socket.writableLength -= bytes.length;
        done?.();
      });
      return true;
    },
    end() {
      ended = true;
    },
    destroy() {
      socket.destroyed = true;
      socket.writable = false;
    },
  };
  return {
    socket: socket as unknown as Socket,
    writes,
    get ended() {
      return ended;
    },
    take: () => taken.splice(0).forEach((done) => done()),
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const CAP = { messageBytes: 100, headroomBytes: 20 };
const POOL = { messageBytes: 1000, headroomBytes: 100, reserveBytes: 10 };
const POOL_LARGE = { messageBytes: 1 << 20, headroomBytes: 1 << 16, reserveBytes: 1 << 16 };

test('frames written in one turn leave in one socket write, in the order they were written', async () => {
  const wire = recordingSocket();
  const out = new Outbound(
    wire.socket,
    CAP,
    { outputOverflowed: () => assert.fail('no overflow') },
    new OutputPool(POOL),
  );
  assert.ok(out.write(bytes('{"a":1}\n'), 'message'));
  assert.ok(out.write(bytes('{"b":2}\n'), 'reply'));
  assert.ok(out.write(bytes('{"c":3}\n'), 'message'));
  assert.equal(wire.writes.length, 0, 'nothing is written before the turn ends');
  await turnEnds();
  assert.equal(wire.writes.length, 1);
  assert.equal(wire.writes[0]!.toString(), '{"a":1}\n{"b":2}\n{"c":3}\n');
  out.write(bytes('{"d":4}\n'), 'message');
  await turnEnds();
  assert.deepEqual(
    wire.writes.map((write) => write.toString()),
    ['{"a":1}\n{"b":2}\n{"c":3}\n', '{"d":4}\n'],
    'the next turn writes again',
  );
});

test('output waiting for the end of the turn counts against the pool and the cap until the system took it', async () => {
  const wire = recordingSocket();
  const pool = new OutputPool(POOL);
  const out = new Outbound(wire.socket, CAP, { outputOverflowed: () => assert.fail('no overflow') }, pool);
  out.write(bytes('x'.repeat(40)), 'message');
  out.write(bytes('y'.repeat(40)), 'message');
  assert.equal(pool.usedBytes, 80, 'counted in the pool as soon as it is written');
  assert.equal(out.pendingBytes, 80, 'and against the connection');
  assert.equal(out.fits(30), false, 'a message past the cap is refused, the unwritten output counted');
  assert.equal(out.write(bytes('z'.repeat(30)), 'message'), false);
  await turnEnds();
  assert.equal(pool.usedBytes, 80, 'still counted while the socket holds it');
  assert.equal(out.pendingBytes, 80);
  wire.take();
  assert.equal(pool.usedBytes, 0, 'released once the system took it');
  assert.equal(out.pendingBytes, 0);
});

test('a reply past the cap and its headroom, counting the unwritten output of the turn, closes the connection', () => {
  const wire = recordingSocket();
  let overflowed = 0;
  const out = new Outbound(wire.socket, CAP, { outputOverflowed: () => overflowed++ }, new OutputPool(POOL));
  out.write(bytes('x'.repeat(100)), 'message');
  assert.equal(out.write(bytes('y'.repeat(21)), 'reply'), false);
  assert.equal(overflowed, 1);
});

test('a connection that ends writes the output of its turn first, then ends', () => {
  const wire = recordingSocket();
  const out = new Outbound(
    wire.socket,
    CAP,
    { outputOverflowed: () => assert.fail('no overflow') },
    new OutputPool(POOL),
  );
  out.write(bytes('last words\n'), 'reply');
  let ended = false;
  out.whenQueueEmpty(() => {
    ended = true;
    assert.equal(wire.writes.length, 1, 'written before the end');
  });
  assert.ok(ended);
  assert.equal(wire.writes[0]!.toString(), 'last words\n');
});

test('output of a connection closed before its turn ended is dropped and leaves the pool', async () => {
  const wire = recordingSocket();
  const pool = new OutputPool(POOL);
  const out = new Outbound(wire.socket, CAP, { outputOverflowed: () => assert.fail('no overflow') }, pool);
  out.write(bytes('x'.repeat(50)), 'message');
  out.dispose();
  assert.equal(pool.usedBytes, 0);
  await turnEnds();
  assert.equal(wire.writes.length, 0);
});

test('a paced client gets what its turn wrote before the first paced message', async () => {
  const wire = recordingSocket();
  const out = new Outbound(
    wire.socket,
    CAP,
    { outputOverflowed: () => assert.fail('no overflow') },
    new OutputPool(POOL),
  );
  out.write(bytes('reply'), 'reply');
  out.pace(1000);
  out.write(bytes('message'), 'message', 'Anna');
  assert.deepEqual(
    wire.writes.map((write) => write.toString()),
    ['reply', 'message'],
  );
  out.dispose();
  await turnEnds();
});

test('a large frame leaves at once, with what the turn wrote before it', () => {
  const wire = recordingSocket();
  const out = new Outbound(
    wire.socket,
    { messageBytes: 1 << 20, headroomBytes: 1 << 16 },
    { outputOverflowed: () => {} },
    new OutputPool(POOL_LARGE),
  );
  out.write(bytes('small\n'), 'reply');
  out.write(bytes('x'.repeat(40_000)), 'message');
  assert.equal(wire.writes.length, 1);
  assert.equal(wire.writes[0]!.length, 40_006);
});

test('text and bytes written in one turn leave in one write, in the order they were written', async () => {
  const wire = recordingSocket();
  const out = new Outbound(
    wire.socket,
    CAP,
    { outputOverflowed: () => assert.fail('no overflow') },
    new OutputPool(POOL),
  );
  out.write('{"a":"ä"}\n', 'reply');
  out.write(bytes('{"b":2}\n'), 'message');
  out.write('{"c":"✓"}\n', 'message');
  out.write('{"d":4}\n', 'message');
  assert.equal(out.pendingBytes, Buffer.byteLength('{"a":"ä"}\n{"b":2}\n{"c":"✓"}\n{"d":4}\n'));
  await turnEnds();
  assert.equal(wire.writes.length, 1);
  assert.equal(wire.writes[0]!.toString(), '{"a":"ä"}\n{"b":2}\n{"c":"✓"}\n{"d":4}\n');
});
