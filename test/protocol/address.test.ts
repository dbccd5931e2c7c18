import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatServerAddress, parseServerAddress, relayOf } from '../../src/protocol/address';

test('an address with a class code names the relay and the class; without one, the default class', () => {
  assert.deepEqual(parseServerAddress('192.168.0.10:12345/4KX-92m'), {
    ok: true,
    address: { transport: 'tcp', host: '192.168.0.10', port: 12345, classCode: '4kx-92m' },
  });
  assert.deepEqual(parseServerAddress(' tls://relay.schule.ch/4kx92m '), {
    ok: true,
    address: { transport: 'tls', host: 'relay.schule.ch', port: 12346, classCode: '4kx-92m' },
  });
  assert.deepEqual(parseServerAddress('tls://relay.schule.ch:443/4kx 92m'), {
    ok: true,
    address: { transport: 'tls', host: 'relay.schule.ch', port: 443, classCode: '4kx-92m' },
  });
  assert.deepEqual(parseServerAddress('[fe80::1]:12345/4kx-92m'), {
    ok: true,
    address: { transport: 'tcp', host: 'fe80::1', port: 12345, classCode: '4kx-92m' },
  });
  assert.deepEqual(parseServerAddress('localhost:12345'), {
    ok: true,
    address: { transport: 'tcp', host: 'localhost', port: 12345 },
  });
});

test('a wrong class code says what is wrong with it; a wrong address before it is refused as without one', () => {
  assert.deepEqual(parseServerAddress('localhost:12345/4kx-920'), {
    ok: false,
    detail:
      'after the "/" comes the class\'s code, but class codes have no "0": they leave out 0, o, 1, l and i, which look alike; check the code again',
  });
  assert.deepEqual(parseServerAddress('localhost:12345/'), {
    ok: false,
    detail: 'after the "/" comes the class\'s code, but the class code is empty',
  });
  assert.deepEqual(parseServerAddress('localhost:12345/4kx-92'), {
    ok: false,
    detail: 'after the "/" comes the class\'s code, but a class code has 6 letters and digits, such as 4kx-92m',
  });
  assert.deepEqual(parseServerAddress('localhost:99999/4kx-92m'), parseServerAddress('localhost:99999'));
  assert.equal(parseServerAddress('/4kx-92m').ok, false);
  assert.equal(parseServerAddress('ftp://localhost:12345/4kx-92m').ok, false);
});

test('an address written back reads as the same relay and class', () => {
  for (const written of [
    '127.0.0.1:12345/4kx-92m',
    'tls://[::1]:12346/abc-def',
    'relay.schule.ch:12345',
    'tls://relay.schule.ch:12346',
    '[fe80::1]:12345',
  ]) {
    const read = parseServerAddress(written);
    assert.ok(read.ok, written);
    assert.equal(formatServerAddress(read.address), written);
    assert.deepEqual(parseServerAddress(formatServerAddress(read.address)), read);
  }
});

test('the relay of a class address is the same host and port without the class', () => {
  const read = parseServerAddress('tls://relay.schule.ch:12346/4kx-92m');
  assert.ok(read.ok);
  assert.equal(formatServerAddress(relayOf(read.address)), 'tls://relay.schule.ch:12346');
  assert.notEqual(formatServerAddress(read.address), formatServerAddress(relayOf(read.address)));
});
