/**
 * The list of conversations beside the messages: everyone's hints first, then each person with
 * whether they are online and how many messages are unread.
 */
import { format } from '../protocol/panel';
import { h } from './dom';
import type { PanelState } from './panelState';

export class ConversationList {
  private readonly list = h('ul', { class: 'conversation-list' });
  readonly element = h('nav', { class: 'conversations' }, this.list);

  constructor(
    private readonly state: PanelState,
    private readonly select: (conversation: string) => void,
  ) {}

  /** With `reveal`, the current conversation is scrolled into view. */
  render(reveal = false): void {
    const s = this.state.strings!;
    const { view, conversations, connection } = this.state;
    this.element.setAttribute('aria-label', s.conversations);
    const focused =
      document.activeElement instanceof HTMLElement ? document.activeElement.dataset.conversation : undefined;
    // Presence is only known while connected: the last list would otherwise show classmates online who are gone.
    const known = connection.kind === 'connected';
    this.list.replaceChildren(
      ...conversations.map((conversation) => {
        const current = conversation.id === view.selected;
        const presence = !known ? 'unknown' : conversation.online ? 'online' : 'offline';
        const presenceText = !known ? s.presenceUnknown : conversation.online ? s.online : s.offline;
        const badge =
          conversation.unread > 0
            ? h(
                'span',
                { class: 'badge', 'aria-label': format(s.unread, conversation.unread) },
                String(conversation.unread),
              )
            : undefined;
        const button = h(
          'button',
          {
            type: 'button',
            class: `conversation${current ? ' current' : ''}`,
            'data-conversation': conversation.id,
            'aria-current': current ? 'true' : undefined,
          },
          h('span', { class: `presence ${presence}`, title: presenceText, 'aria-label': presenceText, role: 'img' }),
          h('span', { class: 'label' }, conversation.label),
          badge,
        );
        button.addEventListener('click', () => this.select(conversation.id));
        return h('li', {}, button);
      }),
    );
    if (focused) this.list.querySelector<HTMLElement>(`[data-conversation="${CSS.escape(focused)}"]`)?.focus();
    if (reveal) this.list.querySelector('.current')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}
