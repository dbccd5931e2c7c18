/** Text cut to fit where a person reads it: a roster's column, a teacher's list, a terminal's line. */

/** At most `characters` characters (code points): a longer text keeps its start and ends in "…". */
export function cut(text: string, characters: number): string {
  const chars = [...text];
  return chars.length > characters ? `${chars.slice(0, characters - 1).join('')}…` : text;
}
