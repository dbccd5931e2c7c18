import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBody, encodeBody } from '../../bench/sideBySide/body';

const body = { from: 12, to: 34, seq: 5678, sentUs: 123456789 };

test('a body is exactly the message size and decodes to what was encoded', () => {
  for (const size of [64, 1000]) {
    const text = encodeBody(body, size);
    assert.equal(text.length, size);
    assert.equal(Buffer.byteLength(text), size);
    assert.deepEqual(decodeBody(text), body);
  }
});

test('a broadcast body names recipient -1', () => {
  assert.deepEqual(decodeBody(encodeBody({ ...body, to: -1 }, 64)), { ...body, to: -1 });
});

test('a body has no colon, space or line break, which the course dialect and IRC would act on', () => {
  assert.match(encodeBody(body, 1000), /^[0-9a-zA-Z.-]+$/);
});

test('one changed character, a cut, or two bodies joined no longer decode', () => {
  const text = encodeBody(body, 64);
  const changed = text.slice(0, 30) + (text[30] === 'x' ? 'y' : 'x') + text.slice(31);
  assert.equal(decodeBody(changed), undefined);
  assert.equal(decodeBody(text.slice(0, 40)), undefined);
  assert.equal(decodeBody(text + encodeBody({ ...body, seq: 5679 }, 64)), undefined);
  const other = encodeBody({ ...body, seq: 1 }, 64);
  assert.equal(decodeBody(text.slice(0, 32) + other.slice(32)), undefined);
});
