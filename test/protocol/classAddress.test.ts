import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClassAddress, parseClassAddress } from '../../src/protocol/classAddress';

test('an address with a class code names the relay and the class; without one, the default class', () => {
  assert.deepEqual(parseClassAddress('192.168.0.10:12345/4KX-92m'), {
    ok: true,
    address: { server: { transport: 'tcp', host: '192.168.0.10', port: 12345 }, classCode: '4kx-92m' },
  });
  assert.deepEqual(parseClassAddress('tls://relay.schule.ch/4kx92m'), {
    ok: true,
    address: { server: { transport: 'tls', host: 'relay.schule.ch', port: 12346 }, classCode: '4kx-92m' },
  });
  assert.deepEqual(parseClassAddress('[fe80::1]:12345/4kx-92m'), {
    ok: true,
    address: { server: { transport: 'tcp', host: 'fe80::1', port: 12345 }, classCode: '4kx-92m' },
  });
  assert.deepEqual(parseClassAddress('localhost:12345'), {
    ok: true,
    address: { server: { transport: 'tcp', host: 'localhost', port: 12345 } },
  });
});

test('a wrong class code or a wrong address says what is wrong with it', () => {
  assert.deepEqual(parseClassAddress('localhost:12345/4kx-920'), {
    ok: false,
    detail:
      'after the "/" comes the class\'s code, but class codes have no "0": they leave out 0, o, 1, l and i, which look alike; check the code again',
  });
  assert.deepEqual(parseClassAddress('localhost:99999/4kx-92m').ok, false);
});

test('an address written back reads as the same relay and class', () => {
  for (const written of ['127.0.0.1:12345/4kx-92m', 'tls://[::1]:12346/abc-def', 'relay.schule.ch:12345']) {
    const read = parseClassAddress(written);
    assert.ok(read.ok);
    assert.equal(formatClassAddress(read.address), written);
  }
});
