/**
 * The keys under which names are compared: two names with the same skeleton look alike, so the
 * relay holds them as one (Unicode TR39's confusables, with case folding). Only for comparing:
 * a skeleton is not a name to show.
 */

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

/**
 * TR39's confusables, read when names are first compared by look, not when the extension is
 * activated: its build leaves the table out of the bundle and reads it from dist/confusables.json
 * (esbuild.mjs).
 */
let confusables: Readonly<Record<string, string>> | undefined;
function confusablesTable(): Readonly<Record<string, string>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require waits until first use
  confusables ??= require('unhomoglyph/data.json') as Record<string, string>;
  return confusables;
}

const mapConfusables = (text: string) => {
  const table = confusablesTable();
  let out = '';
  for (const char of text) out += table[char] ?? char;
  return out;
};

/** Prototypes of the characters that have one, filled as they are met. */
const prototypes = new Map<string, string>();

/** Every code point that is a confusables source or a small letter of one: all others are their own prototype. */
let mappedChars: Set<string> | undefined;
function hasPrototype(char: string): boolean {
  mappedChars ??= new Set(
    Object.keys(confusablesTable()).flatMap((source) => [source, source.toLowerCase(), fold(source)]),
  );
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
