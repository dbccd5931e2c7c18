/** The relay as a drop-in for the course server, met by real programs: the course's Python client and netcat. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, sleep } from '../helpers/relay/peers';
import { courseClient, start } from '../helpers/process/processes';

const relay = relaysForThisFile();

test('two course clients (the Python re-creation) chat through the relay in the course format', async () => {
  const { port } = await relay();
  const [alice, bob] = await Promise.all([courseClient(port, 'Alice'), courseClient(port, 'Bob')]);
  alice.write('Bob\nHallo Bob: wie geht es?\n');
  await bob.waitFor('Alice: Hallo Bob: wie geht es?');
  bob.write('Alice\nGut, danke!\n');
  await alice.waitFor('Bob: Gut, danke!');
  alice.write('Carol\nbist du da?\n');
  await alice.waitFor('Empfänger Carol nicht gefunden.');
});

test('a netcat session registers with a newline-terminated name and gets newline-terminated lines', async () => {
  const { port } = await relay();
  const nc = start('nc', ['127.0.0.1', String(port)]);
  nc.write('Nina\n');
  const bob = await coursePeer(port, 'Bob');
  await sleep(100);
  nc.write('Bob:Hallo aus netcat\n');
  assert.equal(await bob.waitFor('Nina: Hallo aus netcat'), 'Nina: Hallo aus netcat');
  bob.write('Nina:Hallo zurück');
  await nc.waitFor('Bob: Hallo zurück\n');
  nc.write('Niemand:hallo?\n');
  await nc.waitFor('Empfänger Niemand nicht gefunden.\n');
});
