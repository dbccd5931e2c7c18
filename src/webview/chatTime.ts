/**
 * Times in the chat (a message's, a hint's, a raised hand's, a mute's end) as the person's
 * locale writes clock times. VS Code's own notifications and views write them as the classroom
 * reads them (src/protocol/lineTime.ts).
 */

/**
 * Formatted once per minute: formatting a date costs more than the rest of rendering a
 * message, and a chat has many messages per minute.
 */
let clock: Intl.DateTimeFormat | undefined;
const minutes = new Map<number, string>();
/** Minutes formatted before the cache starts anew. */
const MINUTES_KEPT = 5000;

/** The clock time of `at` (ISO 8601); empty when it is not a time. */
export function chatTime(at: string): string {
  const time = Date.parse(at);
  if (Number.isNaN(time)) return '';
  const minute = Math.floor(time / 60_000);
  let text = minutes.get(minute);
  if (text === undefined) {
    clock ??= new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      hour: '2-digit',
      minute: '2-digit',
    });
    text = clock.format(time);
    if (minutes.size >= MINUTES_KEPT) minutes.clear();
    minutes.set(minute, text);
  }
  return text;
}
