/**
 * What the relay tells course-dialect clients beyond the course server's own lines. The
 * course speaks German and its client prints whatever arrives, so these are German sentences.
 */
import type { NameProblem } from '../protocol/names';
import { MAX_NAME_LENGTH } from '../protocol/limits';

const nameProblems: Record<NameProblem, string> = {
  'empty': 'Der Name ist leer',
  'too-long': `Der Name ist zu lang (höchstens ${MAX_NAME_LENGTH} Zeichen)`,
  'bad-character': 'Erlaubt sind Buchstaben, Ziffern, Leerzeichen und . _ - \' (kein Doppelpunkt)',
  'reserved': 'Dieser Name ist für den Relay-Server reserviert',
};

export const courseText = {
  nameInvalid: (name: string, problem: NameProblem) =>
    `Fehler: Ungültiger Name "${name}". ${nameProblems[problem]}. Bitte neu verbinden und nur den Namen senden.`,
  nameTaken: (name: string) =>
    `Fehler: Der Name "${name}" ist bereits vergeben. Bitte mit einem anderen Namen neu verbinden.`,
  missingRecipient: () =>
    'Fehler: Nachricht ohne Empfänger. Schreibe Empfänger:Nachricht, zum Beispiel Bob:Hallo',
  tooLong: (limit: number) =>
    `Fehler: Nachricht zu lang (höchstens ${limit} Bytes). Sie wurde nicht weitergeleitet.`,
  invalidUtf8: () =>
    'Fehler: Die Nachricht ist kein gültiges UTF-8 und wurde nicht weitergeleitet.',
  registrationTimeout: () =>
    'Fehler: Kein Name empfangen. Die Verbindung wird getrennt.',
  framedOnly: () =>
    'Fehler: Diese Nachricht braucht das Relay-Protokoll.',
};
