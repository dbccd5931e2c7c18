/** Text cut to fit where a person reads it: a roster's column, a teacher's list, a terminal's line. */

/**
 * At most `characters` characters (code points, so a surrogate pair is never split): a longer
 * text keeps its start and ends in "…".
 */
export function cut(text: string, characters: number): string {
  // A string has at least as many UTF-16 units as code points: one this short fits as it is.
  if (text.length <= characters) return text;
  const chars = [...text];
  return chars.length > characters ? `${chars.slice(0, characters - 1).join('')}…` : text;
}
