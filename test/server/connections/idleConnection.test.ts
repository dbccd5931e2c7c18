/**
 * An idle connection lets go of what it holds only while it sends or is written to (its input
 * gate, its output), and what is made again afterwards behaves as before: the output cap and
 * the relay's output budget still count, and input held back by its allowance keeps its gate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { ClientConnection, type ConnectionParts } from '../../../src/server/connections/clientConnection';
import { letIdleGo, type Connection } from '../../../src/server/connections/relayConnection';
import { InputGate } from '../../../src/server/budgets/inputGate';
import { OutputPool } from '../../../src/server/budgets/outputPool';
import { RateLimiter } from '../../../src/server/budgets/rateLimiter';
import { RelayLog } from '../../../src/server/log';
import { resolvePolicy } from '../../../src/server/policy/policy';
import type { Rooms } from '../../../src/server/classes/rooms';
import { eventually } from '../../helpers/time/wait';

/** A connected pair of sockets: the relay's end and the client's. */
async function socketPair(): Promise<{ relayEnd: Socket; clientEnd: Socket; close(): void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const clientEnd = connect({ host: '127.0.0.1', port: address.port });
  const [relayEnd] = await accepted;
  relayEnd.on('error', () => {});
  clientEnd.on('error', () => {});
  return {
    relayEnd,
    clientEnd,
    close() {
      relayEnd.destroy();
      clientEnd.destroy();
      server.close();
    },
  };
}

function connectionOn(socket: Socket, outputCap = 1024) {
  const policy = resolvePolicy({ output: { messageBytes: outputCap, headroomBytes: 256 } });
  const log = new RelayLog(() => {});
  const pool = new OutputPool(policy.outputTotal);
  const parts: ConnectionParts = {
    policy,
    // Rooms are for sessions; these tests have none.
    rooms: undefined as unknown as Rooms,
    rate: new RateLimiter(policy.rate),
    log,
    serverLog: log.forUnregistered(policy.logLimit),
    pool,
    errorBudgetSpent() {},
    registered() {},
  };
  const link = new ClientConnection(socket, '127.0.0.1', parts);
  const connection: Connection = { link, session: undefined, gate: undefined };
  return { connection, link, pool };
}

test('an idle connection lets its output go; the next write makes one that keeps the cap and counts in the pool', async () => {
  const pair = await socketPair();
  try {
    const { connection, link, pool } = connectionOn(pair.relayEnd, 1000);
    const first = link.out;
    assert.equal(first.write(new Uint8Array(10), 'reply'), true);
    await eventually(
      () => first.idle,
      () => 'the first write taken by the system',
    );
    // Paced, as for a course client framing by pauses: a second message waits in the output.
    link.pace(60_000);
    letIdleGo(connection);
    const second = link.out;
    assert.notEqual(second, first, 'a new output after the idle one went');
    const message = new Uint8Array(600);
    assert.equal(second.write(message, 'message'), true);
    assert.equal(second.write(message, 'message'), true);
    assert.ok(pool.usedBytes >= message.length, "what waits counts in the relay's output pool");
    assert.equal(second.fits(message.length), false, 'the cap counts what waits');
    letIdleGo(connection);
    assert.equal(link.out, second, 'an output with bytes waiting stays');
    // Its pacing timer ends with the connection, not a minute later.
    link.destroy('test');
  } finally {
    pair.close();
  }
});

test('a destroyed connection never makes an open output again', async () => {
  const pair = await socketPair();
  try {
    const { link } = connectionOn(pair.relayEnd);
    link.destroy('test');
    assert.equal(link.out.fits(1), false);
    assert.equal(link.out.write(new Uint8Array(1), 'reply'), false);
  } finally {
    pair.close();
  }
});

test('a gate goes once its allowance is full again, but not while it holds input back', async () => {
  const pair = await socketPair();
  try {
    const { connection, link } = connectionOn(pair.relayEnd);
    const handled: string[] = [];
    const limit = { perSecond: 1, burst: 2, addressPerSecond: 1000, addressBurst: 1000, holdMs: 60_000 };
    connection.gate = new InputGate(
      link.socket,
      limit,
      new RateLimiter({ perMinute: 60_000, burst: 1000 }),
      link.address,
      (data) => handled.push(data.toString()),
      () => {},
      () => true,
    );
    connection.gate.push(Buffer.from('a\nb\nc\n'));
    assert.deepEqual(handled, ['a\nb\n']);
    letIdleGo(connection);
    assert.notEqual(connection.gate, undefined, 'holding "c": the gate stays');
    await eventually(
      () => handled.length === 2,
      () => `handled ${JSON.stringify(handled)}`,
    );
    await eventually(
      () => {
        letIdleGo(connection);
        return connection.gate === undefined;
      },
      () => 'the gate let go once its allowance was full again',
    );
  } finally {
    pair.close();
  }
});
