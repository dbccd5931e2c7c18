/**
 * One set of socket listeners for every connection: each socket's events reach its own
 * connection, and no socket holds a listener function of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { SocketEvents, connectionOf, ignoreErrors } from '../../../src/server/connections/socketEvents';
import { eventually } from '../../helpers/time/wait';

interface Seen {
  name: string;
  events: string[];
}

async function listening(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, port: address.port };
}

test("each socket's data, end and close reach its own connection", async () => {
  const events = new SocketEvents<Seen>({
    data: (seen, data) => seen.events.push(`data ${data.toString()}`),
    end: (seen) => seen.events.push('end'),
    error: (seen, error) => seen.events.push(`error ${error.message}`),
    close: (seen) => seen.events.push('close'),
  });
  const seen: Seen[] = [];
  const { server, port } = await listening((socket) => {
    const connection = { name: `connection ${seen.length}`, events: [] };
    seen.push(connection);
    events.attach(socket, connection);
  });
  try {
    const first = connect({ host: '127.0.0.1', port });
    await eventually(
      () => seen.length === 1,
      () => 'the first connection',
    );
    const second = connect({ host: '127.0.0.1', port });
    await eventually(
      () => seen.length === 2,
      () => 'the second connection',
    );
    second.end('zwei');
    first.end('eins');
    await eventually(
      () => seen.every((connection) => connection.events.includes('close')),
      () => JSON.stringify(seen),
    );
    assert.deepEqual(
      seen.map(({ name, events: happened }) => ({ name, happened })),
      [
        { name: 'connection 0', happened: ['data eins', 'end', 'close'] },
        { name: 'connection 1', happened: ['data zwei', 'end', 'close'] },
      ],
    );
  } finally {
    server.close();
  }
});

test('every socket shares the same listener functions, and carries its connection', async () => {
  const events = new SocketEvents<Seen>({ data() {}, end() {}, error() {}, close() {} });
  const sockets: Socket[] = [];
  const { server, port } = await listening((socket) => {
    events.attach(socket, { name: `connection ${sockets.length}`, events: [] });
    sockets.push(socket);
  });
  const clients = [connect({ host: '127.0.0.1', port }), connect({ host: '127.0.0.1', port })];
  try {
    await eventually(
      () => sockets.length === 2,
      () => `${sockets.length} sockets`,
    );
    const [a, b] = sockets as [Socket, Socket];
    for (const event of ['data', 'end', 'error', 'close']) {
      assert.equal(a.listeners(event).at(-1), b.listeners(event).at(-1), `${event} listener`);
    }
    assert.equal(connectionOf<Seen>(a)?.name, 'connection 0');
    assert.equal(connectionOf<Seen>(b)?.name, 'connection 1');
  } finally {
    for (const client of clients) client.destroy();
    server.close();
  }
});

test('a socket whose errors are ignored survives a reset by its peer', async () => {
  let accepted: Socket | undefined;
  const { server, port } = await listening((socket) => {
    ignoreErrors(socket);
    accepted = socket;
  });
  try {
    const client = connect({ host: '127.0.0.1', port });
    client.on('error', () => {});
    await once(client, 'connect');
    await eventually(
      () => accepted !== undefined,
      () => 'the connection',
    );
    client.resetAndDestroy();
    // Without a listener, the reset would be an uncaught error and end the test process.
    // (events.once would reject at the error itself.)
    await new Promise((resolve) => accepted!.once('close', resolve));
    assert.equal(connectionOf(accepted!), undefined);
  } finally {
    server.close();
  }
});
