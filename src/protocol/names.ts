import CONFUSABLES from 'unhomoglyph/data.json';
import { MAX_NAME_LENGTH } from './limits';

/**
 * Names no client may take: they would read as the relay itself, as "everyone", or as a role
 * the class trusts. Compared by skeleton, so look-alikes and trailing punctuation count too.
 */
export const RESERVED_NAMES: readonly string[] = [
  'relay',
  'server',
  'system',
  'everyone',
  'all',
  'alle',
  'admin',
  'teacher',
  'Lehrer',
  'Lehrerin',
  'Lehrperson',
  'Lehrkraft',
  'Tutor',
  'Tutorin',
  'Dozent',
  'Dozentin',
  'Kursleitung',
  'Administrator',
  'Administratorin',
  'Moderator',
  'Moderatorin',
  'Root',
  'Host',
  'Classroom Relay',
  'Fehler',
  'Error',
  'Warnung',
  'Warning',
  'Empfänger',
  'Recipient',
  'Sender',
  'Everybody',
  'Jeder',
  'Jede',
  'Hinweis',
  'Hint',
  'Notice',
  'Info',
];

export type NameProblem =
  'empty' | 'too-long' | 'bad-character' | 'looks-like-colon' | 'invisible-character' | 'reserved' | 'mixed-scripts';

export type NameCheck = { ok: true; name: string } | { ok: false; problem: NameProblem; detail: string };

// Letters and digits of any script, inner spaces, and . _ - ' ; nothing that addresses (:) or frames ({, control).
const NAME_PATTERN = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_ .'-]*[\p{L}\p{N}_.])?$/u;

// Characters that show nothing (or change how neighbours show) yet make a name different.
// Default_Ignorable_Code_Point covers most; the Hangul fillers are letters that render blank.
const INVISIBLE =
  /[\p{Default_Ignorable_Code_Point}\u115F\u1160\u3164\uFFA0\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFE00-\uFE0F\u180B-\u180F\u{E0100}-\u{E01EF}]/u;

/** Key under which a name is unique: "Alice" and "alice" are the same person in a classroom. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * Key under which names are unique on the relay: two names with the same skeleton look alike
 * ("Alice", "alice", "Аlice" with a Cyrillic А, fullwidth "Ａlice", "A1ice"). Built from
 * NFKC, full case folding and the confusables mapping of Unicode TR39, with default-ignorable
 * characters dropped and runs of spaces collapsed; applying it twice changes nothing. Only for
 * comparing: a skeleton is not a name to show.
 */
export function nameSkeleton(name: string): string {
  let current = name;
  // Each pass folds and maps again what the previous pass produced; a few passes reach the fixed point.
  for (let pass = 0; pass < 8; pass++) {
    const next = skeletonPass(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}

/**
 * The keys under which a name is held on the relay; a newcomer sharing any of them with someone
 * online looks like them. The folded skeleton catches case and script look-alikes; the
 * case-sensitive TR39 skeleton catches what folding hides (capital I and small l both map to l:
 * "AIice" and "Alice"). Leading and trailing punctuation is dropped ("Alice." is "Alice").
 */
export function nameKeys(name: string): [folded: string, caseSensitive: string] {
  return [heldKey(name), trimEdges(rawSkeleton(name))];
}

/** The folded key alone: how the relay looks up a recipient, and keeps per-name state. */
export function heldKey(name: string): string {
  return trimEdges(nameSkeleton(name));
}

/** Unicode TR39's own skeleton, without case folding: NFD, prototypes, NFD again, to its fixed point. */
function rawSkeleton(name: string): string {
  let current = name;
  for (let pass = 0; pass < 8; pass++) {
    const next = mapConfusables(current.normalize('NFKC').normalize('NFD').replace(DEFAULT_IGNORABLES, ''))
      .replace(/ {2,}/g, ' ')
      .normalize('NFD');
    if (next === current) return next;
    current = next;
  }
  return current;
}

function trimEdges(skeleton: string): string {
  return skeleton.replace(/^[\p{P}\p{Z}\s]+|[\p{P}\p{Z}\s]+$/gu, '');
}

/** Role words a name may not contain even beside other words: "Lehrperson Keller" would read as a teacher. */
const ROLE_WORDS: readonly string[] = [
  'teacher',
  'Lehrer',
  'Lehrerin',
  'Lehrperson',
  'Lehrkraft',
  'Tutor',
  'Tutorin',
  'Dozent',
  'Dozentin',
  'Kursleitung',
  'admin',
  'Administrator',
  'Administratorin',
  'Moderator',
  'Moderatorin',
  'relay',
  'server',
  'system',
];

let roleWordSet: Set<string> | undefined;
function containsRoleWord(name: string): string | undefined {
  roleWordSet ??= new Set(ROLE_WORDS.map(reservedKey));
  return name.split(/[\s._'-]+/u).find((word) => word !== '' && roleWordSet!.has(reservedKey(word)));
}

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
    const bad = [...name].find((char) => !/[\p{L}\p{N}_ .'-]/u.test(char));
    const what =
      bad === undefined
        ? "a name must start with a letter, digit or _ and must not end with a space, - or '"
        : `the character ${describeChar(bad)} is not allowed (use letters, digits, spaces and . _ - ')`;
    return { ok: false, problem: 'bad-character', detail: what };
  }
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
  if (reservedSkeletons().has(reservedKey(name))) {
    return {
      ok: false,
      problem: 'reserved',
      detail: `"${name}" is reserved: it would read as the relay, as everyone or as a role such as teacher or admin`,
    };
  }
  const roleWord = containsRoleWord(name);
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

// --- Skeleton ---------------------------------------------------------------------------

function skeletonPass(text: string): string {
  const folded = fold(text.normalize('NFKC')).normalize('NFD').replace(DEFAULT_IGNORABLES, '');
  let out = '';
  for (const char of folded) out += prototypeOf(char);
  return out.replace(/ {2,}/g, ' ').normalize('NFD');
}

const DEFAULT_IGNORABLES = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * Full case folding (ß and ẞ → ss, ς → σ, İ → i̇). Lower, upper, lower again reaches the folded
 * form; the final sigma is the one context rule of toLowerCase, undone by hand.
 */
function fold(text: string): string {
  return text.toLowerCase().toUpperCase().toLowerCase().replace(/ς/g, 'σ');
}

const isAscii = (text: string) => /^[\0-\x7f]*$/.test(text);

const mapConfusables = (text: string) => {
  let out = '';
  for (const char of text) out += CONFUSABLES[char] ?? char;
  return out;
};

/** Prototypes of the characters that have one, filled as they are met. */
const prototypes = new Map<string, string>();

/** Every code point that is a confusables source or a small letter of one: all others are their own prototype. */
let mappedChars: Set<string> | undefined;
function hasPrototype(char: string): boolean {
  mappedChars ??= new Set(Object.keys(CONFUSABLES).flatMap((source) => [source, source.toLowerCase(), fold(source)]));
  return mappedChars.has(char);
}

/**
 * The folded TR39 prototype of one folded code point. TR39's data is case-sensitive (Greek Τ → T,
 * but τ → ᴛ; Cyrillic Н → H, but н → ʜ), so a character whose own prototype is not plain ASCII
 * takes its capital's prototype when that one is: both cases of a letter then share one
 * prototype, and "Τeacher" meets "teacher".
 */
function prototypeOf(char: string): string {
  if (!hasPrototype(char)) return char;
  const known = prototypes.get(char);
  if (known !== undefined) return known;
  const capital = char.toUpperCase();
  const own = fold(mapConfusables(char)).normalize('NFD');
  const ofCapital = fold(mapConfusables(capital)).normalize('NFD');
  const result = isAscii(own) || !isAscii(ofCapital) ? own : ofCapital;
  prototypes.set(char, result);
  return result;
}

// --- Reserved names ---------------------------------------------------------------------

/** The skeleton without leading or trailing punctuation and spaces: "Teacher." reads as "Teacher". */
function reservedKey(name: string): string {
  return nameSkeleton(name).replace(/^[\p{P}\p{Z}\s]+|[\p{P}\p{Z}\s]+$/gu, '');
}

let reservedSet: Set<string> | undefined;
function reservedSkeletons(): Set<string> {
  reservedSet ??= new Set(RESERVED_NAMES.map(reservedKey));
  return reservedSet;
}

// --- Scripts ----------------------------------------------------------------------------

// The Unicode Script property values (UCD 17.0). Names the JavaScript engine does not know yet
// are skipped; its characters of such a script are unassigned there and not letters anyway.
const SCRIPT_NAMES = [
  'Adlam',
  'Ahom',
  'Anatolian_Hieroglyphs',
  'Arabic',
  'Armenian',
  'Avestan',
  'Balinese',
  'Bamum',
  'Bassa_Vah',
  'Batak',
  'Bengali',
  'Beria_Erfe',
  'Bhaiksuki',
  'Bopomofo',
  'Brahmi',
  'Braille',
  'Buginese',
  'Buhid',
  'Canadian_Aboriginal',
  'Carian',
  'Caucasian_Albanian',
  'Chakma',
  'Cham',
  'Cherokee',
  'Chorasmian',
  'Coptic',
  'Cuneiform',
  'Cypriot',
  'Cypro_Minoan',
  'Cyrillic',
  'Deseret',
  'Devanagari',
  'Dives_Akuru',
  'Dogra',
  'Duployan',
  'Egyptian_Hieroglyphs',
  'Elbasan',
  'Elymaic',
  'Ethiopic',
  'Garay',
  'Georgian',
  'Glagolitic',
  'Gothic',
  'Grantha',
  'Greek',
  'Gujarati',
  'Gunjala_Gondi',
  'Gurmukhi',
  'Gurung_Khema',
  'Han',
  'Hangul',
  'Hanifi_Rohingya',
  'Hanunoo',
  'Hatran',
  'Hebrew',
  'Hiragana',
  'Imperial_Aramaic',
  'Inscriptional_Pahlavi',
  'Inscriptional_Parthian',
  'Javanese',
  'Kaithi',
  'Kannada',
  'Katakana',
  'Kawi',
  'Kayah_Li',
  'Kharoshthi',
  'Khitan_Small_Script',
  'Khmer',
  'Khojki',
  'Khudawadi',
  'Kirat_Rai',
  'Lao',
  'Latin',
  'Lepcha',
  'Limbu',
  'Linear_A',
  'Linear_B',
  'Lisu',
  'Lycian',
  'Lydian',
  'Mahajani',
  'Makasar',
  'Malayalam',
  'Mandaic',
  'Manichaean',
  'Marchen',
  'Masaram_Gondi',
  'Medefaidrin',
  'Meetei_Mayek',
  'Mende_Kikakui',
  'Meroitic_Cursive',
  'Meroitic_Hieroglyphs',
  'Miao',
  'Modi',
  'Mongolian',
  'Mro',
  'Multani',
  'Myanmar',
  'Nabataean',
  'Nag_Mundari',
  'Nandinagari',
  'New_Tai_Lue',
  'Newa',
  'Nko',
  'Nushu',
  'Nyiakeng_Puachue_Hmong',
  'Ogham',
  'Ol_Chiki',
  'Ol_Onal',
  'Old_Hungarian',
  'Old_Italic',
  'Old_North_Arabian',
  'Old_Permic',
  'Old_Persian',
  'Old_Sogdian',
  'Old_South_Arabian',
  'Old_Turkic',
  'Old_Uyghur',
  'Oriya',
  'Osage',
  'Osmanya',
  'Pahawh_Hmong',
  'Palmyrene',
  'Pau_Cin_Hau',
  'Phags_Pa',
  'Phoenician',
  'Psalter_Pahlavi',
  'Rejang',
  'Runic',
  'Samaritan',
  'Saurashtra',
  'Sharada',
  'Shavian',
  'Siddham',
  'Sidetic',
  'SignWriting',
  'Sinhala',
  'Sogdian',
  'Sora_Sompeng',
  'Soyombo',
  'Sundanese',
  'Sunuwar',
  'Syloti_Nagri',
  'Syriac',
  'Tagalog',
  'Tagbanwa',
  'Tai_Le',
  'Tai_Tham',
  'Tai_Viet',
  'Tai_Yo',
  'Takri',
  'Tamil',
  'Tangsa',
  'Tangut',
  'Telugu',
  'Thaana',
  'Thai',
  'Tibetan',
  'Tifinagh',
  'Tirhuta',
  'Todhri',
  'Tolong_Siki',
  'Toto',
  'Tulu_Tigalari',
  'Ugaritic',
  'Vai',
  'Vithkuqi',
  'Wancho',
  'Warang_Citi',
  'Yezidi',
  'Yi',
  'Zanabazar_Square',
];

/** Characters that belong to every script: digits, punctuation, combining marks. */
const COMMON_OR_INHERITED = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;

let scriptPatterns: Array<{ name: string; pattern: RegExp }> | undefined;
function knownScripts(): Array<{ name: string; pattern: RegExp }> {
  scriptPatterns ??= SCRIPT_NAMES.flatMap((name) => {
    try {
      return [{ name, pattern: new RegExp(`^\\p{Script_Extensions=${name}}$`, 'u') }];
    } catch {
      return [];
    }
  });
  return scriptPatterns;
}

/** The scripts a character is written in (its Script_Extensions), readable: "Canadian Aboriginal". */
export function scriptsOf(char: string): string[] {
  if (/^[A-Za-z]$/.test(char)) return ['Latin'];
  if (COMMON_OR_INHERITED.test(char)) return [];
  const known = scriptCache.get(char);
  if (known) return known;
  const found = knownScripts()
    .filter(({ pattern }) => pattern.test(char))
    .map(({ name }) => name.replace(/_/g, ' '));
  const scripts = found.length > 0 ? found : ['Unknown'];
  if (scriptCache.size >= MAX_CACHED_SCRIPTS) scriptCache.clear();
  scriptCache.set(char, scripts);
  return scripts;
}

const scriptCache = new Map<string, string[]>();
const MAX_CACHED_SCRIPTS = 4096;

// Han is written together with kana in Japanese, with Bopomofo in Chinese and with Hangul in
// Korean: TR39 treats each such combination as one writing system.
const WRITING_SYSTEMS: Readonly<Record<string, readonly string[]>> = {
  Han: ['Japanese', 'Chinese', 'Korean'],
  Hiragana: ['Japanese'],
  Katakana: ['Japanese'],
  Bopomofo: ['Chinese'],
  Hangul: ['Korean'],
};
const CJK = new Set(['Japanese', 'Chinese', 'Korean']);

function writingSystems(scripts: readonly string[]): Set<string> {
  return new Set(scripts.flatMap((script) => [script, ...(WRITING_SYSTEMS[script] ?? [])]));
}

function intersect(sets: readonly Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((item) => rest.every((set) => set.has(item))));
}

/**
 * TR39's "highly restrictive" level: the letters share one script (Common and Inherited
 * characters go with any), or they are Latin together with Japanese, Chinese or Korean.
 * Returns the scripts found and the first letter outside the script most letters share.
 */
function mixedScripts(name: string): { scripts: string[]; char: string; charScripts: string[] } | undefined {
  const letters = [...name]
    .map((char) => ({ char, scripts: scriptsOf(char) }))
    .filter((letter) => letter.scripts.length > 0);
  if (letters.length === 0) return undefined;
  const systems = letters.map((letter) => writingSystems(letter.scripts));
  if (intersect(systems).size > 0) return undefined;
  const besidesLatin = systems.filter((set) => !set.has('Latin'));
  if ([...intersect(besidesLatin)].some((system) => CJK.has(system))) return undefined;
  const counts = new Map<string, number>();
  for (const set of systems) for (const system of set) counts.set(system, (counts.get(system) ?? 0) + 1);
  const [majority] = [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  const outsider = letters.find((_, index) => !systems[index]!.has(majority)) ?? letters[0]!;
  const scripts = [...new Set(letters.map((letter) => letter.scripts[0]!))];
  return { scripts, char: outsider.char, charScripts: outsider.scripts };
}

// --- Wording ----------------------------------------------------------------------------

function hex(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? hex(char) : `"${char}" (${hex(char)})`;
}
