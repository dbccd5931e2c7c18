/**
 * When something of the classroom happened or ends (a hand raised, a mute's end, a student's
 * connection), as VS Code's notifications, status bar and class roster say it. The chat panel
 * writes its times in the person's locale instead (src/webview/chatTime.ts).
 */

/** A time the relay sent (ISO 8601, UTC) as a classroom reads it: local HH:MM, with the date when not today. */
export function classroomTime(iso: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '?';
  const pad = (value: number) => String(value).padStart(2, '0');
  const hhmm = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const sameDay =
    at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay ? hhmm : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${hhmm}`;
}
