/**
 * What other nodes wrote to the engine is read as untrusted bytes: entries, classes, deliver
 * requests, hints and replies that are not what the relay writes are refused, field by field,
 * and no bytes at all make a read throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  readClassEntry,
  readDeliverRequest,
  readDelivery,
  readHint,
  readMemberEntry,
} from '../../../src/server/cluster/engineReads';

const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

const MEMBER = {
  node: 'node-b',
  name: 'Zoe',
  dialect: 'relay',
  role: 'student',
  address: '10.0.0.9',
  remote: '10.0.0.9:40000',
  connectedAt: 1_700_000_000_000,
};
const CLASS = {
  code: '4kx-92m',
  keyDigest: 'ab'.repeat(32),
  madeBy: '10.0.0.5',
  madeAt: 1_700_000_000_000,
  usedAt: 1_700_000_060_000,
};
const MESSAGE = { type: 'message', from: 'Zoe', text: 'hallo', at: '2024-01-01T10:00:00.000Z', id: 'm1' };
const HINT = { type: 'broadcast', from: 'Frau Keller', text: 'Pause!', at: '2024-01-01T10:00:00.000Z', teacher: true };

test('a member entry as the relay writes it is read field by field, and nothing else is kept', () => {
  assert.deepEqual(readMemberEntry(bytes({ ...MEMBER, extra: 'x'.repeat(10_000) })), MEMBER);
  assert.deepEqual(readMemberEntry(bytes({ ...MEMBER, dialect: 'course', role: 'teacher' })), {
    ...MEMBER,
    dialect: 'course',
    role: 'teacher',
  });
});

test('member entries with a bad node id, wrong types or over-long strings are refused', () => {
  const bad: Record<string, unknown>[] = [
    { node: '' },
    { node: 'node.b' },
    { node: 'node b' },
    { node: 'x'.repeat(65) },
    { node: 7 },
    { name: '' },
    { name: 'x'.repeat(129) },
    { name: ['Zoe'] },
    { dialect: 'irc' },
    { role: 'admin' },
    { address: 'x'.repeat(101) },
    { remote: 'x'.repeat(121) },
    { remote: null },
    { connectedAt: '1700000000000' },
    { connectedAt: null },
  ];
  for (const change of bad)
    assert.equal(readMemberEntry(bytes({ ...MEMBER, ...change })), undefined, JSON.stringify(change));
  for (const field of Object.keys(MEMBER)) {
    const without: Record<string, unknown> = { ...MEMBER };
    delete without[field];
    assert.equal(readMemberEntry(bytes(without)), undefined, `without ${field}`);
  }
  for (const notAnEntry of ['', 'null', '[]', '"Zoe"', '{', '42'])
    assert.equal(readMemberEntry(Buffer.from(notAnEntry)), undefined, notAnEntry);
});

test('a class entry is read under its own code only, with a digest of 64 hex digits', () => {
  assert.deepEqual(readClassEntry('4kx-92m', bytes(CLASS)), CLASS);
  assert.equal(readClassEntry('4kx-92n', bytes(CLASS)), undefined, 'written under another code');
  assert.equal(readClassEntry('4kx92m', bytes({ ...CLASS, code: '4kx92m' })), undefined, 'a code not as written');
  assert.equal(readClassEntry('4KX-92M', bytes({ ...CLASS, code: '4KX-92M' })), undefined, 'a code not as written');
  assert.equal(readClassEntry('ol1-abc', bytes({ ...CLASS, code: 'ol1-abc' })), undefined, 'not a class code');
  const bad: Record<string, unknown>[] = [
    { keyDigest: 'ab'.repeat(31) },
    { keyDigest: 'ab'.repeat(33) },
    { keyDigest: 'AB'.repeat(32) },
    { keyDigest: 'zz'.repeat(32) },
    { keyDigest: 42 },
    { madeBy: 'x'.repeat(101) },
    { madeBy: 5 },
    { madeAt: 'yesterday' },
    { usedAt: null },
  ];
  for (const change of bad)
    assert.equal(readClassEntry('4kx-92m', bytes({ ...CLASS, ...change })), undefined, JSON.stringify(change));
});

test('a deliver request carries a room, a name key and a message, snippet or hint', () => {
  assert.deepEqual(readDeliverRequest(bytes({ room: '', key: 'zoe', envelope: MESSAGE })), {
    room: '',
    key: 'zoe',
    envelope: MESSAGE,
  });
  assert.equal(readDeliverRequest(bytes({ room: '', key: 'zoe', envelope: HINT }))?.envelope.type, 'broadcast');
  const bad: unknown[] = [
    { key: 'zoe', envelope: MESSAGE },
    { room: 1, key: 'zoe', envelope: MESSAGE },
    { room: '', key: null, envelope: MESSAGE },
    { room: '', key: 'zoe' },
    { room: '', key: 'zoe', envelope: { type: 'ack', id: 'm1', status: 'delivered' } },
    { room: '', key: 'zoe', envelope: { type: 'hints-cleared', by: 'Frau Keller', at: MESSAGE.at } },
    { room: '', key: 'zoe', envelope: { ...MESSAGE, text: 7 } },
    { room: '', key: 'zoe', envelope: JSON.stringify(MESSAGE) },
  ];
  for (const request of bad) assert.equal(readDeliverRequest(bytes(request)), undefined, JSON.stringify(request));
});

test("a hint is read only from another node, and only when it is a teacher's hint", () => {
  assert.deepEqual(readHint(bytes({ node: 'node-b', envelope: HINT }), 'node-a'), HINT);
  assert.equal(readHint(bytes({ node: 'node-a', envelope: HINT }), 'node-a'), undefined, "this node's own");
  assert.equal(readHint(bytes({ node: 'node-b', envelope: MESSAGE }), 'node-a'), undefined, 'a message');
  assert.equal(readHint(bytes({ node: 'node-b', envelope: { ...HINT, text: undefined } }), 'node-a'), undefined);
  assert.equal(readHint(bytes({ node: 'node-b' }), 'node-a'), undefined);
});

test('a reply is one of the outcomes a node sends, nothing else', () => {
  assert.deepEqual(readDelivery(bytes({ status: 'delivered', extra: 1 })), { status: 'delivered' });
  assert.deepEqual(readDelivery(bytes({ status: 'unknown-peer' })), { status: 'unknown-peer' });
  assert.deepEqual(readDelivery(bytes({ status: 'rejected', reason: 'too-large' })), {
    status: 'rejected',
    reason: 'too-large',
  });
  assert.deepEqual(readDelivery(bytes({ status: 'rejected', reason: 'recipient-busy' })), {
    status: 'rejected',
    reason: 'recipient-busy',
  });
  for (const reply of [
    { status: 'rejected' },
    { status: 'rejected', reason: 'muted' },
    { status: 'Delivered' },
    { status: ['delivered'] },
    {},
    null,
    'delivered',
  ])
    assert.equal(readDelivery(bytes(reply)), undefined, JSON.stringify(reply));
  assert.equal(readDelivery(new Uint8Array()), undefined, 'an empty reply (no responder)');
});

test('no bytes make a read throw', () => {
  const reads = (data: Uint8Array) => {
    readMemberEntry(data);
    readClassEntry('4kx-92m', data);
    readDeliverRequest(data);
    readHint(data, 'node-a');
    readDelivery(data);
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), reads), { numRuns: 3000 });
  fc.assert(
    fc.property(fc.jsonValue(), (value) => reads(bytes(value))),
    { numRuns: 2000 },
  );
});

test('an entry with any one field replaced by anything is refused or read with every field of its type', () => {
  const fields = Object.keys(MEMBER);
  fc.assert(
    fc.property(fc.constantFrom(...fields), fc.jsonValue(), (field, value) => {
      const entry = readMemberEntry(bytes({ ...MEMBER, [field]: value }));
      if (!entry) return;
      for (const key of fields)
        assert.equal(typeof entry[key as keyof typeof entry], typeof MEMBER[key as keyof typeof MEMBER]);
      assert.equal(Object.keys(entry).length, fields.length);
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.jsonValue(), (envelope) => {
      const request = readDeliverRequest(bytes({ room: '', key: 'zoe', envelope }));
      if (request) assert.ok(['message', 'snippet', 'broadcast'].includes(request.envelope.type));
    }),
    { numRuns: 2000 },
  );
});
