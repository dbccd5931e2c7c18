import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  formatServerAddress,
  hasSeveralNodes,
  nodesInKeyOrder,
  nodesOf,
  parseServerAddress,
  relayKey,
  relayOf,
  type RelayNode,
  type ServerAddress,
} from '../../src/protocol/address';

test('several addresses separated by commas are the nodes of one relay, the first tried first', () => {
  assert.deepEqual(parseServerAddress('10.0.0.5:12345, 10.0.0.6:12345'), {
    ok: true,
    address: {
      transport: 'tcp',
      host: '10.0.0.5',
      port: 12345,
      alternates: [{ transport: 'tcp', host: '10.0.0.6', port: 12345 }],
    },
  });
  assert.deepEqual(parseServerAddress('tls://a.schule.ch,b.schule.ch:4000,[::1]'), {
    ok: true,
    address: {
      transport: 'tls',
      host: 'a.schule.ch',
      port: 12346,
      alternates: [
        { transport: 'tcp', host: 'b.schule.ch', port: 4000 },
        { transport: 'tcp', host: '::1', port: 12345 },
      ],
    },
  });
});

test('a class code after the last address, or after every one, is the class on all nodes', () => {
  const expected = {
    ok: true,
    address: {
      transport: 'tcp',
      host: '10.0.0.5',
      port: 12345,
      classCode: '4kx-92m',
      alternates: [{ transport: 'tcp', host: '10.0.0.6', port: 12345 }],
    },
  };
  assert.deepEqual(parseServerAddress('10.0.0.5:12345, 10.0.0.6:12345/4kx-92m'), expected);
  assert.deepEqual(parseServerAddress('10.0.0.5:12345/4KX92M, 10.0.0.6:12345/4kx-92m'), expected);
});

test('two different class codes, an empty entry, a bad entry or a node listed twice are refused, naming the problem', () => {
  const detail = (input: string) => {
    const check = parseServerAddress(input);
    assert.equal(check.ok, false, input);
    return (check as { detail: string }).detail;
  };
  assert.match(detail('10.0.0.5:12345/4kx-92m, 10.0.0.6:12345/abc-def'), /two classes, 4kx-92m and abc-def/);
  assert.match(detail('10.0.0.5:12345,, 10.0.0.6:12345'), /address 2 of 3 is empty/);
  assert.match(detail('10.0.0.5:12345,'), /address 2 of 2 is empty/);
  assert.match(
    detail('10.0.0.5:12345, 10.0.0.6:99999'),
    /address 2 of 2 \("10\.0\.0\.6:99999"\): "99999" is not a port/,
  );
  assert.match(detail('ftp://10.0.0.5, 10.0.0.6'), /address 1 of 2/);
  assert.match(detail('10.0.0.5:12345, 10.0.0.6:12345/4kx-920'), /class's code/);
  assert.match(detail('Relay.local:12345, relay.local:12345'), /relay\.local:12345 is listed twice/);
  // The same host on its plain and its TLS port is two nodes, not one twice.
  assert.equal(parseServerAddress('relay.local:12345, tls://relay.local:12346').ok, true);
});

test('the same nodes in another order are one relay for what is kept for it, and are still tried in the order written', () => {
  const read = (input: string) => {
    const check = parseServerAddress(input);
    assert.ok(check.ok, input);
    return check.address;
  };
  const ab = read('10.0.0.5:12345, tls://b.schule.ch, 10.0.0.6:12345/4kx-92m');
  const ba = read('10.0.0.6:12345,10.0.0.5:12345/4kx-92m, tls://b.schule.ch');
  assert.equal(relayKey(ba), relayKey(ab));
  assert.deepEqual(nodesInKeyOrder(ba), nodesInKeyOrder(ab));
  assert.equal(relayKey(ab), '10.0.0.5:12345, 10.0.0.6:12345, tls://b.schule.ch:12346/4kx-92m');
  assert.deepEqual(nodesOf(ba)[0], { transport: 'tcp', host: '10.0.0.6', port: 12345 });
  // One address is filed as it always was.
  const one = read('tls://Relay.Schule.ch/4kx-92m');
  assert.equal(relayKey(one), formatServerAddress(one));
});

test('a single address has no alternates and is written as before', () => {
  const read = parseServerAddress('tls://relay.schule.ch:12346/4kx-92m');
  assert.ok(read.ok);
  assert.equal('alternates' in read.address, false);
  assert.equal(hasSeveralNodes(read.address), false);
  assert.deepEqual(nodesOf(read.address), [{ transport: 'tls', host: 'relay.schule.ch', port: 12346 }]);
});

test('the relay of a class address keeps all its nodes', () => {
  const read = parseServerAddress('10.0.0.5:12345, tls://10.0.0.6/4kx-92m');
  assert.ok(read.ok);
  assert.equal(formatServerAddress(read.address), '10.0.0.5:12345, tls://10.0.0.6:12346/4kx-92m');
  assert.equal(formatServerAddress(relayOf(read.address)), '10.0.0.5:12345, tls://10.0.0.6:12346');
  assert.equal(hasSeveralNodes(read.address), true);
});

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const node: fc.Arbitrary<RelayNode> = fc
  .record({
    transport: fc.constantFrom('tcp' as const, 'tls' as const),
    host: fc.oneof(
      fc.ipV4(),
      fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.')),
      fc.constantFrom('::1', 'fe80::1', '2001:db8::7'),
    ),
    port: fc.integer({ min: 1, max: 65535 }),
  })
  .map((n) => ({ ...n }));
const code = fc.option(fc.constantFrom('4kx-92m', 'abc-def', 'zz2-3p9'), { nil: undefined });

test('any list of distinct nodes, with or without a class, reads back as written', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(node, { minLength: 1, maxLength: 5, selector: (n) => `${n.transport} ${n.host} ${n.port}` }),
      code,
      ([first, ...rest], classCode) => {
        const address: ServerAddress = { ...first!, ...(classCode === undefined ? {} : { classCode }) };
        if (rest.length > 0) address.alternates = rest;
        const written = formatServerAddress(address);
        assert.deepEqual(parseServerAddress(written), { ok: true, address });
        // However generously spaced, and with the code after every node, it is the same relay and class.
        const spaced = nodesOf(address)
          .map((n) => ` ${formatServerAddress({ ...n, ...(classCode === undefined ? {} : { classCode }) })} `)
          .join(',');
        assert.deepEqual(parseServerAddress(spaced), { ok: true, address });
      },
    ),
    { seed: 20, numRuns: 300 },
  );
});
