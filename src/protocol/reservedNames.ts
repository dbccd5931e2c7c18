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

/**
 * Role words in other languages and scripts of a Swiss class, with their endings: a classmate
 * reads "Enseignante", "Öğretmen" or "Учитель" as a teacher too. They are only looked for inside
 * names (roleWordIn), not reserved whole beyond that.
 */
const ROLE_WORDS_ABROAD: readonly RoleWord[] = [
  { stem: 'Instructor', endings: ['s'] },
  { stem: 'Lecturer', endings: ['s'] },
  { stem: 'Professor', endings: ['s', 'in', 'innen', 'en', 'a', 'as'] },
  { stem: 'Profesor', endings: ['a', 'es', 'as'] },
  { stem: 'Professeur', endings: ['e', 's', 'es'] },
  { stem: 'Professore', endings: [] },
  { stem: 'Professoressa', endings: [] },
  { stem: 'Enseignant', endings: ['e', 's', 'es'] },
  { stem: 'Insegnante', endings: [] },
  { stem: 'Insegnanti', endings: [] },
  { stem: 'Docente', endings: ['s'] },
  { stem: 'Docenti', endings: [] },
  { stem: 'Kursleiter', endings: ['in', 'innen', 'n'] },
  { stem: 'Klassenleiter', endings: ['in', 'innen', 'n'] },
  { stem: 'Klassenleitung', endings: ['en'] },
  { stem: 'Öğretmen', endings: ['ler', 'im'] },
  { stem: 'Mësues', endings: ['e', 'i', 'ja', 'it'] },
  { stem: 'Nastavnik', endings: ['a', 'ica', 'ce', 'ci'] },
  { stem: 'Učitelj', endings: ['a', 'ica', 'ice', 'i'] },
  { stem: 'Учитель', endings: ['ница', 'я'] },
  { stem: 'Учител', endings: ['ка', 'и', 'ю', 'ем', 'ей'] },
  { stem: 'Вчитель', endings: ['ка'] },
  { stem: 'Преподаватель', endings: ['ница'] },
  { stem: 'Администратор', endings: ['ы', 'а'] },
  { stem: 'Модератор', endings: ['ы', 'а'] },
  { stem: 'Δάσκαλος', endings: [] },
  { stem: 'Δασκάλα', endings: [] },
  { stem: 'Καθηγητής', endings: [] },
  { stem: 'Καθηγήτρια', endings: [] },
];

/** A role word and the endings it takes: plurals, the feminine, cases. */
interface RoleWord {
  stem: string;
  endings: readonly string[];
}

/** German and English endings of the role words: Lehrpersonen, Tutorin, Dozentinnen, Admins, Teachers. */
const ENDINGS: readonly string[] = ['s', 'es', 'e', 'n', 'en', 'er', 'ern', 'in', 'inn', 'innen', 'nen'];

interface RoleForm {
  key: string;
  word: string;
}

let roleForms: RoleForm[] | undefined;
function forms(): RoleForm[] {
  roleForms ??= [...ROLE_WORDS.map((stem) => ({ stem, endings: ENDINGS })), ...ROLE_WORDS_ABROAD].flatMap(
    ({ stem, endings }) => ['', ...endings].map((ending) => ({ key: roleKey(stem + ending), word: stem })),
  );
  return roleForms;
}

/** How a word is compared with the role words: its held key without marks ("Lehrkräfte" as "lehrkrafte"). */
function roleKey(word: string): string {
  return heldKey(word).normalize('NFD').replace(/\p{M}/gu, '');
}

// Digits written for letters: "T3acher", "Adm1n".
const DIGIT_LETTERS: Readonly<Record<string, string>> = { 0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't', 8: 'b' };

/** A part of a name a reader might take for a role word; `joined` parts must be one whole. */
interface Reading {
  text: string;
  joined: boolean;
}

/**
 * The words of a name a reader might take for a role word: each word, its parts between digits
 * and inner capitals ("Lehrperson1", "KellerLehrerin"), two neighbouring parts together ("Kurs
 * Leiterin"), and each word with its digits read as letters ("T3acher").
 */
function readings(name: string): Reading[] {
  const words = name
    .normalize('NFC')
    .split(/[\s._'-]+/u)
    .filter((word) => word !== '');
  const parts = words.flatMap((word) => word.split(/\p{N}+|(?<=\p{Ll})(?=\p{Lu})/u).filter((part) => part !== ''));
  const pairs = parts.slice(1).map((part, index) => parts[index]! + part);
  const asLetters = words.map((word) => word.replace(/[0-9]/g, (digit) => DIGIT_LETTERS[digit] ?? digit));
  const alone = (text: string): Reading => ({ text, joined: false });
  return [...parts.map(alone), ...pairs.map((text) => ({ text, joined: true })), ...asLetters.map(alone)];
}

/**
 * The role word a name reads as, if any: a word that is a role word with a German or English
 * ending, or ends in one, as a compound whose last part is a role does ("Klassenlehrerin",
 * "Sysadmin"); or two neighbouring words that together are one ("Kurs Leiterin"), but not two
 * that merely end in one together ("Pierre Lay", "Ahmad Min" are names). A compound that only
 * starts with a role word names something else ("Lehrerzimmer"), so it stays a name.
 */
export function roleWordIn(name: string): string | undefined {
  for (const reading of readings(name)) {
    const key = roleKey(reading.text);
    const form = forms().find((candidate) => (reading.joined ? key === candidate.key : key.endsWith(candidate.key)));
    if (form) return form.word;
  }
  return undefined;
}
