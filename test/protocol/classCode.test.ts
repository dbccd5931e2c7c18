import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatClassCode, READABLE_ALPHABET, readClassCode, splitClassedName } from '../../src/protocol/classCode';

test('a class code is read in any case, with or without its dash, and written back as 4kx-92m', () => {
  for (const written of ['4kx-92m', '4KX-92M', '4kx92m', ' 4kx 92m ', '4Kx-92M'])
    assert.deepEqual(readClassCode(written), { ok: true, code: '4kx-92m' }, written);
});

test('a code with a look-alike character says which one the codes leave out', () => {
  assert.deepEqual(readClassCode('4kx-920'), {
    ok: false,
    detail: 'class codes have no "0": they leave out 0, o, 1, l and i, which look alike; check the code again',
  });
  for (const written of ['4kx-92o', '1kx-92m', 'lkx-92m', 'ikx-92m']) assert.equal(readClassCode(written).ok, false);
});

test('a code of another length, of other characters or empty is refused with its reason', () => {
  assert.deepEqual(readClassCode('4kx-92'), {
    ok: false,
    detail: 'a class code has 6 letters and digits, such as 4kx-92m',
  });
  assert.deepEqual(readClassCode('4kx-9?m'), {
    ok: false,
    detail: '"?" is not in a class code: it has letters and digits only',
  });
  assert.deepEqual(readClassCode(' '), { ok: false, detail: 'the class code is empty' });
});

test('every code made of the readable alphabet reads back as itself', () => {
  const char = fc.constantFrom(...READABLE_ALPHABET);
  fc.assert(
    fc.property(fc.array(char, { minLength: 6, maxLength: 6 }), (chars) => {
      const code = formatClassCode(chars.join(''));
      assert.deepEqual(readClassCode(code), { ok: true, code });
      assert.deepEqual(readClassCode(code.toUpperCase()), { ok: true, code });
    }),
  );
});

test('a course client names its class before its name as CODE/Name; a name alone joins the default class', () => {
  assert.deepEqual(splitClassedName('4kx-92m/Anna'), { code: { ok: true, code: '4kx-92m' }, name: 'Anna' });
  assert.deepEqual(splitClassedName('Anna'), { code: undefined, name: 'Anna' });
  const wrong = splitClassedName('4kx-920/Anna');
  assert.equal(wrong.name, 'Anna');
  assert.equal(wrong.code?.ok, false);
});
