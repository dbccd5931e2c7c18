/**
 * The status bar item's text, where the features meet: the connection's state, name and class
 * (and node, on a relay of several addresses), the unread count, and the role and standing the
 * classroom gave, in a glance, the rest in the tooltip.
 */
import type { ConnectionState } from '../client/connectionTypes';
import { formatNode } from '../protocol/address';
import type { Role, Standing } from '../protocol/classroom';
import { dayAndClockTime } from '../protocol/lineTime';
import { describeDrop } from './connection/connectionWording';
import { withoutIcons } from './notificationText';
import type { Translate } from './translate';

export interface StatusBarText {
  text: string;
  tooltip: string;
  /** What a screen reader says. */
  label: string;
  warning: boolean;
}

/** What the relay said about this client: its role, and a raised hand or a mute. */
export interface ClassroomStatus {
  role?: Role;
  standing?: Standing;
  /** The class connected to, on a relay that keeps several; undefined: the default class. */
  classCode?: string;
  now: Date;
}

/** The status bar item: connection state, name, role and unread count, in a glance; the standing in the tooltip. */
export function statusBarText(
  state: ConnectionState,
  unread: number,
  t: Translate,
  classroom?: ClassroomStatus,
): StatusBarText {
  const unreadText = unread === 1 ? t('1 unread message') : t('{0} unread messages', unread);
  const unreadSuffix = unread > 0 ? ` ${unread}` : '';
  switch (state.kind) {
    case 'connected': {
      const teacher = classroom?.role === 'teacher';
      const standing = standingLines(classroom, t);
      const muted = classroom?.standing?.muted !== undefined;
      const icon =
        unread > 0 ? '$(bell-dot)' : muted ? '$(mute)' : teacher ? '$(mortar-board)' : '$(comment-discussion)';
      const who = teacher ? t('{0} ({1})', state.name, t('Teacher')) : state.name;
      const code = classroom?.classCode;
      const where = code === undefined ? who : t('{0} in class {1}', who, code);
      const label =
        unread > 0 ? t('Relay: connected as {0}, {1}', where, unreadText) : t('Relay: connected as {0}', where);
      // A relay of several addresses: which node this window is on (the address is ours, not the network's).
      const node = state.node === undefined ? undefined : formatNode(state.node);
      const shown = [withoutIcons(who), code, node].filter((part) => part !== undefined).join(' · ');
      const through = node === undefined ? [] : [t("Through {0}, one of the relay's addresses.", node)];
      return {
        text: `${icon} ${shown}${unreadSuffix}`,
        tooltip: [label, ...through, ...standing, t('Click to open the chat.')].join('\n'),
        label: [label, ...through, ...standing].join(' '),
        warning: muted,
      };
    }
    case 'connecting':
      return {
        text: `$(sync~spin) ${t('Relay')}`,
        tooltip: t('Relay: connecting…'),
        label: t('Relay: connecting…'),
        warning: false,
      };
    case 'waiting': {
      const label = t('Relay: connection lost, reconnecting in {0} s', Math.max(1, Math.round(state.retryInMs / 1000)));
      return {
        text: `$(debug-disconnect) ${t('Relay')}${unreadSuffix}`,
        tooltip: `${label}\n${describeDrop(state.cause, t)}`,
        label,
        warning: true,
      };
    }
    case 'failed':
      return {
        text: `$(error) ${t('Relay')}${unreadSuffix}`,
        tooltip: t('Relay: not connected: {0}', describeDrop({ kind: 'connect-failed', code: state.error.code }, t)),
        label: t('Relay: not connected'),
        warning: true,
      };
    case 'idle':
      return {
        text: `$(comment-discussion) ${t('Relay')}${unreadSuffix}`,
        tooltip: t('Relay: not connected. Click to open the chat.'),
        label: t('Relay: not connected'),
        warning: false,
      };
  }
}

/** A raised hand and a mute, as lines of the tooltip. */
function standingLines(classroom: ClassroomStatus | undefined, t: Translate): string[] {
  const standing = classroom?.standing;
  if (!classroom || !standing) return [];
  const lines: string[] = [];
  if (standing.hand) {
    const since = dayAndClockTime(standing.hand.at, classroom.now);
    lines.push(
      standing.hand.question
        ? t('Your hand is up (since {0}): {1}', since, standing.hand.question)
        : t('Your hand is up (since {0}).', since),
    );
  }
  if (standing.muted) {
    lines.push(
      standing.muted.until
        ? t(
            'Your teacher muted you until {0}: your messages are refused until then.',
            dayAndClockTime(standing.muted.until, classroom.now),
          )
        : t('Your teacher muted you: your messages are refused until you are unmuted.'),
    );
  }
  return lines;
}
