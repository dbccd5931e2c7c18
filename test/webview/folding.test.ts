/** Which part of a long message or snippet the chat shows folded (src/webview/folding.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countLines, FOLD, foldCode, foldLines, foldText } from '../../src/webview/folding';

test('a snippet of more lines than the fold shows its first lines and counts all of them', () => {
  const code = Array.from({ length: 5000 }, (_, index) => `line ${index}`).join('\n');
  const fold = foldCode(code);
  assert.equal(fold.folded, true);
  assert.equal(fold.lines, 5000);
  assert.equal(fold.head, Array.from({ length: FOLD.codeLines }, (_, index) => `line ${index}`).join('\n'));
});

test('code of exactly the fold, or with only blank lines after it, is shown whole', () => {
  const exact = Array.from({ length: FOLD.codeLines }, () => 'x').join('\n');
  assert.deepEqual(foldCode(exact), { head: exact, folded: false, lines: FOLD.codeLines });
  assert.equal(foldCode(`${exact}\n`).folded, false);
  assert.equal(foldCode(`${exact}\n\n  \n`).folded, false);
  assert.equal(foldCode(`${exact}\ny`).folded, true);
});

test('one line longer than the fold takes is cut by characters, never inside a character of two UTF-16 units', () => {
  const line = 'a'.repeat(20_000);
  const fold = foldText(line);
  assert.equal(fold.folded, true);
  assert.equal(fold.lines, 1);
  assert.equal(fold.head.length, FOLD.textCharacters);
  const emoji = `${'a'.repeat(9)}😀tail`;
  assert.equal(foldLines(emoji, 5, 10).head, 'a'.repeat(9));
  assert.equal(foldLines(emoji, 5, 11).head, `${'a'.repeat(9)}😀`);
});

test('a text message folds after its first lines; a short one is left as it is', () => {
  const many = Array.from({ length: 30 }, (_, index) => `Zeile ${index}`).join('\n');
  const fold = foldText(many);
  assert.equal(fold.folded, true);
  assert.equal(fold.head.split('\n').length, FOLD.textLines);
  assert.deepEqual(foldText('Hallo!'), { head: 'Hallo!', folded: false, lines: 1 });
});

test('lines are counted as an editor counts them', () => {
  assert.equal(countLines(''), 1);
  assert.equal(countLines('a'), 1);
  assert.equal(countLines('a\n'), 1);
  assert.equal(countLines('a\nb'), 2);
  assert.equal(countLines('a\n\nb\n'), 3);
});
