/**
 * Times as a line of text shows them to a person: the relay sends ISO 8601 in UTC, a person
 * reads the local time of day, and the date only when it is not today. For a course client's
 * German line ("bis 10:32 Uhr"), the command line's terminal and VS Code's notifications alike.
 * The chat panel and the roster write theirs in VS Code's display language instead, with one
 * formatter for both: clockTime and dayAndClockTime below.
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

/**
 * VS Code's display language (vscode.env.language), in which the chat panel, the roster and
 * the other views write times; set once by the extension at activation and by the panel from
 * the host's `init`. Undefined: the runtime's own default.
 */
let displayLocale: string | undefined;

export function setDisplayLocale(locale: string | undefined): void {
  displayLocale = locale === '' ? undefined : locale;
}

export function getDisplayLocale(): string | undefined {
  return displayLocale;
}

/** Formatters by locale and kind: making one costs more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${withDate ? 'd' : 't'}${locale}`;
  let made = formatters.get(key);
  if (!made) {
    const options: Intl.DateTimeFormatOptions = withDate
      ? { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
      : { hour: '2-digit', minute: '2-digit' };
    try {
      made = new Intl.DateTimeFormat(locale, options);
    } catch {
      // A language tag Intl does not take ("x-pirate"): the runtime's default rather than no time at all.
      made = new Intl.DateTimeFormat(undefined, options);
    }
    formatters.set(key, made);
  }
  return made;
}

/**
 * The local clock time of an ISO time as `locale` writes it (01:09 PM in en, 13:09 in de), by
 * default in the display language, and as a line writes it (13:09) when there is none; empty
 * when it is not a time.
 */
export function clockTime(iso: string, locale: string | undefined = displayLocale): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  return locale === undefined ? timeOfDayForLine(iso) : formatter(locale, false).format(time);
}

/**
 * An ISO time as a person reads it in a view, in `locale` (by default the display language, and
 * as a line writes it when there is none): the clock time today, with the date on another day;
 * ? for no time.
 */
export function dayAndClockTime(iso: string, now: Date, locale: string | undefined = displayLocale): string {
  if (locale === undefined) return dayAndTimeForLine(iso, now);
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '?';
  return formatter(locale, !sameDay(at, now)).format(at);
}
