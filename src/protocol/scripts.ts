/**
 * The scripts a name's letters are written in, and whether they mix (Unicode TR39's "highly
 * restrictive" level): "Аlice" with a Cyrillic А is refused for what it imitates.
 */

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
export function mixedScripts(name: string): { scripts: string[]; char: string; charScripts: string[] } | undefined {
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

/** Marks one letter may carry: enough for Hebrew points, Arabic vowels and Indic conjuncts; Zalgo text needs more. */
export const MAX_MARKS_PER_LETTER = 4;

// Combining marks that make a letter look like another one rather than write a sound of a script:
// a dot above (dotless ı with it is i), overlays that strike a letter through, and enclosing marks.
const LOOK_ALIKE_MARKS = /^[\u0307\u0334-\u0338\u20D2-\u20D6\u20D8-\u20DA\u20E5\u20E6\u20EA\u20EB\p{Me}]$/u;

const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;

export type MarkProblem = { char: string; why: 'no-letter' | 'other-script' | 'look-alike' | 'too-many' | 'repeated' };

/**
 * A name may write a letter with its marks (Devanagari प्रिया, Tamil தமிழ், vocalised Arabic
 * مُحَمَّد, Hebrew with points), but a mark must follow a letter, belong to that letter's script
 * (or to every script, as the accents of Latin do), and not be one that turns a letter into
 * another's look-alike; at most MAX_MARKS_PER_LETTER on one letter, none twice in a row.
 */
export function misplacedMark(name: string): MarkProblem | undefined {
  let base: string | undefined;
  let marks: string[] = [];
  for (const char of name) {
    if (!MARK.test(char)) {
      base = LETTER.test(char) ? char : undefined;
      // The marks composed into the letter count too ("ạ" and another dot below).
      marks = [...char.normalize('NFD')].slice(1);
      continue;
    }
    if (base === undefined) return { char, why: 'no-letter' };
    if (LOOK_ALIKE_MARKS.test(char)) return { char, why: 'look-alike' };
    if (marks.at(-1) === char) return { char, why: 'repeated' };
    marks.push(char);
    if (marks.length > MAX_MARKS_PER_LETTER) return { char, why: 'too-many' };
    const own = scriptsOf(char);
    const ofBase = scriptsOf(base);
    if (own.length > 0 && !own.some((script) => ofBase.includes(script))) return { char, why: 'other-script' };
  }
  return undefined;
}
