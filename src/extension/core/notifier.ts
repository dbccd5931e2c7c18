/** Tells the person about what arrived while the chat is out of sight, as the relay.notifications setting allows. */
import { EVERYONE, type ChatItem } from '../../protocol/panel';
import type { ChatUpdate } from './chatSession';
import type { Notices } from './services';
import type { RelaySettings } from './settings';
import type { Translate } from './translate';

const PREVIEW_CHARS = 200;

export interface NotifierServices {
  t: Translate;
  notices: Pick<Notices, 'info'>;
  settings(): RelaySettings;
  /** Whether the person sees the chat now: then nothing needs announcing. */
  chatVisible(): boolean;
  openChat(conversation: string): void;
}

export class Notifier {
  constructor(private readonly services: NotifierServices) {}

  /** Feed it the chat session's updates. */
  update(update: ChatUpdate): void {
    if (update.type === 'item' && update.announce && !this.services.chatVisible()) this.notify(update.item);
  }

  private notify(item: ChatItem): void {
    const { t, settings, notices } = this.services;
    if (item.notice) return;
    const level = settings().notifications;
    const hint = item.conversation === EVERYONE;
    if (level === 'off' || (level === 'hints' && !hint)) return;
    const preview = (item.content.kind === 'text' ? item.content.text : t('{0} code', item.content.snippet.language)).slice(0, PREVIEW_CHARS);
    // The relay sets `teacher`; a name alone proves nothing.
    const text = hint
      ? item.teacher ? t('Hint from {0} (teacher): {1}', item.from, preview) : t('Hint from {0}: {1}', item.from, preview)
      : item.teacher ? t('{0} (teacher): {1}', item.from, preview) : t('{0}: {1}', item.from, preview);
    const open = t('Open Chat');
    void notices.info(text, open).then((choice) => {
      if (choice === open) this.services.openChat(item.conversation);
    });
  }
}
