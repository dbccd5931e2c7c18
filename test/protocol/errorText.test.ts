/** A caught error as one entry of a log. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorDetail } from '../../src/protocol/errorText';

test('an error is shown with its stack, which starts with its name and message', () => {
  const error = new TypeError('no port');
  assert.equal(errorDetail(error), error.stack);
  assert.match(errorDetail(error), /^TypeError: no port\n\s+at /);
});

test('an error without a stack is its name and message; anything else thrown is shown as text', () => {
  const error = new RangeError('too far');
  delete error.stack;
  assert.equal(errorDetail(error), 'RangeError: too far');
  assert.equal(errorDetail('plain words'), 'plain words');
  assert.equal(errorDetail(42), '42');
  assert.equal(errorDetail(undefined), 'undefined');
});
