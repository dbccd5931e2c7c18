/**
 * The lasting connection: backoff, the outbox, delivery states, keepalive and the wire trace, against our relay
 * in the test. Restarts of real server processes are in connection.int.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/client/backoff';
import { FramedClient } from '../../src/client/framedClient';
import { connectTcp } from '../../src/client/tcp';
import { openSession } from '../../src/client/connect';
import { FramedPeer, freePort } from '../helpers/relay/peers';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { connectionsForThisFile } from '../helpers/client/sessions';
import { FreezingProxy } from '../helpers/extension/parts';

const relay = relaysForThisFile();
const connection = connectionsForThisFile();

test('backoff grows exponentially up to its cap, with jitter in the upper half', () => {
  const backoff = { ...DEFAULT_BACKOFF, initialMs: 1000, maxMs: 8000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 9].map((attempt) => backoffDelay(attempt, backoff, () => 1)),
    [1000, 2000, 4000, 8000, 8000, 8000],
  );
  assert.deepEqual(
    [1, 2, 3].map((attempt) => backoffDelay(attempt, backoff, () => 0)),
    [500, 1000, 2000],
  );
});

test('messages are pending until acknowledged, then delivered; unknown peers and oversize texts fail with the reason', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Bob');
  const alice = connection({ port, name: 'Alice' });
  await alice.connection.start();
  const ok = alice.connection.send('Bob', 'hallo');
  await alice.delivery(ok.id, 'pending');
  await alice.delivery(ok.id, 'delivered');
  const nobody = alice.connection.send('Carol', 'hallo?');
  assert.deepEqual((await alice.delivery(nobody.id, 'failed')).failure, { code: 'unknown-peer', detail: 'Carol' });
  const big = alice.connection.send('Bob', 'x'.repeat(20_000));
  assert.deepEqual((await alice.delivery(big.id, 'failed')).failure, {
    code: 'rejected',
    detail: 'the text has 20000 bytes; at most 16384 are allowed',
    reason: 'too-large',
  });
  assert.equal(alice.connection.pending.length, 0);
});

test('a first connection that fails is reported at once, in words, without retrying', async () => {
  const port = await freePort();
  const alice = connection({ port, name: 'Alice' });
  await assert.rejects(alice.connection.start(), { name: 'RelayError', code: 'refused' });
  assert.equal(alice.connection.state.kind, 'failed');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(alice.events.filter((event) => event.type === 'state' && event.state.kind === 'connecting').length, 1);
});

test("a message that arrives in the same read as the welcome reaches the session's owner", async () => {
  const welcome = {
    type: 'welcome',
    version: 1,
    name: 'Bob',
    online: ['Alice'],
    limits: { frameBytes: 65536, textBytes: 16384, snippetBytes: 49152, nameLength: 32 },
    server: 'eager',
  };
  const message = { type: 'message', from: 'Alice', text: 'gleich nach dem Willkommen', at: '2026-11-25T10:00:00Z' };
  const eager: Server = createServer((socket) =>
    socket.once('data', () => socket.write(`${JSON.stringify(welcome)}\n${JSON.stringify(message)}\n`)),
  );
  await new Promise<void>((resolve) => eager.listen(0, '127.0.0.1', resolve));
  const { port } = eager.address() as { port: number };
  const bob = connection({ port, name: 'Bob', dialect: 'relay' });
  try {
    await bob.connection.start();
    await bob.incoming('gleich nach dem Willkommen', 2000);
  } finally {
    bob.connection.dispose();
    eager.close();
  }
});

test('the keepalive notices a relay that went silent and closes the session', async () => {
  // A relay that welcomes and then never says anything again, not even pong.
  const sockets = new Set<import('node:net').Socket>();
  const mute: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () =>
      socket.write(
        `${JSON.stringify({ type: 'welcome', version: 1, name: 'Alice', online: [], limits: { frameBytes: 65536, textBytes: 16384, snippetBytes: 49152, nameLength: 32 }, server: 'mute' })}\n`,
      ),
    );
  });
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  const { port } = mute.address() as { port: number };
  const socket = await connectTcp('127.0.0.1', port, 1000);
  const client = await FramedClient.start(socket, { name: 'Alice', client: 'test', timing: { keepaliveMs: 100 } });
  const closed = await new Promise<{ reason: string }>((resolve) =>
    client.onEvent((event) => event.type === 'closed' && resolve(event)),
  );
  assert.equal(closed.reason, 'keepalive');
  for (const open of sockets) open.destroy();
  mute.close();
});

test('a listener that throws is reported, and the other listeners still hear the event', async () => {
  const { Emitter, onListenerError } = await import('../../src/client/events');
  const reported: unknown[] = [];
  const reporting = onListenerError((error) => reported.push(error));
  try {
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    emitter.on(() => {
      throw new Error('kaputt');
    });
    emitter.on((event) => heard.push(event));
    emitter.fire('hallo');
    assert.deepEqual(heard, ['hallo']);
    assert.equal((reported[0] as Error).message, 'kaputt');
  } finally {
    reporting.dispose();
  }
});

test('a student a teacher disconnected is told why and does not reconnect by itself; what was queued fails as not sent', async () => {
  const { port } = await relay({ teacherKey: 'tafel-kreide-schwamm' });
  const teacher = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: 'tafel-kreide-schwamm' });
  const mia = connection({ port, name: 'Mia', dialect: 'relay' });
  await mia.connection.start();
  teacher.send({ type: 'moderate', id: 'd', action: 'disconnect', name: 'Mia', reason: 'Bitte zuhören' });
  const failed = await mia.state('failed');
  assert.ok(failed.kind === 'failed');
  assert.deepEqual(
    { code: failed.error.code, message: failed.error.message },
    { code: 'disconnected-by-teacher', message: 'Bitte zuhören' },
  );
  const queued = mia.connection.send('Frau Keller', 'noch da?');
  assert.deepEqual((await mia.delivery(queued.id, 'failed')).failure?.code, 'disconnected');
});

test("a reconnect speaks the dialect found at the first connect: a frozen relay's silence is not taken for a course server", async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Bob');
  const proxy = await FreezingProxy.start(port);
  try {
    const alice = connection({
      port: proxy.port,
      name: 'Alice',
      framed: { ackTimeoutMs: 400, welcomeTimeoutMs: 600, keepaliveMs: 60_000 },
    });
    await alice.connection.start();
    assert.equal(alice.connection.state.kind === 'connected' && alice.connection.state.dialect, 'relay');
    proxy.freeze();
    const message = alice.connection.send('Bob', 'Hallo?');
    await alice.state('waiting');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    proxy.thaw();
    await alice.delivery(message.id, 'delivered', 15_000);
    const state = alice.connection.state;
    assert.equal(state.kind === 'connected' && state.dialect, 'relay');
  } finally {
    await proxy.close();
  }
});

test('the wire trace hides the resume token both ways', async () => {
  const { port } = await relay();
  const traced: string[] = [];
  const alice = connection({
    port,
    name: 'Alice',
    dialect: 'relay',
    trace: (direction, bytes) => traced.push(`${direction} ${Buffer.from(bytes).toString('utf8')}`),
  });
  await alice.connection.start();
  const first = alice.connection.resume!.token;
  // A second window of Alice presents the token: its hello is traced too.
  const again = connection({
    port,
    name: 'Alice',
    dialect: 'relay',
    resume: alice.connection.resume,
    trace: (direction, bytes) => traced.push(`${direction} ${Buffer.from(bytes).toString('utf8')}`),
  });
  await again.connection.start();
  const text = traced.join('\n');
  assert.ok(text.includes('"token":"(hidden)"'), text);
  assert.ok(text.includes('"resume":"(hidden)"'), text);
  assert.ok(!text.includes(first), 'the token itself never shows');
});

test("what the client notices about a relay's bytes comes as a code for the extension to word, not as an English sentence", async () => {
  const server = createServer((socket) => {
    socket.once('data', () => {
      socket.write(`${JSON.stringify({ type: 'pong', id: 'probe' })}\n`);
      socket.once('data', () =>
        socket.write(
          `${JSON.stringify({ type: 'welcome', version: 1, name: 'Alice', online: [], limits: { frameBytes: 65536, textBytes: 16384, snippetBytes: 49152, nameLength: 32 }, server: 'fake' })}\nkaputt\n${JSON.stringify({ type: 'error', code: 'bad-frame', message: 'x', fatal: false })}\n`,
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const session = await openSession({
      host: '127.0.0.1',
      port: (server.address() as { port: number }).port,
      name: 'Alice',
    });
    const notices: Array<{ code?: string }> = [];
    session.onEvent((event) => {
      if (event.type === 'notice') notices.push(event);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(
      notices.map((notice) => notice.code),
      ['bad-frame', 'relay-error'],
    );
    session.close();
  } finally {
    server.close();
  }
});
