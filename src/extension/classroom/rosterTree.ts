/**
 * The class roster as the teacher's tree view shows it, shaped without VS Code: one node per
 * student, raised hands first (oldest first), then by name; what each node says, its icon, and
 * the context value the view's menus are chosen by (docs/protocol.md, "Teachers").
 */
import type { Roster, RosterEntry } from '../../protocol/classroom';
import { escapeControls } from '../../protocol/sanitize';
import { cut } from '../../protocol/text';
import { dayAndClockTime } from '../../protocol/lineTime';
import type { Translate } from '../translate';

/** A codicon: a raised hand asks something, a muted student is silent, everyone else is a person. */
export type RosterIcon = 'question' | 'mute' | 'person';

export interface RosterNode {
  /** Stable across updates, so that the selection and focus stay on the student. */
  id: string;
  /** The student's name as the relay has it: what moderation acts on. */
  name: string;
  label: string;
  description: string;
  /** Plain text, several lines. */
  tooltip: string;
  /** What a screen reader says for the row. */
  accessibilityLabel: string;
  icon: RosterIcon;
  /** Words the menus' `viewItem` clauses test: `student`, `hand`, and `muted` or `speaking`. */
  contextValue: string;
  hand: boolean;
  muted: boolean;
}

/** Characters of a question shown beside the name; the tooltip has all of it. */
export const QUESTION_SHOWN = 60;

/** Still muted at `now`: the relay lets a timed mute lapse without a word. */
function mutedAt(entry: RosterEntry, now: Date): boolean {
  return (
    entry.muted !== undefined && (entry.muted.until === undefined || Date.parse(entry.muted.until) > now.getTime())
  );
}

export function sortRoster(entries: readonly RosterEntry[]): RosterEntry[] {
  return [...entries].sort((a, b) =>
    a.hand && b.hand
      ? a.hand.at.localeCompare(b.hand.at) || a.name.localeCompare(b.name)
      : a.hand
        ? -1
        : b.hand
          ? 1
          : a.name.localeCompare(b.name),
  );
}

export function rosterNodes(roster: Roster, now: Date, t: Translate): RosterNode[] {
  return sortRoster(roster.entries).map((entry) => rosterNode(entry, now, t));
}

function rosterNode(entry: RosterEntry, now: Date, t: Translate): RosterNode {
  const name = escapeControls(entry.name);
  const muted = mutedAt(entry, now);
  const hand = entry.hand;
  const question = hand?.question ? escapeControls(hand.question) : undefined;
  const dialect = entry.dialect === 'course' ? t('course client') : t('Classroom Relay client');
  const counts = t('{0} sent, {1} received', entry.sent, entry.received);
  const until = entry.muted?.until;

  const description: string[] = [];
  if (hand)
    description.push(
      question
        ? t('hand up {0}: {1}', dayAndClockTime(hand.at, now), cut(question, QUESTION_SHOWN))
        : t('hand up {0}', dayAndClockTime(hand.at, now)),
    );
  if (muted) description.push(until ? t('muted until {0}', dayAndClockTime(until, now)) : t('muted'));
  description.push(counts, dialect);

  const lines = [name];
  if (hand)
    lines.push(
      question
        ? t('Hand up since {0}: {1}', dayAndClockTime(hand.at, now), question)
        : t('Hand up since {0}', dayAndClockTime(hand.at, now)),
    );
  if (muted) lines.push(until ? t('Muted until {0}', dayAndClockTime(until, now)) : t('Muted until you unmute them'));
  lines.push(
    t('{0} at {1}', dialect, escapeControls(entry.address)),
    t('Connected since {0}', dayAndClockTime(entry.since, now)),
    t('{0} messages sent, {1} received', entry.sent, entry.received),
  );

  return {
    id: `student/${entry.name}`,
    name: entry.name,
    label: name,
    description: description.join(' · '),
    tooltip: lines.join('\n'),
    accessibilityLabel: lines.join(', '),
    icon: hand ? 'question' : muted ? 'mute' : 'person',
    contextValue: ['student', hand ? 'hand' : '', muted ? 'muted' : 'speaking'].filter(Boolean).join(' '),
    hand: hand !== undefined,
    muted,
  };
}

export interface RosterSummary {
  /** Beside the view's title. */
  description: string;
  /** Raised hands, for the view's badge. */
  hands: number;
  handsText: string;
  /** Said above the list when the relay listed only part of a large class. */
  partial: string | undefined;
}

export function rosterSummary(roster: Roster, t: Translate): RosterSummary {
  const hands = roster.entries.filter((entry) => entry.hand).length + (roster.handsLeftOut ?? 0);
  const handsLeftOut = roster.handsLeftOut
    ? roster.handsLeftOut === 1
      ? t('1 raised hand did not fit the list.')
      : t('{0} raised hands did not fit the list.', roster.handsLeftOut)
    : undefined;
  const listed =
    roster.entries.length < roster.total
      ? t('The first {0} of {1} students are listed.', roster.entries.length, roster.total)
      : undefined;
  return {
    description: roster.total === 1 ? t('1 student') : t('{0} students', roster.total),
    hands,
    handsText: hands === 1 ? t('1 raised hand') : t('{0} raised hands', hands),
    partial:
      listed !== undefined && handsLeftOut !== undefined ? `${listed} ${handsLeftOut}` : (listed ?? handsLeftOut),
  };
}
