/**
 * Times as a line of text shows them to a person: the relay sends ISO 8601 in UTC, a person
 * reads the local time of day, and the date only when it is not today. For a course client's
 * German line ("bis 10:32 Uhr"), the command line's terminal and VS Code's notifications, status
 * bar and roster alike. The chat panel writes its times in the person's locale instead
 * (src/webview/chatTime.ts).
 */

const pad = (value: number) => String(value).padStart(2, '0');

/** The local time of day of an ISO time, as a line of text shows it: 10:32. */
export function timeOfDayForLine(iso: string): string {
  const time = new Date(iso);
  return `${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

/** An ISO time as a person reads it beside other lines: 10:32 today, 2026-11-26 08:00 on another day, ? for no time. */
export function dayAndTimeForLine(iso: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '?';
  const hhmm = timeOfDayForLine(iso);
  return sameDay(at, now) ? hhmm : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${hhmm}`;
}

/** Whether two times fall on the same local calendar day. */
export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
