/**
 * Which TLS certificates a student trusted: first use asks, a trusted one is pinned, a changed
 * one is refused loudly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideTrust, pinFor, readTrustStore, trustKey, withTrusted } from '../../../src/extension/connection/trust';
import { RelayError } from '../../../src/client/types';
import type { ServerAddress } from '../../../src/protocol/address';
import { format } from '../../../src/protocol/panel';
import { describeConnectError } from '../../../src/extension/connection/connectionWording';
import { ROOT } from '../../helpers/paths';

const german = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;

const server: ServerAddress = { transport: 'tls', host: 'Relay.Local', port: 12346 };
const first = 'AB:'.repeat(31) + 'AB';
const second = '01:'.repeat(31) + '02';
const untrusted = (fingerprint: string) => new RelayError('tls-untrusted', 'not trusted', fingerprint);
const mismatch = (fingerprint: string) => new RelayError('tls-mismatch', 'does not match', fingerprint);

test('first use of an untrusted certificate: ask, showing the fingerprint it presented', () => {
  assert.equal(pinFor({}, server), undefined);
  assert.deepEqual(decideTrust(untrusted(first.toLowerCase()), {}, server), {
    type: 'ask',
    server: 'relay.local:12346',
    presented: first,
  });
});

test('a trusted certificate is pinned for that server only, under host:port', () => {
  const store = withTrusted({}, server, first);
  assert.deepEqual(store, { 'relay.local:12346': 'ab'.repeat(32) });
  assert.equal(pinFor(store, { ...server, host: 'RELAY.local' }), 'ab'.repeat(32));
  assert.equal(pinFor(store, { ...server, port: 4000 }), undefined);
  assert.equal(pinFor(store, { ...server, transport: 'tcp' }), undefined, 'a plain connection pins nothing');
  assert.equal(trustKey({ transport: 'tls', host: '::1', port: 12346 }), '[::1]:12346');
});

test('a changed certificate for a trusted server is refused loudly, naming both fingerprints', () => {
  const store = withTrusted({}, server, first);
  assert.deepEqual(decideTrust(mismatch(second), store, server), {
    type: 'changed',
    server: 'relay.local:12346',
    trusted: first,
    presented: second,
  });
  assert.deepEqual(
    decideTrust(untrusted(second), store, server),
    { type: 'none' },
    'a pinned server never asks again as if it were new',
  );
  const replaced = withTrusted(store, server, second);
  assert.equal(pinFor(replaced, server), '01'.repeat(31) + '02');
});

test('errors that are not about trust ask nothing', () => {
  assert.deepEqual(decideTrust(new RelayError('refused', 'refused'), {}, server), { type: 'none' });
  assert.deepEqual(decideTrust(new RelayError('tls-failed', 'plain port'), {}, server), { type: 'none' });
  assert.deepEqual(decideTrust(untrusted(first), {}, { ...server, transport: 'tcp' }), { type: 'none' });
});

test('a damaged store is read without its bad entries', () => {
  assert.deepEqual(readTrustStore(undefined), {});
  assert.deepEqual(readTrustStore(['x']), {});
  assert.deepEqual(readTrustStore({ 'a:1': first, 'b:2': 'short', 'c:3': 7 }), { 'a:1': 'ab'.repeat(32) });
  assert.throws(() => withTrusted({}, server, 'nonsense'), /not a SHA-256 fingerprint/);
});

test('certificate failures are worded for students, in English and German', () => {
  const t = (message: string, ...args: Array<string | number | boolean>) => format(message, ...args.map(String));
  const de = (message: string, ...args: Array<string | number | boolean>) =>
    format(german[message] ?? `MISSING ${message}`, ...args.map(String));
  const where = 'tls://10.0.0.5:12346';
  assert.equal(
    describeConnectError(untrusted(first), where, 'Alice', t),
    'The certificate of tls://10.0.0.5:12346 is not trusted, so the connection was not made.',
  );
  assert.match(
    describeConnectError(mismatch(second), where, 'Alice', t),
    /has changed since you trusted it, so the connection was not made\. Ask your teacher for the fingerprint\.$/,
  );
  assert.equal(
    describeConnectError(new RelayError('tls-failed', 'x does not speak TLS'), where, 'Alice', t),
    "The TLS connection to tls://10.0.0.5:12346 failed. Is this the relay's TLS port?",
    'the technical detail (English) is for the log',
  );
  assert.equal(
    describeConnectError(untrusted(first), where, 'Alice', de),
    'Dem Zertifikat von tls://10.0.0.5:12346 wird nicht vertraut, darum wurde die Verbindung nicht hergestellt.',
  );
});
