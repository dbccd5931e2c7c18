/**
 * The key under which the hub holds a name (its skeleton: NFKC, case folding and the confusables
 * of Unicode TR39, nameSkeleton.ts), remembered for the names met lately. Every message looks up
 * its sender and its recipient several times (ids, mutes, rate, counts, route), and working a
 * skeleton out again each time was a fifth of the relay's work per message. A skeleton depends on
 * the name alone, so one memo serves every room. Bounded: when full it starts afresh, so a client
 * sending to ever new names costs the relay their skeletons, never memory.
 */
import { heldKey } from '../../protocol/nameSkeleton';
import { MAX_NAME_LENGTH } from '../../protocol/limits';

/**
 * A recipient longer than this is no one's name and not worth a skeleton. A name has at most
 * MAX_NAME_LENGTH characters (code points, docs/protocol.md "Names"); a recipient may write one
 * with more (combining marks, characters its skeleton drops), so each may take four UTF-16 units.
 * `length` counts those units: cheap, and never fewer than the characters.
 */
const LONGEST_RECIPIENT_UTF16_UNITS = 4 * MAX_NAME_LENGTH;
/** The key of a recipient longer than any name: nobody. */
const NOBODY = '\u0000';
/** Names remembered at most: a few hundred KB at worst (names of 128 units), a class's names many times over. */
export const REMEMBERED_NAMES = 4096;

const keys = new Map<string, string>();

/** The key under which `name` is unique: its skeleton, so look-alikes share it. */
export function keyOfName(name: string): string {
  const known = keys.get(name);
  if (known !== undefined) return known;
  const trimmed = name.trim();
  if (trimmed.length > LONGEST_RECIPIENT_UTF16_UNITS) return NOBODY;
  const key = heldKey(trimmed);
  if (keys.size >= REMEMBERED_NAMES) keys.clear();
  keys.set(name, key);
  return key;
}

/** How many names are remembered now (for tests of the bound). */
export function rememberedNames(): number {
  return keys.size;
}
