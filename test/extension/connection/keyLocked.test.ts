/** A teacher whose key the relay did not check is told so, in English and German, on the command line too. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RelayError } from '../../../src/client/types';
import { describeConnectError } from '../../../src/extension/connection/connectionWording';
import { openAdvice } from '../../../src/cli/words';
import { exitForOpenError } from '../../../src/cli/exitCodes';
import { english, german } from '../../helpers/extension/parts';

const locked = new RelayError('teacher-key-locked', 'too many wrong teacher keys came from your address 10.0.0.2');

test('the extension says the key was not checked because of too many wrong keys, not that it is wrong', () => {
  const text = describeConnectError(locked, '10.0.0.1:12345', 'Frau Keller', english);
  assert.match(text, /^The relay at 10\.0\.0\.1:12345 checked no teacher key: too many wrong keys were tried/);
  assert.doesNotMatch(text, /did not accept/);
  assert.match(
    describeConnectError(locked, '10.0.0.1:12345', 'Frau Keller', german),
    /^Das Relay unter 10\.0\.0\.1:12345 hat keinen Lehrpersonen-Schlüssel geprüft/,
  );
});

test('the command line advises waiting, and treats the refusal as one a later connect can overcome', () => {
  assert.match(openAdvice(locked) ?? '', /^The relay checked no key: wait/);
  assert.equal(exitForOpenError('teacher-key-locked'), exitForOpenError('replaced'));
});
