/** Names written with combining marks: letters with the marks of their script are names; stray marks are not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkName } from '../../src/protocol/names';
import { MAX_MARKS_PER_LETTER } from '../../src/protocol/scripts';

function problemOf(name: string): string {
  const check = checkName(name);
  return check.ok ? 'ok' : check.problem;
}

function detailOf(name: string): string {
  const check = checkName(name);
  assert.equal(check.ok, false, `${JSON.stringify(name)} was accepted`);
  return (check as { detail: string }).detail;
}

test('names written with the marks of their script are accepted', () => {
  for (const name of [
    'प्रिया',
    'तमन्ना शर्मा',
    'தமிழ்',
    'மீனாட்சி',
    'مُحَمَّد',
    'ਗੁਰਪ੍ਰੀਤ',
    'שָׁלוֹם',
    'יִצְחָק',
    'วิไล',
    'ẹ́mì',
    'ಕೃಷ್ಣ',
    'ශ්‍රී'.replace('\u200D', ''),
  ]) {
    assert.equal(problemOf(name), 'ok', name);
  }
});

test('a mark that follows no letter is refused, naming the mark', () => {
  assert.equal(problemOf('Anna \u0301Lena'), 'bad-character');
  assert.match(detailOf('Anna \u0301Lena'), /U\+0301.*does not follow a letter/);
  assert.equal(problemOf('7\u093E'), 'bad-character');
});

test('a mark of another script than its letter is refused', () => {
  assert.match(detailOf('Ma\u093Eria'), /U\+093E.*script of the letter before it/);
  assert.match(detailOf('Lina\u05B8'), /U\+05B8/);
});

test('marks that make a letter look like another, enclosing marks, repeats and stacks are refused', () => {
  assert.match(detailOf('Al\u0131\u0307ce'), /U\+0307.*look like another/);
  assert.match(detailOf('Bo\u0338b'), /U\+0338/);
  assert.match(detailOf('Bob\u20DD'), /U\+20DD/);
  assert.match(detailOf('ba\u0323\u0323'), /repeated/);
  assert.match(detailOf('a' + '\u0316\u0317\u0318\u0319\u031A'), new RegExp(`at most ${MAX_MARKS_PER_LETTER} marks`));
});
