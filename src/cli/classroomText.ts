/**
 * The classroom as the terminal shows it: the roster as a table, raised hands as they go up,
 * and this client's own standing. Everything from the network is escaped; times are local.
 */
import type { Muted, RaisedHand, Roster, Standing } from '../protocol/classroom';
import { dayAndTimeForLine, sameDay, timeOfDayForLine } from '../protocol/lineTime';
import { escapeControls } from '../protocol/sanitize';
import { cut } from '../protocol/text';

/** Questions longer than this are cut in the roster's "hand" column. */
export const QUESTION_SHOWN = 40;

/** HH:MM in local time; "tomorrow" after it for the next day, the date before it for any other day. */
export function localTime(iso: string, now: Date = new Date()): string {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return sameDay(new Date(iso), tomorrow) ? `${timeOfDayForLine(iso)} tomorrow` : dayAndTimeForLine(iso, now);
}

/** A name as the terminal shows it: one that carries brackets or quotes, which a badge is made of, is quoted. */
export function shownName(name: string): string {
  const escaped = escapeControls(name);
  return /[[\]"]/.test(escaped) ? JSON.stringify(escaped) : escaped;
}

export function handText(hand: RaisedHand, now?: Date): string {
  return hand.question
    ? `${localTime(hand.at, now)} ${escapeControls(cut(hand.question, QUESTION_SHOWN))}`
    : localTime(hand.at, now);
}

function mutedText(muted: Muted | undefined, now?: Date): string {
  if (!muted) return '';
  return muted.until === undefined ? 'until unmuted' : `until ${localTime(muted.until, now)}`;
}

/**
 * The roster as a table in the relay's order (raised hands first), and a line with the
 * totals. Columns: name, dialect, address, since, sent, received, muted, hand.
 */
export function formatRoster(roster: Roster, now: Date = new Date()): string {
  if (roster.total === 0) return 'No students are connected.';
  const header = ['name', 'dialect', 'address', 'since', 'sent', 'received', 'muted', 'hand'];
  const rows = roster.entries.map((entry) => [
    shownName(entry.name),
    entry.dialect,
    escapeControls(entry.address),
    localTime(entry.since, now),
    String(entry.sent),
    String(entry.received),
    mutedText(entry.muted, now),
    entry.hand ? handText(entry.hand, now) : '',
  ]);
  const numeric = new Set([4, 5]);
  const widths = header.map((title, column) =>
    Math.max([...title].length, ...rows.map((row) => [...row[column]!].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1
          ? cell
          : numeric.has(column)
            ? cell.padStart(widths[column]!)
            : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), totals(roster)].join('\n');
}

function totals(roster: Roster): string {
  const hands = roster.entries.filter((entry) => entry.hand).length + (roster.handsLeftOut ?? 0);
  const muted = roster.entries.filter((entry) => entry.muted).length;
  const students = roster.total === 1 ? '1 student' : `${roster.total} students`;
  const parts = [`${students} connected`, hands === 1 ? '1 raised hand' : `${hands} raised hands`];
  if (muted > 0) parts.push(`${muted} muted`);
  const listed = roster.entries.length < roster.total ? `; the first ${roster.entries.length} are listed` : '';
  // The relay lists every raised hand it can, taking addresses in turns, and counts those it could not.
  const handsLeftOut = roster.handsLeftOut
    ? `; ${roster.handsLeftOut === 1 ? '1 raised hand is' : `${roster.handsLeftOut} raised hands are`} not listed`
    : '';
  return `${parts.join(', ')}${listed}${handsLeftOut}.`;
}

/** Hands in `next` that were not up (at that time) in `previous`, as lines for a teacher. */
export function newHands(previous: Roster | undefined, next: Roster, now?: Date): string[] {
  const before = new Set(
    previous?.entries.filter((entry) => entry.hand).map((entry) => `${entry.name}\n${entry.hand!.at}`),
  );
  return next.entries
    .filter((entry) => entry.hand && !before.has(`${entry.name}\n${entry.hand.at}`))
    .map(
      (entry) => `! ${shownName(entry.name)} raised a hand at ${handText(entry.hand!, now)} (/roster lists the class)`,
    );
}

/** What changed in this client's own standing, as lines; nothing when nothing changed. */
export function standingChanges(previous: Standing, next: Standing, now?: Date): string[] {
  const lines: string[] = [];
  if (next.hand && (previous.hand?.at !== next.hand.at || previous.hand.question !== next.hand.question)) {
    lines.push(
      `! your hand is up${next.hand.question ? `: ${escapeControls(next.hand.question)}` : ''} (the teacher sees it; /hand down lowers it)`,
    );
  } else if (!next.hand && previous.hand) {
    lines.push('! your hand is down');
  }
  if (next.muted && (!previous.muted || previous.muted.until !== next.muted.until)) {
    lines.push(
      next.muted.until === undefined
        ? '! a teacher muted you until they unmute you: your messages are not passed on'
        : `! a teacher muted you until ${localTime(next.muted.until, now)}: your messages are not passed on until then`,
    );
  } else if (!next.muted && previous.muted) {
    lines.push('! you are no longer muted: you can write again');
  }
  return lines;
}
