/**
 * A relay of several addresses: the lasting connection moves to the next node when one closes or
 * cannot be reached, keeps its outbox and its registration, and waits its backoff per round through
 * all nodes. Two (or three) relays on 127.0.0.1 play the nodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, type OpenOptions } from '../../src/client/connect';
import type { RelayNode } from '../../src/protocol/address';
import { FramedPeer, freePort } from '../helpers/relay/peers';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { connectionsForThisFile } from '../helpers/client/sessions';

const relay = relaysForThisFile();
const connection = connectionsForThisFile();

const node = (port: number): RelayNode => ({ transport: 'tcp', host: '127.0.0.1', port });

/** Opens sessions as the connection would, noting which port each attempt went to and when. */
function recordingOpen() {
  const tried: { port: number; at: number }[] = [];
  const open = (options: OpenOptions) => {
    tried.push({ port: options.port, at: Date.now() });
    return openSession(options);
  };
  return { tried, open };
}

test('when its node closes, the connection is on the next node within two seconds, and a message written meanwhile is delivered there once', async () => {
  const a = await relay();
  const b = await relay();
  const bob = await FramedPeer.connect(b.port, 'Bob');
  const alice = connection({
    port: a.port,
    name: 'Alice',
    dialect: 'relay',
    alternates: [node(b.port)],
    // The backoff as the extension has it: the wait before the round must not grow with the nodes.
    backoff: { initialMs: 1000, maxMs: 30_000 },
  });
  await alice.connection.start();
  assert.deepEqual(alice.connection.node, node(a.port));
  const onA = alice.connection.state;
  assert.ok(onA.kind === 'connected');
  assert.deepEqual(onA.node, node(a.port));

  const closedAt = Date.now();
  await a.close();
  await alice.state('waiting');
  const meanwhile = alice.connection.send('Bob', 'geschrieben, als Knoten A weg war');
  await alice.delivery(meanwhile.id, 'delivered', 5000);
  assert.ok(Date.now() - closedAt < 2000, `on B after ${Date.now() - closedAt} ms`);
  const onB = alice.connection.state;
  assert.ok(onB.kind === 'connected');
  assert.deepEqual(onB.node, node(b.port));
  assert.equal(onB.name, 'Alice');

  const received = await bob.next('message');
  assert.equal(received.text, 'geschrieben, als Knoten A weg war');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(bob.frames.filter((frame) => frame.type === 'message').length, 0);
  const settled = alice.events.filter(
    (event) => event.type === 'delivery' && event.id === meanwhile.id && event.state !== 'pending',
  );
  assert.deepEqual(
    settled.map((event) => event.type === 'delivery' && event.state),
    ['delivered'],
  );
});

test('a first node nobody listens on is passed over at once: the connection opens on the second', async () => {
  const dead = await freePort();
  const b = await relay();
  const { tried, open } = recordingOpen();
  const alice = connection({ port: dead, name: 'Alice', dialect: 'relay', alternates: [node(b.port)], open });
  const started = Date.now();
  await alice.connection.start();
  assert.ok(Date.now() - started < 1000, `connected after ${Date.now() - started} ms`);
  assert.deepEqual(alice.connection.node, node(b.port));
  assert.deepEqual(
    tried.map((attempt) => attempt.port),
    [dead, b.port],
  );
  // One attempt through the nodes, not one per node.
  assert.equal(alice.events.filter((event) => event.type === 'state' && event.state.kind === 'connecting').length, 1);
});

test('with every node down, it waits its backoff between rounds (not between nodes) and is back when one returns', async () => {
  const first = await freePort();
  const second = await freePort();
  const { tried, open } = recordingOpen();
  const alice = connection({
    port: first,
    name: 'Alice',
    dialect: 'relay',
    alternates: [node(second)],
    open,
    backoff: { initialMs: 400, maxMs: 400 },
    random: () => 1,
  });
  await assert.rejects(alice.connection.start(), (error: Error) => {
    // The first connect says what each node did.
    assert.match(
      error.message,
      new RegExp(`127\\.0\\.0\\.1:${first}: .*refused.*; 127\\.0\\.0\\.1:${second}: .*refused`),
    );
    return true;
  });
  tried.length = 0;
  void alice.connection.start({ keepTrying: true });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rounds = tried.filter((attempt) => attempt.port === first).length;
  assert.ok(rounds >= 2 && rounds <= 4, `${rounds} rounds in a second with a 400 ms backoff`);
  for (let index = 0; index + 1 < tried.length; index += 2) {
    assert.deepEqual(
      [tried[index]!.port, tried[index + 1]!.port].sort(),
      [first, second].sort(),
      'each round tries both nodes in turn',
    );
    assert.ok(tried[index + 1]!.at - tried[index]!.at < 100, 'the second node is tried at once after the first');
    if (index + 2 < tried.length) assert.ok(tried[index + 2]!.at - tried[index + 1]!.at >= 350, 'a round waits');
  }
  const waiting = alice.connection.state;
  assert.equal(waiting.kind, 'waiting');

  await relay({ port: second });
  await alice.state('connected', 2000);
  assert.deepEqual(alice.connection.node, node(second));
});

test('after the node it was on closes, the next round starts with the node after it, not with the first address', async () => {
  const dead = await freePort();
  const b = await relay();
  const c = await relay();
  const { tried, open } = recordingOpen();
  const alice = connection({
    port: dead,
    name: 'Alice',
    dialect: 'relay',
    alternates: [node(b.port), node(c.port)],
    open,
  });
  await alice.connection.start();
  assert.deepEqual(alice.connection.node, node(b.port));
  await b.close();
  await alice.state('waiting');
  await alice.state('connected');
  assert.deepEqual(alice.connection.node, node(c.port));
  assert.deepEqual(
    tried.map((attempt) => attempt.port),
    [dead, b.port, c.port],
  );
});

test('after a round in which every node failed, the next round begins with the node after the one the failed round began with', async () => {
  const first = await freePort();
  const second = await freePort();
  const { tried, open } = recordingOpen();
  const alice = connection({ port: first, name: 'Alice', dialect: 'relay', alternates: [node(second)], open });
  await assert.rejects(alice.connection.start());
  assert.deepEqual(
    tried.map((attempt) => attempt.port),
    [first, second],
  );
  await relay({ port: second });
  await alice.connection.start();
  assert.deepEqual(alice.connection.node, node(second));
  // The first address, down in the round before, is not tried first again.
  assert.deepEqual(
    tried.map((attempt) => attempt.port),
    [first, second, second],
  );
});

test('a refusal that holds on every node (an unknown class) ends the round on the first node', async () => {
  const a = await relay();
  const b = await relay();
  const { tried, open } = recordingOpen();
  const alice = connection({
    port: a.port,
    name: 'Alice',
    dialect: 'relay',
    classCode: 'abc-def',
    alternates: [node(b.port)],
    open,
  });
  await assert.rejects(alice.connection.start(), { name: 'RelayError', code: 'unknown-class' });
  assert.deepEqual(
    tried.map((attempt) => attempt.port),
    [a.port],
  );
});

test('a relay of one address reports no node in its state', async () => {
  const a = await relay();
  const alice = connection({ port: a.port, name: 'Alice', dialect: 'relay' });
  await alice.connection.start();
  const state = alice.connection.state;
  assert.ok(state.kind === 'connected');
  assert.equal('node' in state, false);
  assert.deepEqual(alice.connection.node, node(a.port));
});
