/** A mixed room: the course's Python client (the re-creation, a real process) and a framed client on our relay. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer } from '../helpers/relay/peers';
import { courseClient } from '../helpers/process/processes';

const relay = relaysForThisFile();

test('mixed room: the Python course client and a framed client message each other', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await courseClient(port, 'Alice');
  await bob.next('presence', (frame) => frame.name === 'Alice');
  alice.write('Bob\nHallo vom Kursclient\n');
  const message = await bob.next('message');
  assert.deepEqual([message.from, message.text], ['Alice', 'Hallo vom Kursclient']);
  const long = `${'Grüße aus der Erweiterung, ü€😀 '.repeat(80)}ENDE`;
  bob.send({ type: 'send', id: 'r1', to: 'Alice', text: long });
  assert.equal((await bob.next('ack')).status, 'delivered');
  // The course client prints each recv(1024): every part must decode on its own.
  await alice.waitFor('ENDE', 10_000);
  assert.doesNotMatch(alice.stderr, /UnicodeDecodeError|Traceback/);
  const printed = alice.stdout
    .replaceAll('Empfänger: ', '')
    .replaceAll('Nachricht: ', '')
    .split('Bob: ')
    .slice(1)
    .map((part) => part.replace(/\n$/, ''))
    .join('');
  assert.equal(printed, long);
});
