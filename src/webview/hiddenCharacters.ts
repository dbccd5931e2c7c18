/**
 * Characters that make code read differently from what it does ("Trojan Source"): bidi
 * controls reorder what the reader sees, invisible characters hide in identifiers and strings,
 * control characters can rewrite a terminal line. The panel flags them before Insert and shows
 * each one as a visible marker instead of letting it act.
 */

export interface HiddenCharacter {
  codePoint: number;
  /** "U+202E" */
  label: string;
  /** The Unicode name, e.g. RIGHT-TO-LEFT OVERRIDE. */
  name: string;
  /** 1-based. */
  line: number;
}

const CANDIDATE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\u061C\u2028\u2029\uFFF9-\uFFFB]/u;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u20E3]/u;

const NAMES: Record<number, string> = {
  0x0d: 'CARRIAGE RETURN (an editor breaks the line here; this panel would not)',
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x17b4: 'KHMER VOWEL INHERENT AQ',
  0x17b5: 'KHMER VOWEL INHERENT AA',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
  0xfff9: 'INTERLINEAR ANNOTATION ANCHOR',
  0xfffa: 'INTERLINEAR ANNOTATION SEPARATOR',
  0xfffb: 'INTERLINEAR ANNOTATION TERMINATOR',
  0x7f: 'DELETE',
  0x1b: 'ESCAPE',
  0x08: 'BACKSPACE',
  0x00: 'NULL',
};

export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

function nameOf(codePoint: number): string {
  const known = NAMES[codePoint];
  if (known) return known;
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'TAG';
  if ((codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef))
    return 'VARIATION SELECTOR';
  if (codePoint < 0x20 || (codePoint >= 0x80 && codePoint < 0xa0)) return 'CONTROL CHARACTER';
  return 'INVISIBLE FORMAT CHARACTER';
}

/**
 * Whether the character at `index` of `chars` hides something. Tab, line feed and a carriage
 * return before a line feed are ordinary code; a carriage return alone is not (the panel shows
 * the line it starts as part of the line before, an editor breaks the line there). A joiner or
 * variation selector next to an emoji is how emoji are written, not a hiding place.
 */
export function isHidden(chars: readonly string[], index: number): boolean {
  const char = chars[index]!;
  if (char === '\t' || char === '\n' || (char === '\r' && chars[index + 1] === '\n') || !CANDIDATE.test(char))
    return false;
  if (char === '\u200d' || char === '\ufe0f' || char === '\ufe0e') {
    const before = chars[index - 1];
    return !(before !== undefined && (EMOJI.test(before) || before === '\ufe0f'));
  }
  return true;
}

/** Every hidden character in `code`, in order. */
export function findHiddenCharacters(code: string): HiddenCharacter[] {
  if (!CANDIDATE.test(code)) return [];
  const chars = [...code];
  const found: HiddenCharacter[] = [];
  let line = 1;
  chars.forEach((char, index) => {
    if (char === '\n') line++;
    else if (isHidden(chars, index)) {
      const codePoint = char.codePointAt(0)!;
      found.push({ codePoint, label: codePointLabel(codePoint), name: nameOf(codePoint), line });
    }
  });
  return found;
}

/** Splits text into ordinary runs and single hidden characters, for rendering markers. */
export function splitHidden(text: string): Array<{ text: string; hidden?: HiddenCharacter }> {
  if (!CANDIDATE.test(text)) return [{ text }];
  const chars = [...text];
  const parts: Array<{ text: string; hidden?: HiddenCharacter }> = [];
  let run = '';
  chars.forEach((char, index) => {
    if (!isHidden(chars, index)) {
      run += char;
      return;
    }
    if (run) parts.push({ text: run });
    run = '';
    const codePoint = char.codePointAt(0)!;
    parts.push({
      text: char,
      hidden: { codePoint, label: codePointLabel(codePoint), name: nameOf(codePoint), line: 0 },
    });
  });
  if (run) parts.push({ text: run });
  return parts;
}
