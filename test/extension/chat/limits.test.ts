/**
 * The limits the relay announces in its welcome (text and snippet bytes) are the ones the
 * extension checks against: Message Peer's input box, the panel's composer, Send Selection and
 * a teacher's snippet hint; they are kept while reconnecting. A relay configured with smaller
 * limits is our relay behind a proxy that rewrites the limits of its welcome; real TCP.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { DEFAULT_LIMITS } from '../../../src/protocol/frames';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { hostsForThisFile } from '../../helpers/extension/parts';
import { FramedPeer } from '../../helpers/relay/peers';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const closers: Array<() => unknown> = [];
after(() => Promise.all(closers.map((close) => close())));

/** Our relay as one set up with other limits would greet: the welcome's limits rewritten, everything else passed on. */
async function announcing(target: number, limits: { textBytes: number; snippetBytes: number }): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: target });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (data) => upstream.write(data));
    let pending = '';
    upstream.setEncoding('utf8').on('data', (text: string) => {
      pending += text;
      const end = pending.lastIndexOf('\n') + 1;
      const lines = pending.slice(0, end);
      pending = pending.slice(end);
      client.write(
        lines
          .split('\n')
          .map((line) => {
            if (!line.includes('"type":"welcome"')) return line;
            const frame = JSON.parse(line) as { limits?: object };
            frame.limits = { ...frame.limits, ...limits };
            return JSON.stringify(frame);
          })
          .join('\n'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    sockets.forEach((socket) => socket.destroy());
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as { port: number }).port;
}

const SMALL = { textBytes: 100, snippetBytes: 200 };

test("the relay's announced limits bound Message Peer, the composer and Send Selection, and stay while reconnecting", async () => {
  const first = await relay();
  const bob = await FramedPeer.connect(first.port, 'Bob');
  closers.push(() => bob.close());
  const port = await announcing(first.port, SMALL);
  const alice = host();
  await alice.connect(port, 'Alice');
  assert.deepEqual(alice.parts.session.limits(), { ...DEFAULT_LIMITS, ...SMALL });

  alice.person.answer('peer', 'Bob').answer('text', undefined);
  await alice.parts.send.messagePeer();
  assert.deepEqual(alice.person.asked.find((asked) => asked.kind === 'text')?.args, [
    'Message to Bob',
    'Your message to Bob',
    100,
  ]);

  alice.parts.panel.open();
  await alice.until(() => alice.panel, 'the chat');
  alice.panel!.events.message({ type: 'ready' });
  const init = await alice.until(
    () => alice.panel!.posts.find((post) => post.type === 'init'),
    "the chat's first picture",
  );
  assert.equal(
    init.type === 'init' && init.snapshot.maxTextBytes,
    100,
    'the composer takes at most what the relay takes',
  );

  alice.editors.current = {
    text: 'x = 1\n'.repeat(50),
    empty: false,
    languageId: 'python',
    path: 'a.py',
    startLine: 1,
    endLine: 50,
  };
  await alice.parts.snippets.sendSelection();
  assert.equal(
    alice.person.shown.at(-1)?.message,
    'The selection has 299 bytes; a snippet may have at most 200. Select less code.',
  );
  assert.deepEqual(alice.parts.session.items, [], 'nothing was sent');

  await first.close();
  await alice.until(() => alice.parts.lifecycle.state.kind === 'waiting' || undefined, 'reconnecting');
  assert.deepEqual(
    alice.parts.session.limits(),
    { ...DEFAULT_LIMITS, ...SMALL },
    'while reconnecting, the limits are those of the relay it was connected to',
  );
  const connection = alice.panel!.posts.filter((post) => post.type === 'connection').at(-1);
  assert.equal(connection?.type === 'connection' && connection.maxTextBytes, 100);
});

test('a relay that announces larger limits than the defaults is taken at its word, and so is one with the defaults', async () => {
  const { port: direct } = await relay();
  const larger = await announcing(direct, { textBytes: 32 * 1024, snippetBytes: 96 * 1024 });
  const alice = host();
  await alice.connect(larger, 'Alice');
  assert.deepEqual(
    [alice.parts.session.limits().textBytes, alice.parts.session.limits().snippetBytes],
    [32 * 1024, 96 * 1024],
  );
  const bea = host();
  await bea.connect(direct, 'Bea');
  assert.deepEqual(bea.parts.session.limits(), DEFAULT_LIMITS);
});
