/**
 * The memo of names' keys: a name remembered has the same key as one worked out afresh, look-alikes
 * share it, and a client sending to ever new names cannot grow the memo past its bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldKey } from '../../../src/protocol/nameSkeleton';
import { keyOfName, rememberedNames, REMEMBERED_NAMES } from '../../../src/server/routing/nameKeyMemo';

test('a remembered name has the key worked out afresh, and look-alikes share it', () => {
  for (const name of ['Alice', ' Alice ', 'ALICE', 'Аlice', 'Ａlice', 'A1ice', 'Empfänger 3', 'Straße'])
    for (let time = 0; time < 2; time++) assert.equal(keyOfName(name), heldKey(name.trim()), name);
  assert.equal(keyOfName('ALICE'), keyOfName('alice'));
  assert.equal(keyOfName('Аlice'), keyOfName('Alice'));
});

test('a recipient longer than any name is nobody, and is not remembered', () => {
  const before = rememberedNames();
  const long = 'x'.repeat(200);
  assert.equal(keyOfName(long), '\u0000');
  assert.notEqual(keyOfName('x'.repeat(20)), '\u0000');
  assert.equal(rememberedNames(), before + 1);
});

test('ever new recipients never grow the memo past its bound', () => {
  for (let index = 0; index < 3 * REMEMBERED_NAMES; index++) {
    assert.equal(keyOfName(`Name ${index}`), heldKey(`Name ${index}`));
    assert.ok(rememberedNames() <= REMEMBERED_NAMES);
  }
});
