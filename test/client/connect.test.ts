/** Opening a session with our relay: what its refusals of a connection become for the person. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession } from '../../src/client/connect';
import { RelayError } from '../../src/client/types';
import { describeConnectError } from '../../src/extension/connection/connectionWording';
import { relaysForThisFile, framedPeersForThisFile } from '../helpers/relay/cleanup';
import { english } from '../helpers/extension/parts';

const relay = relaysForThisFile();
const framed = framedPeersForThisFile();

test('a relay with no room for another connection is "relay-busy", worded as full, not as a server that speaks an unknown protocol', async () => {
  const { port } = await relay({ maxConnections: 1 });
  await framed(port, 'Alice');
  const refused = await openSession({ host: '127.0.0.1', port, name: 'Bob', dialect: 'auto' }).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(refused instanceof RelayError, `a RelayError, got ${String(refused)}`);
  assert.equal(refused.code, 'relay-busy');
  const words = describeConnectError(refused, `127.0.0.1:${port}`, 'Bob', english);
  assert.match(words, /has no room for you right now/);
  assert.doesNotMatch(words, /does not understand/);
});
