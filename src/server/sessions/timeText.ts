/**
 * The time as messages carry it (`at`, ISO 8601 in UTC), worked out once per millisecond: a busy
 * relay stamps many messages within one, and formatting a date is a fair part of a message's cost.
 */
let lastMs = Number.NaN;
let lastText = '';

export function isoTime(now: number = Date.now()): string {
  if (now !== lastMs) {
    lastText = new Date(now).toISOString();
    lastMs = now;
  }
  return lastText;
}
