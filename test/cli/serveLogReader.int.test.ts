/** `classroom-relay serve` outlives the reader of its log: `serve | head -1` must not end the relay. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { serveArgs, start, stopAll } from '../helpers/process/processes';
import { FramedPeer, freePort, sleep } from '../helpers/relay/peers';

after(stopAll);

test('a relay whose log reader went away goes on serving its clients, and stops cleanly on SIGTERM', async () => {
  const port = await freePort();
  const relay = start(process.execPath, serveArgs(port, '--state', 'none'));
  await relay.waitFor('Stop with Ctrl+C.', 20_000);
  // As `head -1` does once it has its line: the reading end of the relay's stdout closes.
  relay.process.stdout.destroy();

  // Each of these writes a log line into the closed pipe.
  const alice = await FramedPeer.connect(port, 'Alice');
  const bob = await FramedPeer.connect(port, 'Bob');
  alice.send({ type: 'send', id: 'm1', to: 'Bob', text: 'noch da?' });
  assert.equal((await alice.next('ack')).status, 'delivered');
  assert.equal((await bob.next('message')).text, 'noch da?');
  await bob.close();
  await sleep(200);
  const carol = await FramedPeer.connect(port, 'Carol');
  carol.send({ type: 'send', id: 'm2', to: 'Alice', text: 'ja' });
  assert.equal((await carol.next('ack')).status, 'delivered');
  assert.equal((await alice.next('message')).text, 'ja');
  assert.equal(relay.process.exitCode, null, `the relay ended: ${relay.stderr}`);
  assert.doesNotMatch(relay.stderr, /EPIPE|unexpected error/);

  relay.process.kill('SIGTERM');
  assert.deepEqual(await relay.exited, { code: 0, signal: null });
  alice.drop();
  carol.drop();
});
