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
  assert.deepEqual(foldCode(`${exact}\n\n  \n`), { head: exact, folded: false, lines: FOLD.codeLines });
  assert.equal(foldCode(`${exact}\ny`).folded, true);
});

test('blank lines and spaces at the end are no part of an item: one line and 30,000 blank ones show as that line alone, and more lines than the fold before them are folded', () => {
  const blank = ' \n'.repeat(30_000);
  assert.deepEqual(foldCode(`x\n${blank}`), { head: 'x', folded: false, lines: 1 });
  assert.deepEqual(foldText(`Hallo\n${blank}\t`), { head: 'Hallo', folded: false, lines: 1 });
  const code = Array.from({ length: FOLD.codeLines + 1 }, (_, index) => `line ${index}`).join('\n');
  const fold = foldCode(`${code}\n${blank}`);
  assert.equal(fold.folded, true);
  assert.equal(fold.lines, FOLD.codeLines + 1);
  assert.equal(fold.head, code.slice(0, code.lastIndexOf('\n')));
});

test('nothing long goes unfolded: what shows unfolded is within the fold, whatever blank lines and spaces it has', () => {
  const texts = [
    `x\n${' \n'.repeat(30_000)}`,
    `x${' '.repeat(20_000)}`,
    `x${'\t\r\n'.repeat(10_000)}`,
    '\n'.repeat(30_000),
    `${' '.repeat(20_000)}x`,
    `${'\n'.repeat(30_000)}x`,
  ];
  for (const text of texts) {
    for (const fold of [foldCode(text), foldText(text)]) {
      if (fold.folded) continue;
      assert.ok(countLines(fold.head) <= FOLD.codeLines, `${JSON.stringify(text.slice(0, 8))}: lines`);
      assert.ok(fold.head.length <= FOLD.codeCharacters, `${JSON.stringify(text.slice(0, 8))}: characters`);
    }
  }
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

test('code is shown as written: the last line with something on it keeps its spaces, only blank lines after it go', () => {
  assert.deepEqual(foldCode('send message(sock)\n  name  '), {
    head: 'send message(sock)\n  name  ',
    folded: false,
    lines: 2,
  });
  assert.equal(foldCode('x = 1  \n \n\t\n').head, 'x = 1  ');
});
