/** The command line with a relay of several addresses: `--server A,B` uses the first node that answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer, freePort } from '../helpers/relay/peers';
import { runCli } from '../helpers/process/processes';

const relay = relaysForThisFile();

test('send --server DEAD,LIVE passes over the node nobody listens on and delivers through the live one', async () => {
  const dead = await freePort();
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const result = await runCli([
    'send',
    '--server',
    `127.0.0.1:${dead},127.0.0.1:${port}`,
    '--name',
    'Alice',
    '--to',
    'Bob',
    'Hallo über den zweiten Knoten',
  ]);
  assert.deepEqual([result.code, result.stdout, result.stderr], [0, 'delivered to Bob\n', '']);
  assert.equal((await bob.next('message')).text, 'Hallo über den zweiten Knoten');
});

test('send to a relay none of whose nodes answers exits 3, saying what each node did', async () => {
  const first = await freePort();
  const second = await freePort();
  const result = await runCli([
    'send',
    '-s',
    `127.0.0.1:${first}, 127.0.0.1:${second}`,
    '-n',
    'Alice',
    '-t',
    'Bob',
    'hi',
  ]);
  assert.equal(result.code, 3);
  assert.equal(
    result.stderr,
    `classroom-relay: no node of the relay answered: 127.0.0.1:${first}: connection to 127.0.0.1:${first} refused: no relay is listening there; ` +
      `127.0.0.1:${second}: connection to 127.0.0.1:${second} refused: no relay is listening there (127.0.0.1:${first}, 127.0.0.1:${second})\n`,
  );
});

test('--server with two class codes is a usage error naming both', async () => {
  const result = await runCli(['send', '-s', '127.0.0.1:1/4kx-92m,127.0.0.1:2/abc-def', '-n', 'A', '-t', 'B', 'hi']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--server: the addresses name two classes, 4kx-92m and abc-def/);
});

test('class list --server DEAD,LIVE asks the live node', async () => {
  const dead = await freePort();
  const { port } = await relay({ adminKey: 'geheim-admin-key' });
  const result = await runCli([
    'class',
    'list',
    '--server',
    `127.0.0.1:${dead},127.0.0.1:${port}`,
    '--admin-key',
    'geheim-admin-key',
    '--json',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(Array.isArray(JSON.parse(result.stdout)));
});
