import { after } from 'node:test';
import { FramedPeer, startRelay, type TestRelay } from './peers';
import { stopAll } from '../process/processes';

/**
 * Starts relays for a test file and, when the file is done, stops them together with every
 * child process the file started.
 */
export function relaysForThisFile(): (options?: Parameters<typeof startRelay>[0]) => Promise<TestRelay> {
  const relays: TestRelay[] = [];
  after(async () => {
    await stopAll();
    await Promise.all(relays.map((relay) => relay.close()));
  });
  return async (options = {}) => {
    const started = await startRelay(options);
    relays.push(started);
    return started;
  };
}

/** Connects registered framed clients for a test file and closes them when the file is done. */
export function framedPeersForThisFile(): (port: number, name: string, teacherKey?: string) => Promise<FramedPeer> {
  const peers: FramedPeer[] = [];
  after(() => {
    for (const peer of peers) void peer.close();
  });
  return async (port, name, teacherKey) => {
    const peer = await FramedPeer.connect(port, name, teacherKey === undefined ? {} : { teacherKey });
    peers.push(peer);
    return peer;
  };
}
