/** The chat panel's handling of what any classmate may send, in the panel's own modules (no browser needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Prism from 'prismjs';
import 'prismjs/components/prism-python';
import { HIGHLIGHT_LIMIT, worthHighlighting } from '../../src/webview/highlight';
import { findHiddenCharacters } from '../../src/webview/hiddenCharacters';
import { readViewState, savedViewState } from '../../src/webview/viewState';

test('code whose highlighting could freeze the panel is shown plain: above a size or line count, Prism never runs', () => {
  // Prism's Python grammar needs seconds for 10,000 quote characters; the panel would hang.
  const quotes = "'\\''".repeat(2500);
  assert.equal(worthHighlighting(quotes), false);
  assert.equal(worthHighlighting('x = 1\n'.repeat(HIGHLIGHT_LIMIT.lines)), false);
  assert.equal(worthHighlighting('def greet(name):\n    return name\n'), true);
  // At the limit, highlighting still takes a moment at most: the tokens come back.
  const atLimit = "'\\''".repeat(Math.floor(HIGHLIGHT_LIMIT.characters / 4));
  assert.equal(worthHighlighting(atLimit), true);
  assert.ok(Prism.tokenize(atLimit, Prism.languages.python!).length > 0);
});

test('a carriage return alone is flagged in code (the panel shows one line, an editor two); before a line feed it is ordinary', () => {
  const hidden = findHiddenCharacters('x = 1  # nur ein Kommentar\rimport os; os.system("rm -rf ~")');
  assert.equal(hidden.length, 1);
  assert.match(JSON.stringify(hidden[0]), /CARRIAGE RETURN/);
  assert.deepEqual(findHiddenCharacters('print(1)\r\nprint(2)\r\n'), []);
});

test('drafts are kept by conversation without a prototype: a classmate named "constructor" or "__proto__" has an empty draft', () => {
  const view = readViewState({ selected: 'constructor', drafts: { Bob: 'Hallo' } });
  assert.equal(view.drafts.constructor, undefined);
  assert.equal(view.drafts.__proto__, undefined);
  assert.equal(view.drafts.Bob, 'Hallo');
  view.drafts.__proto__ = 'Entwurf';
  assert.equal(savedViewState(view).drafts.__proto__, 'Entwurf');
});
