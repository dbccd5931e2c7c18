import { MAX_NAME_LENGTH } from './limits';

/** Names no client may take: they would read as the relay itself or as "everyone". */
export const RESERVED_NAMES: readonly string[] = ['relay', 'server', 'system', 'everyone', 'all', 'alle', 'admin', 'teacher'];

export type NameProblem = 'empty' | 'too-long' | 'bad-character' | 'reserved';

export type NameCheck = { ok: true; name: string } | { ok: false; problem: NameProblem; detail: string };

// Letters and digits of any script, inner spaces, and . _ - ' ; nothing that addresses (:) or frames ({, control).
const NAME_PATTERN = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_ .'-]*[\p{L}\p{N}_.])?$/u;

/** Key under which a name is unique: "Alice" and "alice" are the same person in a classroom. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export function checkName(raw: string): NameCheck {
  const name = raw.normalize('NFC');
  if (name.length === 0) return { ok: false, problem: 'empty', detail: 'the name is empty' };
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) {
    return { ok: false, problem: 'too-long', detail: `the name has ${length} characters; at most ${MAX_NAME_LENGTH} are allowed` };
  }
  if (!NAME_PATTERN.test(name)) {
    const bad = [...name].find((char) => !/[\p{L}\p{N}_ .'-]/u.test(char));
    const what = bad === undefined
      ? 'a name must start with a letter, digit or _ and must not end with a space, - or \''
      : `the character ${describeChar(bad)} is not allowed (use letters, digits, spaces and . _ - ')`;
    return { ok: false, problem: 'bad-character', detail: what };
  }
  if (RESERVED_NAMES.includes(nameKey(name))) {
    return { ok: false, problem: 'reserved', detail: `"${name}" is reserved for the relay` };
  }
  return { ok: true, name };
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code < 0x20 || code === 0x7f ? hex : `"${char}" (${hex})`;
}
