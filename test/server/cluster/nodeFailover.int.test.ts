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

/** A framed hello on the node at `port` that resumes a registration: its token, and the last number its client saw. */
async function resumed(port: number, name: string, token: string, lastSeq: number) {
  const peer = await FramedPeer.connect(port);
  peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name, resume: { token, lastSeq } });
  const outcomes = [peer.next('welcome'), peer.next('error')] as const;
  for (const outcome of outcomes) outcome.catch(() => undefined);
  return { peer, answer: await Promise.race(outcomes) };
}

test('clients whose node was killed resume on another node at once: what they missed is replayed, numbered on, and a resend of what was had is not delivered twice', async () => {
  const { a, b } = await twoNodes(1);
  const hello = async (name: string) => {
    const peer = await FramedPeer.connect(a.port);
    peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name });
    return { peer, token: (await peer.next('welcome')).resume! };
  };
  const anna = await hello('Anna');
  const ben = await hello('Ben');
  for (const [id, text] of [
    ['m1', 'eins'],
    ['m2', 'zwei'],
    ['m3', 'drei'],
  ] as const) {
    ben.peer.send({ type: 'send', id, to: 'Anna', text });
    assert.equal((await ben.peer.next('ack', (ack) => ack.id === id)).status, 'delivered');
  }
  const seqs = await Promise.all(
    ['eins', 'zwei', 'drei'].map((text) => anna.peer.next('message', (m) => m.text === text)),
  );
  assert.deepEqual(
    seqs.map((message) => message.seq),
    [1, 2, 3],
  );
  a.child.process.kill('SIGKILL');
  await a.child.exited;
  anna.peer.drop();
  ben.peer.drop();

  // Only "eins" reached her screen before her node died; her name is hers on b at once, with the rest.
  const annaOnB = await resumed(b.port, 'Anna', anna.token, 1);
  assert.equal(annaOnB.answer.type === 'welcome' && annaOnB.answer.resumed, true, JSON.stringify(annaOnB.answer));
  const replayed = [await annaOnB.peer.next('message'), await annaOnB.peer.next('message')];
  assert.deepEqual(
    replayed.map(({ text, seq, from }) => ({ text, seq, from })),
    [
      { text: 'zwei', seq: 2, from: 'Ben' },
      { text: 'drei', seq: 3, from: 'Ben' },
    ],
  );
  // Ben, on b now too, resends m3 as a client does that saw no ack: acknowledged, not delivered again.
  const benOnB = await resumed(b.port, 'Ben', ben.token, 0);
  assert.equal(benOnB.answer.type === 'welcome' && benOnB.answer.resumed, true, JSON.stringify(benOnB.answer));
  benOnB.peer.send({ type: 'send', id: 'm3', to: 'Anna', text: 'drei' });
  assert.equal((await benOnB.peer.next('ack', (ack) => ack.id === 'm3')).status, 'delivered');
  benOnB.peer.send({ type: 'send', id: 'm4', to: 'Anna', text: 'vier' });
  assert.equal((await benOnB.peer.next('ack', (ack) => ack.id === 'm4')).status, 'delivered');
  const next = await annaOnB.peer.next('message');
  assert.deepEqual({ text: next.text, seq: next.seq }, { text: 'vier', seq: 4 });
  annaOnB.peer.drop();
  benOnB.peer.drop();
});

test('a client that resumes on another node while its own still runs takes its name and what it missed along: the old node hands the registration over and closes its connection as replaced', async () => {
  const { a, b } = await twoNodes(1);
  const first = await FramedPeer.connect(a.port);
  first.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Lea' });
  const welcome = await first.next('welcome');
  const ben = await FramedPeer.connect(b.port, 'Ben');
  for (const [id, text] of [
    ['m1', 'eins'],
    ['m2', 'zwei'],
  ] as const) {
    ben.send({ type: 'send', id, to: 'Lea', text });
    assert.equal((await ben.next('ack', (ack) => ack.id === id)).status, 'delivered');
  }
  // Her connection to a still stands, but nothing of it reaches her any more: she comes in through b.
  const moved = await resumed(b.port, 'Lea', welcome.resume!, 0);
  assert.equal(moved.answer.type === 'welcome' && moved.answer.resumed, true, JSON.stringify(moved.answer));
  assert.equal((await first.next('error', undefined, 10_000)).code, 'replaced');
  const replayed = [await moved.peer.next('message'), await moved.peer.next('message')];
  assert.deepEqual(
    replayed.map(({ text, seq }) => ({ text, seq })),
    [
      { text: 'eins', seq: 1 },
      { text: 'zwei', seq: 2 },
    ],
  );
  ben.send({ type: 'send', id: 'm3', to: 'Lea', text: 'drei' });
  assert.equal((await ben.next('ack', (ack) => ack.id === 'm3')).status, 'delivered');
  const third = await moved.peer.next('message');
  assert.deepEqual({ text: third.text, seq: third.seq }, { text: 'drei', seq: 3 });
  // The token she had is spent: a second resume with it on a is not hers any more.
  const stale = await resumed(a.port, 'Lea', welcome.resume!, 0);
  assert.equal(stale.answer.type === 'error' && stale.answer.code, 'name-taken');
  stale.peer.drop();
  moved.peer.drop();
  ben.drop();
});
