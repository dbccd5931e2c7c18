/**
 * Relay nodes as separate processes (serve --nats) and what happens when one dies: killed with
 * SIGKILL while 30 clients send, its clients move to the other node within seconds and every
 * message acknowledged as delivered arrives exactly once; its names are free again on the other
 * node; and one NATS server of three may die while traffic goes on.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNatsServers, type NatsServers } from '../../../scripts/natsCluster.mjs';
import type { RelayNode } from '../../../src/protocol/address';
import { connectionsForThisFile } from '../../helpers/client/sessions';
import { serveArgs, start, stopAll, type Child } from '../../helpers/process/processes';
import { FramedPeer, freePort } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';

const connection = connectionsForThisFile();
const started: NatsServers[] = [];
after(async () => {
  await stopAll();
  await Promise.all(started.map((nats) => nats.stop()));
});

/** Limits raised for many clients of one address (127.0.0.1). */
const RAISED = [
  ...['--max-per-address', '500', '--max-unregistered-per-address', '500'],
  ...['--registrations-per-minute', '10000', '--registration-burst', '1000'],
];

async function nats(count: number): Promise<NatsServers> {
  const servers = await startNatsServers({ count });
  started.push(servers);
  return servers;
}

async function relayNode(name: string, urls: readonly string[]): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const args = serveArgs(port, '--state', 'none', '--nats', urls.join(','), '--node', name, ...RAISED);
  const child = start(process.execPath, args);
  await child.waitFor('listening', 20_000);
  return { child, port };
}

/** `count` NATS servers and relay nodes `a` and `b` on them. */
async function twoNodes(count: number) {
  const servers = await nats(count);
  return { servers, a: await relayNode('a', servers.urls), b: await relayNode('b', servers.urls) };
}

const node = (port: number): RelayNode => ({ transport: 'tcp', host: '127.0.0.1', port });

/** Polls an asynchronous `probe` until it gives a value. */
async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Registers `name` on the node at `port` as soon as the cluster lets it go (tried every half second, 20 s at most). */
function registeredOnceFree(port: number, name: string): Promise<FramedPeer> {
  return until(
    async () => {
      const attempt = await FramedPeer.hello(port, name);
      if (attempt.answer.type === 'welcome') return attempt.peer;
      attempt.peer.drop();
      return undefined;
    },
    `${name} registered on port ${port}`,
    20_000,
    500,
  );
}

/** How many names a client of the node at `port` sees online (itself left out). */
async function onlineSeenFrom(peer: FramedPeer, id: string): Promise<number> {
  peer.send({ type: 'who', id });
  return (await peer.next('online', (page) => page.id === id)).total;
}

test('a relay node killed while 30 clients send: they are on the other node within seconds, and every acknowledged message arrives exactly once', async (t) => {
  const { a, b } = await twoNodes(1);
  // Twenty start on a, ten on b; each knows both nodes.
  const clients = Array.from({ length: 30 }, (_, index) => {
    const [first, second] = index < 20 ? [a.port, b.port] : [b.port, a.port];
    return connection({
      port: first,
      name: `s${String(index).padStart(2, '0')}`,
      dialect: 'relay',
      alternates: [node(second)],
    });
  });
  await Promise.all(clients.map((client) => client.connection.start()));
  const names = clients.map((client) => client.connection.name);
  for (const port of [a.port, b.port]) {
    const watcher = await FramedPeer.connect(port, `watch${port}`);
    let asked = 0;
    await until(
      async () => ((await onlineSeenFrom(watcher, `w${asked++}`)) >= 30 ? true : undefined),
      'all 30 clients online',
      15_000,
    );
    watcher.drop();
  }

  const sent: { id: string; from: number; to: number; text: string }[] = [];
  let round = 0;
  const sendRound = () => {
    for (const [from, client] of clients.entries()) {
      const to = (from + 1 + (round % 29)) % 30;
      const text = `${names[from]}→${names[to]} #${round}`;
      sent.push({ id: client.connection.send(names[to]!, text).id, from, to, text });
    }
    round++;
  };
  const sender = setInterval(sendRound, 100);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const killedAt = Date.now();
    a.child.process.kill('SIGKILL');
    await a.child.exited;
    // Every client of a is connected again, on b.
    await eventually(
      () =>
        clients.every(
          (client) => client.connection.state.kind === 'connected' && client.connection.node?.port === b.port,
        ),
      () =>
        `all on b; ${clients.filter((client) => client.connection.node?.port !== b.port || client.connection.state.kind !== 'connected').length} are not`,
      30_000,
      100,
    );
    const movedAfterMs = Date.now() - killedAt;
    t.diagnostic(`all 20 clients of the killed node were connected on the other after ${movedAfterMs} ms`);
    assert.ok(movedAfterMs < 20_000, `moved after ${movedAfterMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    clearInterval(sender);
  }

  // Everything sent is settled: delivered, or failed (a recipient away while it moved).
  const settled = (id: string, client: (typeof clients)[number]) =>
    client.events.find(
      (event) =>
        event.type === 'delivery' && event.id === id && (event.state === 'delivered' || event.state === 'failed'),
    );
  await eventually(
    () => sent.every((message) => settled(message.id, clients[message.from]!)),
    () =>
      `${sent.filter((message) => !settled(message.id, clients[message.from]!)).length} of ${sent.length} unsettled`,
    60_000,
    100,
  );
  const received = (to: number) =>
    clients[to]!.events.flatMap((event) =>
      event.type === 'incoming' && event.event.type === 'message' ? [event.event.text] : [],
    );
  const delivered = sent.filter((message) => {
    const outcome = settled(message.id, clients[message.from]!);
    return outcome?.type === 'delivery' && outcome.state === 'delivered';
  });
  // Give the last deliveries a moment to be read.
  await eventually(
    () => delivered.every((message) => received(message.to).includes(message.text)),
    () =>
      `acknowledged but not received: ${JSON.stringify(delivered.filter((message) => !received(message.to).includes(message.text)).slice(0, 5))}`,
    10_000,
  );
  for (const [index] of clients.entries()) {
    const texts = received(index);
    assert.equal(new Set(texts).size, texts.length, `${names[index]} received a message twice`);
  }
  t.diagnostic(`${sent.length} sent, ${delivered.length} acknowledged as delivered, each received once`);
  assert.ok(delivered.length > sent.length / 2, `${delivered.length} of ${sent.length} delivered`);
});

test("a name held by a node that died is free on another node once the node's heartbeat is missing", async () => {
  const { a, b } = await twoNodes(1);
  const alice = await FramedPeer.connect(a.port, 'Alice');
  const refused = await FramedPeer.hello(b.port, 'Alice');
  assert.equal(refused.answer.type === 'error' && refused.answer.code, 'name-taken');
  refused.peer.drop();
  a.child.process.kill('SIGKILL');
  await a.child.exited;
  alice.drop();
  const diedAt = Date.now();
  const registered = await registeredOnceFree(b.port, 'Alice');
  assert.ok(Date.now() - diedAt < 15_000);
  registered.drop();
});

test('one NATS server of three killed: messages between the nodes go on', async () => {
  const { servers, a, b } = await twoNodes(3);
  const alice = await FramedPeer.connect(a.port, 'Alice');
  const bob = await FramedPeer.connect(b.port, 'Bob');
  const exchange = async (id: string) => {
    let attempt = 0;
    await until(
      async () => {
        const tried = `${id}-${attempt++}`;
        alice.send({ type: 'send', id: tried, to: 'Bob', text: id });
        return (await alice.next('ack', (ack) => ack.id === tried, 5000)).status === 'delivered' ? true : undefined;
      },
      `${id} delivered`,
      20_000,
      500,
    );
    assert.equal((await bob.next('message', (message) => message.text === id, 5000)).text, id);
  };
  await exchange('before');
  await servers.servers[0]!.kill('SIGKILL');
  await exchange('after');
  alice.drop();
  bob.drop();
});

test('a node paused past its heartbeat: its name is taken over elsewhere, and stays with the new holder once the node is back', async () => {
  const { a, b } = await twoNodes(1);
  const first = await FramedPeer.connect(a.port, 'Bob');
  a.child.process.kill('SIGSTOP');
  let second: FramedPeer | undefined;
  try {
    second = await registeredOnceFree(b.port, 'Bob');
  } finally {
    a.child.process.kill('SIGCONT');
  }
  // Back, a hears that b holds the name: its own Bob is closed, and a newcomer there is refused.
  await first.waitClosed(15_000);
  await until(
    async () => {
      const third = await FramedPeer.hello(a.port, 'Bob');
      third.peer.drop();
      return third.answer.type === 'error' && third.answer.code === 'name-taken' ? true : undefined;
    },
    'a refuses a third Bob',
    10_000,
    500,
  );
  second.drop();
});
