/**
 * Times in the chat (a message's, a hint's, a raised hand's, a mute's end) in VS Code's display
 * language, which the host sends with `init`: the same format as the roster's
 * (src/protocol/lineTime.ts).
 */
import { clockTime } from '../protocol/lineTime';

/** Minutes formatted before the cache starts anew. */
const MINUTES_KEPT = 5000;
/**
 * Formatted once per minute: formatting a date costs more than the rest of rendering a
 * message, and a chat has many messages per minute.
 */
const minutes = new Map<number, string>();

/** The display language changed (a new `init`): times are formatted anew. */
export function forgetChatTimes(): void {
  minutes.clear();
}

/** The clock time of `at` (ISO 8601); empty when it is not a time. */
export function chatTime(at: string): string {
  const time = Date.parse(at);
  if (Number.isNaN(time)) return '';
  const minute = Math.floor(time / 60_000);
  let text = minutes.get(minute);
  if (text === undefined) {
    text = clockTime(at);
    if (minutes.size >= MINUTES_KEPT) minutes.clear();
    minutes.set(minute, text);
  }
  return text;
}
