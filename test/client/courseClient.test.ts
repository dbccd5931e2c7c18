/** Our client against our relay in each dialect. The course's own servers are in courseClient.int.test.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from '../helpers/relay/peers';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { sessionsForThisFile } from '../helpers/client/sessions';

const relay = relaysForThisFile();
const open = sessionsForThisFile();

test('auto detection finds our relay and registers in the framed protocol', async () => {
  const { port, relay: server } = await relay();
  const { session } = await open(port, 'Alice');
  assert.equal(session.dialect, 'relay');
  assert.deepEqual(server.online, ['Alice']);
});

test('course dialect against our relay: the same client works there too', async () => {
  const { port } = await relay();
  const alice = await open(port, 'Alice', 'course');
  const bob = await open(port, 'Bob', 'relay');
  assert.deepEqual(await alice.session.send('Bob', 'über den Kursdialekt'), { status: 'sent' });
  assert.equal((await bob.next('message')).text, 'über den Kursdialekt');
  assert.equal((await bob.session.send('Alice', 'zurück')).status, 'delivered');
  assert.equal((await alice.next('message')).text, 'zurück');
  assert.deepEqual(await alice.session.send('Niemand', 'x'), { status: 'unknown-peer' });
});

test('framed client: delivered, unknown peer, presence, and a closed event when the relay stops', async () => {
  const started = await startRelay();
  const alice = await open(started.port, 'Alice', 'relay');
  const bob = await open(started.port, 'Bob', 'relay');
  assert.deepEqual((await alice.next('presence')).online, ['Bob']);
  assert.deepEqual(await alice.session.send('Bob', 'hi'), { status: 'delivered' });
  assert.deepEqual(await alice.session.send('Carol', 'hi'), { status: 'unknown-peer' });
  assert.equal((await bob.next('message')).text, 'hi');
  await started.close();
  const closed = await alice.next('closed');
  assert.equal(closed.reason, 'server-shutdown');
  assert.deepEqual(await alice.session.send('Bob', 'zu spät'), { status: 'disconnected' });
});
