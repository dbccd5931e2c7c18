/**
 * Relay nodes in this process, joined through a fresh nats-server, for the integration tests of
 * what spans nodes: everything a test file starts is stopped when the file ends.
 */
import { after } from 'node:test';
import { startNatsServers, type NatsServers } from '../../../scripts/natsCluster.mjs';
import { FramedPeer, startRelay, type TestRelay } from '../relay/peers';
import { eventually } from '../time/wait';
import type { RelayServerOptions } from '../../../src/server';

export const TEACHER_KEY = 'cluster-teacher-key-0123';

export function nodesForThisFile() {
  const started: { nats: NatsServers[]; relays: TestRelay[]; peers: FramedPeer[] } = {
    nats: [],
    relays: [],
    peers: [],
  };
  after(async () => {
    for (const peer of started.peers) peer.drop();
    await Promise.all(started.relays.map((relay) => relay.close()));
    await Promise.all(started.nats.map((nats) => nats.stop()));
  });
  return {
    /** Peers a test starts itself, to be dropped when the file ends. */
    started,
    /** One NATS server and two relay nodes on it, `a` and `b`. */
    twoNodes: async (options: RelayServerOptions = {}): Promise<{ nats: NatsServers; a: TestRelay; b: TestRelay }> => {
      const nats = await startNatsServers({ count: 1 });
      started.nats.push(nats);
      const node = async (name: string) => {
        const cluster = { servers: [...nats.urls], node: name };
        const relay = await startRelay({ teacherKey: TEACHER_KEY, ...options, cluster });
        started.relays.push(relay);
        return relay;
      };
      return { nats, a: await node('a'), b: await node('b') };
    },
    /** A framed client registered as `name` (a teacher with `teacherKey`). */
    framed: async (port: number, name: string, teacherKey?: string): Promise<FramedPeer> => {
      const peer = await FramedPeer.connect(port, name, teacherKey === undefined ? {} : { teacherKey });
      started.peers.push(peer);
      return peer;
    },
  };
}

/** Waits until `relay` knows `name` is online (on whichever node). */
export async function knows(relay: TestRelay, name: string): Promise<void> {
  await eventually(
    () => relay.relay.online.includes(name),
    () => `${name} among ${JSON.stringify(relay.relay.online)}`,
  );
}
