/** Names: look-alikes share a skeleton, invisible and mixed-script names are refused, role words are reserved. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkName, type NameProblem } from '../../src/protocol/names';
import { nameKey, nameSkeleton } from '../../src/protocol/nameSkeleton';
import { RESERVED_NAMES } from '../../src/protocol/reservedNames';
import { scriptsOf } from '../../src/protocol/scripts';

function problemOf(name: string): NameProblem | 'ok' {
  const check = checkName(name);
  return check.ok ? 'ok' : check.problem;
}

function detailOf(name: string): string {
  const check = checkName(name);
  assert.equal(check.ok, false, `${JSON.stringify(name)} was accepted`);
  return (check as { detail: string }).detail;
}

test('every look-alike of Alice has the skeleton of Alice', () => {
  const alice = nameSkeleton('Alice');
  for (const lookAlike of [
    'alice',
    'ALICE',
    'Аlice',
    'Ａlice',
    'Ａｌｉｃｅ',
    'Alice\u3164',
    'A\u200Blice',
    'Al\u00ADice',
    'A1ice',
  ]) {
    assert.equal(nameSkeleton(lookAlike), alice, JSON.stringify(lookAlike));
  }
  assert.notEqual(nameSkeleton('Alicia'), alice);
  assert.notEqual(nameSkeleton('Alice2'), alice);
});

test('a name that is only a Hangul filler has an empty skeleton and is refused as invisible', () => {
  assert.equal(nameSkeleton('\u3164'), '');
  assert.equal(problemOf('\u3164'), 'invisible-character');
  assert.match(detailOf('\u3164'), /nothing but the invisible character U\+3164/);
});

test('invisible and default-ignorable characters are refused, naming the character', () => {
  const cases: Array<[string, string]> = [
    ['Alice\u3164', 'U+3164'],
    ['\u115FBob', 'U+115F'],
    ['Bo\u1160b', 'U+1160'],
    ['Bob\uFFA0', 'U+FFA0'],
    ['Al\u200Bice', 'U+200B'],
    ['Al\u200Dice', 'U+200D'],
    ['Alice\u202E', 'U+202E'],
    ['Ali\u2066ce', 'U+2066'],
    ['Alice\uFE0F', 'U+FE0F'],
    ['Alice\u{E0100}', 'U+E0100'],
    ['Al\u00ADice', 'U+00AD'],
    ['\uFEFFAlice', 'U+FEFF'],
  ];
  for (const [name, code] of cases) {
    assert.equal(problemOf(name), 'invisible-character', JSON.stringify(name));
    assert.match(
      detailOf(name),
      new RegExp(`contains the invisible character ${code.replace('+', '\\+')};`),
      JSON.stringify(name),
    );
  }
});

test('fullwidth and mathematical letters fold to their plain form', () => {
  assert.equal(nameSkeleton('Ａｌｉｃｅ'), nameSkeleton('alice'));
  assert.equal(nameSkeleton('𝐀𝐥𝐢𝐜𝐞'), nameSkeleton('alice'));
});

test('ß and ẞ collide with ss, and letter case never matters', () => {
  assert.equal(nameSkeleton('Strauß'), nameSkeleton('STRAUSS'));
  assert.equal(nameSkeleton('STRAUẞ'), nameSkeleton('strauss'));
  assert.equal(nameSkeleton('Νίκος'), nameSkeleton('ΝΊΚΟΣ'));
  assert.equal(nameSkeleton('Дмитрий'), nameSkeleton('ДМИТРИЙ'));
});

test('letters of two scripts are refused, naming the scripts and the letter that does not fit', () => {
  assert.equal(problemOf('Аlice'), 'mixed-scripts');
  assert.match(
    detailOf('Аlice'),
    /mixes letters of different scripts \(Cyrillic, Latin\): "А" \(U\+0410\) is Cyrillic/,
  );
  assert.equal(problemOf('Alicе'), 'mixed-scripts');
  assert.match(detailOf('Alicе'), /"е" \(U\+0435\) is Cyrillic/);
  assert.equal(problemOf('Νikos'), 'mixed-scripts');
  assert.match(detailOf('Νikos'), /\(Greek, Latin\)/);
  assert.equal(problemOf('Bob٣'), 'mixed-scripts');
});

test('Japanese, Chinese and Korean combinations and Latin with them are one writing system', () => {
  for (const name of ['田中さくら', 'タナカ', '王小明', '김민준', '이民俊', 'Sakura田中', 'Ken_2'])
    assert.equal(problemOf(name), 'ok', name);
  assert.equal(problemOf('さくらДима'), 'mixed-scripts');
});

test('Teacher, its look-alikes and the role words are reserved, trailing punctuation included', () => {
  const reserved = [
    'Teacher',
    'teacher',
    'TEACHER',
    'Teacher.',
    'Teacher..',
    'Τeacher',
    'Ｔｅａｃｈｅｒ',
    'ТЕАСНЕR',
    'Lehrer',
    'Lehrer.',
    'LEHRER',
    'Lehrerin',
    'Lehrperson',
    'Lehrkraft',
    'Tutor',
    'Admin',
    'Adrnin',
    'Administrator',
    'Moderator',
    'Server',
    'Relay',
    'System',
    'Fehler',
    'Error',
    'Empfänger',
    'EMPFÄNGER',
    'Everyone',
    'All',
    'A11',
    'Alle',
    'Jeder',
    'Hinweis',
    'Hint',
    'Notice',
    'Info',
    '_Admin_',
  ];
  for (const name of reserved) assert.equal(problemOf(name), 'reserved', name);
  assert.match(detailOf('Τeacher'), /"Τeacher" is reserved/);
  for (const name of RESERVED_NAMES) assert.equal(problemOf(name), 'reserved', name);
});

test('a letter that looks like a colon is refused, also when only its compatibility form does, naming the character', () => {
  assert.deepEqual(checkName('Bobː Abgabe'), {
    ok: false,
    problem: 'looks-like-colon',
    detail: 'the character "ː" (U+02D0) looks like a colon, which a name may not contain',
  });
  assert.equal(
    (checkName('Bob\u{10781} Abgabe') as { problem: string }).problem,
    'looks-like-colon',
    'U+10781 is ː in its compatibility form',
  );
  assert.equal(checkName('ːː').ok, false);
});

test('German, Swiss and international names stay accepted', () => {
  const names = [
    'Alice',
    'Zoë',
    'Jürg',
    'Jürg Müller',
    'Anaïs',
    'Françoise',
    'Loïc',
    'Noël',
    'Søren',
    'Ægir',
    'Strauß',
    "O'Neil",
    "D'Amico",
    'Anna-Lena',
    'Hans-Ueli',
    'anna_2',
    'Max2',
    'Ali',
    'Ida',
    'Lia',
    'Emil',
    'Mia 3b',
    'Dr. Meier',
    'Alleinstein',
    'Lehrerzimmer',
    '田中さくら',
    'Νίκος',
    'Δημήτρης',
    'Дмитрий',
    'Ольга',
    '김민준',
    'محمد',
    'דוד',
    'Nguyễn Văn An',
    'Đorđe',
    'Şükrü',
    'Ðóra',
    'Þór',
    'Łukasz',
    'İlker',
    'Thảo',
    'ʻOlelo',
    'アヤノ',
    'ノゾミ',
    'ᐸᐅᓗᓯ',
    'ǃXóõ',
    'ʔAmina',
  ];
  for (const name of names) assert.deepEqual(checkName(name), { ok: true, name: name.normalize('NFC') }, name);
});

test('nameKey stays as it was: NFC and lower case only', () => {
  assert.equal(nameKey('Alice'), 'alice');
  assert.equal(nameKey('Zoe\u0308'), 'zoë');
  assert.notEqual(nameKey('Аlice'), nameKey('Alice'));
});

test('every letter and digit the JavaScript engine knows belongs to a script the check knows', () => {
  const unknown: string[] = [];
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    if (/[\p{L}\p{N}]/u.test(char) && scriptsOf(char).includes('Unknown'))
      unknown.push(`U+${code.toString(16).toUpperCase()}`);
  }
  assert.deepEqual(unknown.slice(0, 20), []);
});

// --- Properties ------------------------------------------------------------------------

/** Any code point, lone surrogates included, with look-alikes and invisibles more often than chance would give. */
const anyChar = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom(
    'А',
    'а',
    'Τ',
    'τ',
    'Ι',
    'I',
    'l',
    '1',
    '0',
    'O',
    'ß',
    'ẞ',
    'ς',
    'Σ',
    'İ',
    'ı',
    'ŉ',
    'ǅ',
    'ᾳ',
    '\u0345',
    'ﬁ',
    'Ａ',
    '\u3164',
    '\u200B',
    '\u0301',
    ' ',
    '.',
    '-',
    "'",
    ':',
  ),
);
const anyString = fc.string({ unit: anyChar, maxLength: 40 });

/** Names in one writing system, as a class would type them, with case-sensitive and compatibility letters. */
const alphabets = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜßẞéèêëïçñøåæœǅŉİıﬁＡｚ',
  'αβγδεζηθικλμνξοπρστυφχψωςΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩάέήίόύώΐΰᾳ',
  'абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯёЁіІїєґӀ',
  '田中山本さくらタナカー',
  '김민준이박',
].map((alphabet) => [...alphabet, '0', '1', '7', '_']);
const nameLike = fc.constantFrom(...alphabets).chain((alphabet) => {
  const word = fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 12 });
  return fc
    .tuple(word, fc.constantFrom('', ' ', '-', "'", '.'), word)
    .map(([first, joint, second]) => (joint === '' ? first : `${first}${joint}${second}`));
});

test('checkName never throws and always answers ok or a known problem with a detail', () => {
  const problems = new Set(['empty', 'too-long', 'bad-character', 'invisible-character', 'reserved', 'mixed-scripts']);
  fc.assert(
    fc.property(anyString, (raw) => {
      const check = checkName(raw);
      if (check.ok) return typeof check.name === 'string';
      return problems.has(check.problem) && check.detail.length > 0;
    }),
    { numRuns: 2000 },
  );
});

test('nameSkeleton never throws and applying it twice changes nothing', () => {
  fc.assert(
    fc.property(anyString, (raw) => {
      const skeleton = nameSkeleton(raw);
      assert.equal(nameSkeleton(skeleton), skeleton);
    }),
    { numRuns: 2000 },
  );
});

test('an accepted name has the skeleton of its NFKC, NFD and letter-case variants', () => {
  let accepted = 0;
  fc.assert(
    fc.property(nameLike, (name) => {
      const check = checkName(name);
      if (!check.ok) return;
      accepted++;
      const skeleton = nameSkeleton(check.name);
      for (const variant of [
        name.normalize('NFKC'),
        name.normalize('NFD'),
        name.toUpperCase(),
        name.toLowerCase(),
        name.toLowerCase().toUpperCase(),
      ]) {
        assert.equal(nameSkeleton(variant), skeleton, `${JSON.stringify(name)} vs ${JSON.stringify(variant)}`);
      }
    }),
    { numRuns: 2000 },
  );
  assert.ok(accepted > 200, `only ${accepted} generated names were accepted`);
});
