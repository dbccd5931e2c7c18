/**
 * Which part of a long message or snippet the chat shows before the person asks for all of
 * it: a classmate's 5,000-line snippet or one line of 20,000 characters must not make an item
 * taller than a screen, nor cost the panel the time to lay it all out (or highlight it).
 */

/** Where a long item is folded. */
export const FOLD = {
  /** A snippet shows this many lines of code. */
  codeLines: 20,
  /** …and at most this many characters of them (its lines scroll sideways inside the item). */
  codeCharacters: 8000,
  /** A text message shows this many lines… */
  textLines: 12,
  /** …and at most this many characters: a long line wraps, so characters make height too. */
  textCharacters: 480,
} as const;

export interface Fold {
  /** What shows while folded; when nothing is folded, all of it but its blank end. */
  head: string;
  /** Whether anything is left out of `head`. */
  folded: boolean;
  /** How many lines the whole has. */
  lines: number;
}

/** How many lines `text` has (a final line break starts no new line). */
export function countLines(text: string): number {
  if (text === '') return 1;
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * The first `maxLines` lines of `whole`, cut after `maxCharacters` (never inside a character
 * made of two UTF-16 units). Only the part kept is looked at for the head; the rest is counted.
 * Blank lines at the end are no part of it: they would take room (and time to lay out) while
 * showing nothing, so a text is folded or shown whole without them. The last line with something
 * on it keeps its own spaces: code is shown as it was written.
 */
export function foldLines(whole: string, maxLines: number, maxCharacters: number): Fold {
  const text = withoutBlankTail(whole);
  const lines = countLines(text);
  let end = 0;
  for (let line = 0; line < maxLines; line++) {
    const next = text.indexOf('\n', end);
    if (next === -1) {
      end = text.length;
      break;
    }
    end = next + 1;
  }
  // The line break that ends the last line shown is not part of what shows.
  let headEnd = end < text.length && text[end - 1] === '\n' ? end - 1 : end;
  if (headEnd > maxCharacters) headEnd = maxCharacters;
  if (headEnd > 0 && headEnd < text.length && isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd--;
  const folded = headEnd < text.length;
  return { head: folded ? text.slice(0, headEnd) : text, folded, lines };
}

/** A snippet's code as it shows until the person asks for all of it. */
export function foldCode(code: string): Fold {
  return foldLines(code, FOLD.codeLines, FOLD.codeCharacters);
}

/** A text message as it shows until the person asks for all of it. */
export function foldText(text: string): Fold {
  return foldLines(text, FOLD.textLines, FOLD.textCharacters);
}

/** `whole` up to the end of its last line that has more than spaces on it. */
function withoutBlankTail(whole: string): string {
  let last = whole.length - 1;
  while (last >= 0 && /\s/u.test(whole[last]!)) last--;
  const lineEnd = whole.indexOf('\n', last + 1);
  return lineEnd === -1 ? whole : whole.slice(0, lineEnd);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
