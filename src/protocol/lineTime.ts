/**
 * Times as a line of text shows them to a person: the relay sends ISO 8601 in UTC, a person
 * reads the local time of day. For a course client's German line ("bis 10:32 Uhr") and the
 * command line's terminal alike.
 */

/** The local time of day of an ISO time, as a line of text shows it: 10:32. */
export function timeOfDayForLine(iso: string): string {
  const time = new Date(iso);
  return `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`;
}
