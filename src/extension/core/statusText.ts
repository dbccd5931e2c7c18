import type { ConnectionState } from '../../client/connection';
import type { Translate } from './translate';

export interface StatusText {
  text: string;
  tooltip: string;
  /** What a screen reader says. */
  label: string;
  warning: boolean;
}

/** The status bar item: connection state, name and unread count, in a glance. */
export function statusText(state: ConnectionState, unread: number, t: Translate): StatusText {
  const unreadText = unread === 1 ? t('1 unread message') : t('{0} unread messages', unread);
  const unreadSuffix = unread > 0 ? ` ${unread}` : '';
  switch (state.kind) {
    case 'connected': {
      const icon = unread > 0 ? '$(bell-dot)' : '$(comment-discussion)';
      const label = unread > 0 ? t('Relay: connected as {0}, {1}', state.name, unreadText) : t('Relay: connected as {0}', state.name);
      return { text: `${icon} ${state.name}${unreadSuffix}`, tooltip: `${label}\n${t('Click to open the chat.')}`, label, warning: false };
    }
    case 'connecting':
      return { text: `$(sync~spin) ${t('Relay')}`, tooltip: t('Relay: connecting…'), label: t('Relay: connecting…'), warning: false };
    case 'waiting': {
      const label = t('Relay: connection lost, reconnecting in {0} s', Math.max(1, Math.round(state.retryInMs / 1000)));
      return { text: `$(debug-disconnect) ${t('Relay')}${unreadSuffix}`, tooltip: `${label}\n${state.reason}`, label, warning: true };
    }
    case 'failed':
      return { text: `$(error) ${t('Relay')}${unreadSuffix}`, tooltip: t('Relay: not connected: {0}', state.error.message), label: t('Relay: not connected'), warning: true };
    case 'idle':
      return { text: `$(comment-discussion) ${t('Relay')}${unreadSuffix}`, tooltip: t('Relay: not connected. Click to open the chat.'), label: t('Relay: not connected'), warning: false };
  }
}
