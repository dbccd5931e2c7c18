import type { PanelStrings } from '../../protocol/panel';
import type { Translate } from './translate';

/** Every text the chat panel shows, through the host's translator. */
export function panelStrings(t: Translate): PanelStrings {
  return {
    title: t('Relay Chat'),
    conversations: t('Conversations'),
    everyone: t('Everyone / hints'),
    messages: t('Messages'),
    to: t('To'),
    send: t('Send'),
    composerPlaceholder: t('Write a message'),
    composerHint: t('Enter sends, Shift+Enter starts a new line.'),
    tooLong: t('This message has {0} bytes; the relay accepts at most {1}. Shorten it or send it in parts.'),
    empty: t('No messages yet.'),
    pending: t('pending'),
    delivered: t('delivered'),
    sent: t('sent'),
    failed: t('failed'),
    online: t('online'),
    offline: t('offline'),
    unread: t('{0} unread'),
    insert: t('Insert at cursor'),
    open: t('Open in new editor'),
    copy: t('Copy'),
    you: t('You'),
    newMessageFrom: t('New message from {0}: {1}'),
    snippetFrom: t('{0} code {1}'),
    connectionDisconnected: t('Not connected.'),
    connectionConnecting: t('Connecting…'),
    connectionConnected: t('Connected as {0} to {1} ({2}).'),
    connectionReconnecting: t('Connection lost ({1}). Reconnecting in {0} s…'),
    connectionFailed: t('Not connected: {0}'),
    connect: t('Connect'),
    newConversation: t('New conversation'),
    lines: t('lines {0}–{1}'),
  };
}
