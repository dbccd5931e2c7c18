/**
 * The engine's keys and subjects as the relay writes them: any name (any script) and any class
 * code make a key of NATS's alphabet that reads back as the same room and name key; keys the
 * relay did not write read as nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  NODE_ID,
  nameEntryKey,
  readNameEntryKey,
  roomOfToken,
  roomToken,
  subjects,
} from '../../../src/server/cluster/clusterKeys';
import { formatClassCode } from '../../../src/protocol/classCode';

/** What NATS allows in a key-value key (and, less `/` and `=`, in a subject token). */
const NATS_KEY = /^[-/_=.a-zA-Z0-9]+$/;
const SUBJECT_TOKEN = /^[-_a-zA-Z0-9]+$/;

/** The default class, or a class code as the registry makes them. */
const room = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[2-9a-hjkmnp-z]{6}$/).map((compact) => formatClassCode(compact)),
);
/** A name key in any script: every code point but lone surrogates, which no UTF-8 name carries. */
const nameKey = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });

test('any name key in any room makes a key of NATS alphabet that reads back as the same room and key', () => {
  fc.assert(
    fc.property(room, nameKey, (room, key) => {
      const entryKey = nameEntryKey(room, key);
      assert.match(entryKey, NATS_KEY);
      assert.deepEqual(readNameEntryKey(entryKey), { room, key });
    }),
    { numRuns: 2000 },
  );
});

test('names that differ make keys that differ, also across rooms', () => {
  fc.assert(
    fc.property(room, nameKey, room, nameKey, (roomA, keyA, roomB, keyB) => {
      fc.pre(roomA !== roomB || keyA !== keyB);
      assert.notEqual(nameEntryKey(roomA, keyA), nameEntryKey(roomB, keyB));
    }),
  );
});

test("the default class's token is '_' in keys and subjects, and reads back as the default class", () => {
  assert.equal(roomToken(''), '_');
  assert.equal(roomOfToken('_'), '');
  assert.equal(roomToken('4kx-92m'), '4kx-92m');
  assert.equal(nameEntryKey('', 'zoe'), `_.${Buffer.from('zoe').toString('base64url')}`);
  assert.equal(subjects.hint(''), 'relay.hints._');
  assert.equal(subjects.hint('4kx-92m'), 'relay.hints.4kx-92m');
});

test('subjects of any node id and class code are tokens NATS allows', () => {
  fc.assert(
    fc.property(room, fc.stringMatching(NODE_ID), (room, node) => {
      for (const subject of [subjects.hint(room), subjects.deliver(node)])
        for (const token of subject.split('.')) assert.match(token, SUBJECT_TOKEN, subject);
    }),
  );
});

test('keys the relay did not write are refused', () => {
  for (const key of ['', 'zoe', '.em9l', '_.', '_.em9l.x', '_.em9l=', '_.em+9l', '_.em/9l', '_.ém9l', '_. em9l'])
    assert.equal(readNameEntryKey(key), undefined, JSON.stringify(key));
});

test('reading a key never throws, whatever the key', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (key) => {
      const read = readNameEntryKey(key);
      if (read) assert.equal(typeof read.key, 'string');
    }),
    { numRuns: 2000 },
  );
});

test('node ids are letters, digits, _ and -, from 1 to 64 of them', () => {
  for (const good of ['a', 'node-1', 'relay_B', 'x'.repeat(64)]) assert.match(good, NODE_ID);
  for (const bad of ['', 'x'.repeat(65), 'node.1', 'node 1', 'nöde', 'a*', 'a>', 'a/b'])
    assert.doesNotMatch(bad, NODE_ID);
});
