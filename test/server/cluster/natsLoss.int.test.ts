/**
 * A relay node that loses NATS while the other nodes keep it, end to end with real processes: a
 * cluster of three NATS servers that tell their clients nothing of each other, node `a` given one
 * server and node `b` the other two. Once a's server is gone, `a` says so in its log, refuses
 * newcomers and closes its clients, and those that know both nodes are back on `b` under their
 * own names, writing to each other.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServers, type NatsServer, type NatsServers } from '../../../scripts/natsCluster.mjs';
import { BUCKETS, HINTS_STREAM, KEPT_STREAM } from '../../../src/server/cluster/clusterKeys';
import { openEngine } from '../../../src/server/cluster/engineSetup';
import { classRequest } from '../../../src/client/classRequest';
import { parseServerAddress } from '../../../src/protocol/address';
import { DEFAULT_POLICY } from '../../../src/server/policy/policy';
import type { RelayNode } from '../../../src/protocol/address';
import { connectionsForThisFile } from '../../helpers/client/sessions';
import { serveArgs, start, stopAll, type Child } from '../../helpers/process/processes';
import { coursePeer, FramedPeer, freePort, sleep } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';

const connection = connectionsForThisFile();
const started: NatsServers[] = [];
after(async () => {
  await stopAll();
  await Promise.all(started.map((nats) => nats.stop()));
});

const node = (port: number): RelayNode => ({ transport: 'tcp', host: '127.0.0.1', port });

const STREAMS = [...Object.values(BUCKETS).map((bucket) => `KV_${bucket}`), HINTS_STREAM.name, KEPT_STREAM.name];

/**
 * The relay's buckets and streams with a copy on each of the three servers, made as the first node
 * makes them. A node reads the cluster's size from the servers its server advertises; these
 * advertise none, so the nodes are told too (--nats-replicas 3).
 */
async function keptOnEveryServer(nats: NatsConnection): Promise<void> {
  const setup = { servers: [], node: 'setup', replicas: 3 };
  await openEngine(nats, setup, { ...DEFAULT_POLICY.resume, totalBytes: 1 << 20 }, () => undefined);
}

/**
 * A server that leads nothing of JetStream: not its meta group, and (after their leaders were asked
 * to step down) none of the relay's streams. Losing a leader costs every node seconds of elections,
 * which is the loss of one server of three for all nodes, not the loss of NATS for one.
 */
async function leadingNothing(nats: NatsServers, admin: NatsConnection): Promise<NatsServer> {
  const meta = (await (await fetch(`${nats.servers[0]!.monitorUrl}/jsz`)).json()) as {
    meta_cluster?: { leader?: string };
  };
  const chosen = nats.servers.find((server) => server.name !== meta.meta_cluster?.leader)!;
  const manager = await jetstreamManager(admin);
  for (const stream of STREAMS) {
    for (let asked = 0; ; asked++) {
      const leader = (await manager.streams.info(stream)).cluster?.leader;
      if (leader !== undefined && leader !== chosen.name) break;
      if (asked > 30) throw new Error(`${stream} is still led by ${chosen.name}`);
      if (leader === chosen.name)
        await admin.request(`$JS.API.STREAM.LEADER.STEPDOWN.${stream}`, '', { timeout: 5000 }).catch(() => undefined);
      await sleep(200);
    }
  }
  return chosen;
}

async function relayNode(name: string, servers: readonly NatsServer[]): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const urls = servers.map((server) => server.url).join(',');
  const child = start(
    process.execPath,
    serveArgs(
      port,
      '--state',
      'none',
      '--nats',
      urls,
      '--node',
      name,
      '--nats-replicas',
      '3',
      '--class-creation',
      'open',
    ),
  );
  await child.waitFor('listening', 20_000);
  return { child, port };
}

test('NATS unreachable from a node: it says so, refuses newcomers, closes its clients, and they carry on under their names on a node that still reaches NATS', async (t) => {
  const nats = await startNatsServers({ count: 3, noAdvertise: true });
  started.push(nats);
  const admin = await connect({ servers: [...nats.urls] });
  let lost: NatsServer;
  try {
    await keptOnEveryServer(admin);
    lost = await leadingNothing(nats, admin);
  } finally {
    await admin.close();
  }
  const a = await relayNode('a', [lost]);
  const b = await relayNode(
    'b',
    nats.servers.filter((server) => server !== lost),
  );

  const client = (name: string) =>
    connection({
      port: a.port,
      name,
      dialect: 'relay',
      alternates: [node(b.port)],
      backoff: { initialMs: 200, maxMs: 500 },
    });
  const alice = client('Alice');
  const bob = client('Bob');
  await alice.connection.start();
  await bob.connection.start();
  assert.deepEqual([alice.connection.node, bob.connection.node], [node(a.port), node(a.port)]);
  // A framed client that knows no other node, and a course client: both hear why they were let go.
  const framed = await FramedPeer.connect(a.port, 'Carol');
  const course = await coursePeer(a.port, 'Dora', true);
  await framed.next('presence', (frame) => frame.name === 'Dora');

  const cutAt = Date.now();
  await lost.kill('SIGKILL');

  await a.child.waitFor(/the other relay nodes cannot be reached \(.*\): clients are let go/, 15_000);
  const error = await framed.next('error', () => true, 5000);
  assert.deepEqual({ code: error.code, fatal: error.fatal }, { code: 'node-unavailable', fatal: true });
  await framed.waitClosed();
  await course.waitFor(
    'Fehler: Dieser Relay-Knoten erreicht die anderen Knoten gerade nicht. Bitte mit einem anderen Knoten neu verbinden.',
  );
  await course.waitClosed();
  const newcomer = await FramedPeer.hello(a.port, 'Erik');
  newcomer.peer.drop();
  assert.equal(newcomer.answer.type === 'error' && newcomer.answer.code, 'node-unavailable');

  // On b once b counts a as dead (its heartbeat missing) and lets their names go.
  for (const moved of [alice, bob]) {
    const state = await eventually(
      () =>
        moved.connection.node?.port === b.port && moved.connection.state.kind === 'connected' && moved.connection.state,
      () => `${moved.connection.name} on b; now ${JSON.stringify(moved.connection.state)}`,
      20_000,
      50,
    );
    assert.equal(state.kind === 'connected' && state.name, moved.connection.name);
  }
  t.diagnostic(`both clients of a were registered on b ${Date.now() - cutAt} ms after a lost NATS`);
  const sent = alice.connection.send('Bob', 'auf Knoten b angekommen');
  await alice.delivery(sent.id, 'delivered');
  await bob.incoming('auf Knoten b angekommen');
  const answer = bob.connection.send('Alice', 'ich auch');
  await bob.delivery(answer.id, 'delivered');
  await alice.incoming('ich auch');
  // A class asked of both: a refuses (the others would not know of it), b makes it.
  const both = parseServerAddress(`127.0.0.1:${a.port}, 127.0.0.1:${b.port}`);
  assert.ok(both.ok);
  const made = await classRequest(both.address, { type: 'create' });
  assert.equal(made.address.alternates?.length, 1);
  await b.child.waitFor(`made class ${made.code}`);
  assert.doesNotMatch(a.child.stdout, /made class/);
  assert.doesNotMatch(b.child.stdout, /cannot be reached/);
});
