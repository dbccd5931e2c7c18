/**
 * What a name may be (docs/protocol.md, "Names"): checkName says whether a client may register
 * it, and why not in words. How names are compared (nameSkeleton.ts), which are reserved
 * (reservedNames.ts) and how scripts mix (scripts.ts) are modules of their own.
 */
import { MAX_NAME_LENGTH } from './limits';
import { nameSkeleton } from './nameSkeleton';
import { isReservedName, roleWordIn } from './reservedNames';
import { MAX_MARKS_PER_LETTER, misplacedMark, mixedScripts, type MarkProblem } from './scripts';

export type NameProblem =
  'empty' | 'too-long' | 'bad-character' | 'looks-like-colon' | 'invisible-character' | 'reserved' | 'mixed-scripts';

export type NameCheck = { ok: true; name: string } | { ok: false; problem: NameProblem; detail: string };

// Letters (with their marks) and digits of any script, inner spaces, and . _ - ' ; nothing that
// addresses (:) or frames ({, control). Where a mark may stand is misplacedMark's (scripts.ts).
const NAME_PATTERN = /^[\p{L}\p{N}_](?:[\p{L}\p{M}\p{N}_ .'-]*[\p{L}\p{M}\p{N}_.])?$/u;

// Characters that show nothing (or change how neighbours show) yet make a name different.
// Default_Ignorable_Code_Point covers most; the Hangul fillers are letters that render blank.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- each listed code point counts alone, combining or not
  /[\p{Default_Ignorable_Code_Point}\u115F\u1160\u3164\uFFA0\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFE00-\uFE0F\u180B-\u180F\u{E0100}-\u{E01EF}]/u;

export function checkName(raw: string): NameCheck {
  const name = raw.normalize('NFC');
  if (name.length === 0) return { ok: false, problem: 'empty', detail: 'the name is empty' };
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) {
    return {
      ok: false,
      problem: 'too-long',
      detail: `the name has ${length} characters; at most ${MAX_NAME_LENGTH} are allowed`,
    };
  }
  const invisible = INVISIBLE.exec(name);
  if (invisible) {
    const only = [...name].every((char) => INVISIBLE.test(char));
    return {
      ok: false,
      problem: 'invisible-character',
      detail: `${only ? 'the name consists of nothing but' : 'the name contains'} the invisible character ${hex(invisible[0])}; zero-width, filler, direction and variation characters are not allowed`,
    };
  }
  if (!NAME_PATTERN.test(name)) {
    const bad = [...name].find((char) => !/[\p{L}\p{M}\p{N}_ .'-]/u.test(char));
    const what =
      bad === undefined
        ? "a name must start with a letter, digit or _ and must not end with a space, - or '"
        : `the character ${describeChar(bad)} is not allowed (use letters, digits, spaces and . _ - ')`;
    return { ok: false, problem: 'bad-character', detail: what };
  }
  const mark = misplacedMark(name);
  if (mark) return { ok: false, problem: 'bad-character', detail: describeMark(mark) };
  // A letter that looks like a colon ("Bobː Abgabe" with U+02D0) would let a name read as a
  // sender and a text on a course client's screen ("Sender: Text"). Only the colon: look-alikes of
  // other signs are letters of real names (katakana ノ, the click ǃ, ʔ).
  const colon = [...name].find((char) => nameSkeleton(char).includes(':'));
  if (colon !== undefined) {
    return {
      ok: false,
      problem: 'looks-like-colon',
      detail: `the character ${describeChar(colon)} looks like a colon, which a name may not contain`,
    };
  }
  // Before the script check, so that "Τeacher" with a Greek Tau is refused for what it imitates.
  if (isReservedName(name)) {
    return {
      ok: false,
      problem: 'reserved',
      detail: `"${name}" is reserved: it would read as the relay, as everyone or as a role such as teacher or admin`,
    };
  }
  const roleWord = roleWordIn(name);
  if (roleWord !== undefined) {
    return {
      ok: false,
      problem: 'reserved',
      detail: `"${name}" contains the word "${roleWord}", which would read as a role such as teacher or admin`,
    };
  }
  const mixed = mixedScripts(name);
  if (mixed) {
    return {
      ok: false,
      problem: 'mixed-scripts',
      detail: `the name mixes letters of different scripts (${mixed.scripts.join(', ')}): ${describeChar(mixed.char)} is ${mixed.charScripts.join('/')}; use the letters of one script`,
    };
  }
  return { ok: true, name };
}

// --- Wording ----------------------------------------------------------------------------

function describeMark({ char, why }: MarkProblem): string {
  const mark = `the mark ${describeChar(char)}`;
  switch (why) {
    case 'no-letter':
      return `${mark} does not follow a letter; a mark belongs on the letter before it`;
    case 'other-script':
      return `${mark} does not belong to the script of the letter before it`;
    case 'look-alike':
      return `${mark} makes a letter look like another one, which a name may not do`;
    case 'repeated':
      return `${mark} is repeated on one letter`;
    case 'too-many':
      return `${mark} is one too many: a letter carries at most ${MAX_MARKS_PER_LETTER} marks`;
  }
}

function hex(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? hex(char) : `"${char}" (${hex(char)})`;
}
