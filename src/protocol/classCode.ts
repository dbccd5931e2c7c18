/**
 * A class's code on a relay that keeps several classes: short, read aloud and typed by students
 * (`4kx-92m`), so it is made of letters and digits nobody mixes up. Where a course client types
 * its name it may name its class first, `CODE/Name`: names have no slash, so the two never clash.
 */

/** Lowercase letters and digits a person reads aloud and types without mixing them up: no 0/o, 1/l/i. */
export const READABLE_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

/** Two groups of three: about 29 bits, read as `4kx-92m`. */
export const CLASS_CODE_GROUPS = 2;
export const CLASS_CODE_GROUP_LENGTH = 3;
const CODE_LENGTH = CLASS_CODE_GROUPS * CLASS_CODE_GROUP_LENGTH;

export type ClassCodeCheck = { ok: true; code: string } | { ok: false; detail: string };

/** What people write for a code (any case, with or without the dash or a space) as the code itself. */
export function readClassCode(input: string): ClassCodeCheck {
  const compact = input.trim().toLowerCase().replace(/[-\s]/g, '');
  if (compact === '') return { ok: false, detail: 'the class code is empty' };
  const mixedUp = [...compact].find((char) => '0o1li'.includes(char));
  if (mixedUp !== undefined)
    return {
      ok: false,
      detail: `class codes have no "${mixedUp}": they leave out 0, o, 1, l and i, which look alike; check the code again`,
    };
  const foreign = [...compact].find((char) => !READABLE_ALPHABET.includes(char));
  if (foreign !== undefined)
    return { ok: false, detail: `"${foreign}" is not in a class code: it has letters and digits only` };
  if (compact.length !== CODE_LENGTH)
    return { ok: false, detail: `a class code has ${CODE_LENGTH} letters and digits, such as 4kx-92m` };
  return { ok: true, code: formatClassCode(compact) };
}

/** `4kx92m` as people read it: `4kx-92m`. */
export function formatClassCode(compact: string): string {
  const groups: string[] = [];
  for (let at = 0; at < compact.length; at += CLASS_CODE_GROUP_LENGTH)
    groups.push(compact.slice(at, at + CLASS_CODE_GROUP_LENGTH));
  return groups.join('-');
}

/** A name as a course client types it: `Anna`, or `4kx-92m/Anna` to join class 4kx-92m as Anna. */
export type ClassedName = { code: undefined; name: string } | { code: ClassCodeCheck; name: string };

export function splitClassedName(line: string): ClassedName {
  const slash = line.indexOf('/');
  if (slash === -1) return { code: undefined, name: line };
  return { code: readClassCode(line.slice(0, slash)), name: line.slice(slash + 1) };
}
