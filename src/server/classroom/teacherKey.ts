/**
 * The relay's teacher key: how one is made (by `classroom-relay serve` and by a classroom hosted
 * from VS Code). Whoever presents it in a hello is a teacher; how long one may be is the
 * protocol's (MAX_TEACHER_KEY_BYTES).
 */
import { randomBytes } from 'node:crypto';
import { READABLE_ALPHABET } from '../../protocol/classCode';

/** A key is read aloud and typed as a class code is: letters and digits nobody mixes up. */
export const KEY_ALPHABET = READABLE_ALPHABET;
const GROUPS = 4;
const GROUP_LENGTH = 4;

/** `count` characters of KEY_ALPHABET from `random` (crypto.randomBytes), without modulo bias. */
export function randomChars(count: number, random: (size: number) => Buffer = randomBytes): string {
  const unbiased = 256 - (256 % KEY_ALPHABET.length);
  const chars: string[] = [];
  while (chars.length < count) {
    for (const byte of random(count * 2)) {
      if (byte < unbiased && chars.length < count) chars.push(KEY_ALPHABET[byte % KEY_ALPHABET.length]!);
    }
  }
  return chars.join('');
}

/** A fresh key such as `7kqm-x4rt-9bzc-hwn3`: four groups of four, about 79 bits. */
export function makeTeacherKey(random: (size: number) => Buffer = randomBytes): string {
  const chars = randomChars(GROUPS * GROUP_LENGTH, random);
  return Array.from({ length: GROUPS }, (_, group) =>
    chars.slice(group * GROUP_LENGTH, (group + 1) * GROUP_LENGTH),
  ).join('-');
}
