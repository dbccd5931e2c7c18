/**
 * What the relay tells course-dialect clients beyond the course server's own lines. The
 * course speaks German and its client prints whatever arrives, so these are German sentences.
 */
import { nameKey } from '../../protocol/nameSkeleton';
import type { NameProblem } from '../../protocol/names';
import { MAX_NAME_LENGTH } from '../../protocol/limits';

const nameProblems: Record<NameProblem, string> = {
  empty: 'Der Name ist leer',
  'too-long': `Der Name ist zu lang (höchstens ${MAX_NAME_LENGTH} Zeichen)`,
  'bad-character': "Erlaubt sind Buchstaben, Ziffern, Leerzeichen und . _ - ' (kein Doppelpunkt)",
  'looks-like-colon': 'Der Name enthält ein Zeichen, das wie ein Doppelpunkt aussieht (etwa ː)',
  'invisible-character':
    'Unsichtbare Zeichen (Leerzeichen ohne Breite, Füllzeichen, Richtungszeichen) sind nicht erlaubt',
  reserved: 'Dieser Name ist für den Relay-Server reserviert',
  'mixed-scripts': 'Verwende Buchstaben aus nur einer Schrift, nicht zum Beispiel lateinische und kyrillische gemischt',
};

export const courseText = {
  nameInvalid: (name: string, problem: NameProblem) =>
    `Fehler: Ungültiger Name "${name}". ${nameProblems[problem]}. Bitte neu verbinden und nur den Namen senden.`,
  nameTaken: (name: string, holder: string = name) =>
    nameKey(holder) === nameKey(name)
      ? `Fehler: Der Name "${name}" ist bereits vergeben. Bitte mit einem anderen Namen neu verbinden.`
      : `Fehler: Der Name "${name}" sieht aus wie "${holder}", der schon verbunden ist. Bitte mit einem anderen Namen neu verbinden.`,
  missingRecipient: () => 'Fehler: Nachricht ohne Empfänger. Schreibe Empfänger:Nachricht, zum Beispiel Bob:Hallo',
  tooLong: (limit: number) => `Fehler: Nachricht zu lang (höchstens ${limit} Bytes). Sie wurde nicht weitergeleitet.`,
  invalidUtf8: () => 'Fehler: Die Nachricht ist kein gültiges UTF-8 und wurde nicht weitergeleitet.',
  registrationTimeout: () => 'Fehler: Kein Name empfangen. Die Verbindung wird getrennt.',
  nameHeld: (name: string) =>
    `Fehler: Der Name "${name}" ist für eine Minute reserviert, weil die Verbindung von "${name}" gerade abgebrochen ist. Bitte kurz warten oder einen anderen Namen wählen.`,
  tooManyRegistrations: (seconds: number) =>
    `Fehler: Zu viele Anmeldungen von deiner Adresse in kurzer Zeit. Bitte in ${seconds} s neu verbinden.`,
  framedOnly: () => 'Fehler: Diese Nachricht braucht das Relay-Protokoll.',
  rateLimited: (seconds: number) =>
    `Fehler: Zu viele Nachrichten. Diese wurde nicht weitergeleitet; warte ${seconds} s und sende sie dann erneut.`,
  handRateLimited: (seconds: number) =>
    `Fehler: Zu viele Nachrichten. Deine Hand bleibt, wie sie war; warte ${seconds} s und versuche es dann erneut.`,
  tooManyErrors: () => 'Fehler: Zu viele fehlerhafte Nachrichten. Die Verbindung wird getrennt.',
  tooFast: () => 'Fehler: Zu viele Nachrichten in zu kurzer Zeit. Die Verbindung wird getrennt.',
  idle: (minutes: number) =>
    `Fehler: Seit ${minutes} Minuten keine Nachricht. Die Verbindung wird getrennt; verbinde dich neu, wenn du weiterschreiben willst.`,
  serverFull: () => 'Fehler: Der Relay-Server hat gerade zu viele Verbindungen. Bitte später neu verbinden.',
  handUp: () => 'Deine Hand ist oben: die Lehrperson sieht sie in ihrer Liste. Mit !hand ab nimmst du sie herunter.',
  handDown: () => 'Deine Hand ist unten.',
  muted: (until: string | undefined) =>
    `Die Lehrperson hat dich ${until ? `bis ${until} Uhr` : 'bis auf Weiteres'} stummgeschaltet: deine Nachrichten werden nicht weitergeleitet.`,
  unmuted: () => 'Die Lehrperson hat die Stummschaltung aufgehoben: du kannst wieder schreiben.',
  stillMuted: (until: string | undefined) =>
    `Fehler: Du bist ${until ? `bis ${until} Uhr` : 'bis auf Weiteres'} stummgeschaltet. Deine Nachricht wurde nicht weitergeleitet.`,
  disconnectedByTeacher: (reason: string) => `Die Lehrperson hat dich getrennt: ${reason}`,
  unknownClass: (code: string) =>
    `Fehler: Die Klasse ${code} gibt es auf diesem Relay nicht (vielleicht ist sie beendet). Schreib deinen Namen, oder CODE/Name mit dem Code deiner Klasse.`,
  classFull: (code: string) =>
    `Fehler: Die Klasse ${code} ist voll. Bitte später neu verbinden oder die Lehrperson fragen.`,
  classEnded: (code: string) =>
    `Die Klasse ${code} wurde beendet; ihr Code gilt nicht mehr. Die Verbindung wird getrennt.`,
  nodeUnavailable: () =>
    'Fehler: Dieser Relay-Knoten erreicht die anderen Knoten gerade nicht. Bitte mit einem anderen Knoten neu verbinden.',
  shuttingDown: () => 'Der Relay-Server wird beendet. Die Verbindung wird getrennt.',
};
