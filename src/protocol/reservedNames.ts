/**
 * Names and words no client may take: they would read as the relay itself, as "everyone", or as
 * a role the class trusts. Compared by skeleton (nameSkeleton.ts), so look-alikes and trailing
 * punctuation count too.
 */
import { heldKey } from './nameSkeleton';

/** Role words a name may not contain even beside other words: "Lehrperson Keller" would read as a teacher. */
const ROLE_WORDS: readonly string[] = [
  'teacher',
  'Lehrer',
  'Lehrerin',
  'Lehrperson',
  'Lehrkraft',
  'Tutor',
  'Tutorin',
  'Dozent',
  'Dozentin',
  'Kursleitung',
  'admin',
  'Administrator',
  'Administratorin',
  'Moderator',
  'Moderatorin',
  'relay',
  'server',
  'system',
];

/** Names no client may take, whole: every role word, and what would read as the relay, everyone or its lines. */
export const RESERVED_NAMES: readonly string[] = [
  ...ROLE_WORDS,
  'everyone',
  'all',
  'alle',
  'Root',
  'Host',
  'Classroom Relay',
  'Fehler',
  'Error',
  'Warnung',
  'Warning',
  'Empfänger',
  'Recipient',
  'Sender',
  'Everybody',
  'Jeder',
  'Jede',
  'Hinweis',
  'Hint',
  'Notice',
  'Info',
];

let reservedSet: Set<string> | undefined;
/** Whether `name` is, or looks like, a reserved name. */
export function isReservedName(name: string): boolean {
  reservedSet ??= new Set(RESERVED_NAMES.map(heldKey));
  return reservedSet.has(heldKey(name));
}

let roleWordSet: Set<string> | undefined;
/** The first role word in `name`, if it has one. */
export function roleWordIn(name: string): string | undefined {
  roleWordSet ??= new Set(ROLE_WORDS.map(heldKey));
  return name.split(/[\s._'-]+/u).find((word) => word !== '' && roleWordSet!.has(heldKey(word)));
}
