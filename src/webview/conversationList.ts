/**
 * The list of conversations beside (or, when narrow, above) the messages: everyone's hints
 * first, then each person with whether they are online and how many messages are unread. A
 * filter box and "Unread only" find a conversation among hundreds; the arrow keys move through
 * the list and Enter opens one. It scrolls within its own height, so the messages keep theirs.
 */
import { format, type ConversationView } from '../protocol/panel';
import { filterConversations, totalUnread } from './conversationFilter';
import { h } from './dom';
import type { PanelState } from './panelState';

export class ConversationList {
  private readonly filter = h('input', {
    type: 'search',
    class: 'conversation-filter',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  private readonly unreadToggle = h('button', { type: 'button', class: 'secondary unread-only' });
  private readonly list = h('ul', { class: 'conversation-list' });
  private readonly noMatch = h('p', { class: 'no-match', hidden: true });
  readonly element = h(
    'nav',
    { class: 'conversations' },
    h('div', { class: 'conversation-tools' }, this.filter, this.unreadToggle),
    this.list,
    this.noMatch,
  );

  constructor(
    private readonly state: PanelState,
    private readonly select: (conversation: string) => void,
    /** Saves the view state, where "Unread only" is kept. */
    private readonly persist: () => void,
  ) {
    this.filter.addEventListener('input', () => this.render(true));
    this.filter.addEventListener('keydown', (event) => this.filterKey(event));
    this.unreadToggle.addEventListener('click', () => {
      state.view.unreadOnly = !state.view.unreadOnly;
      persist();
      this.render(true);
    });
    this.list.addEventListener('keydown', (event) => this.listKey(event));
  }

  /** With `reveal`, the current conversation is scrolled into view. */
  render(reveal = false): void {
    const s = this.state.strings!;
    const { view, conversations } = this.state;
    this.element.setAttribute('aria-label', s.conversations);
    this.filter.placeholder = s.filterConversations;
    this.filter.setAttribute('aria-label', s.filterConversations);
    this.filter.title = s.filterConversations;
    const unreadOnly = view.unreadOnly === true;
    const unread = totalUnread(conversations);
    this.unreadToggle.setAttribute('aria-pressed', String(unreadOnly));
    this.unreadToggle.replaceChildren(s.unreadOnly);
    if (unread > 0)
      this.unreadToggle.append(h('span', { class: 'badge', 'aria-label': format(s.unread, unread) }, String(unread)));
    const focused =
      document.activeElement instanceof HTMLElement ? document.activeElement.dataset.conversation : undefined;
    const shown = filterConversations(conversations, { query: this.filter.value, unreadOnly }, view.selected);
    const rows = shown.map((conversation) => this.row(conversation));
    // One row takes Tab (the current one, else the first); the arrow keys move between the others.
    const tabStop = rows.find((row) => row.dataset.current === 'true') ?? rows[0];
    if (tabStop) tabStop.firstElementChild!.setAttribute('tabindex', '0');
    this.list.replaceChildren(...rows);
    this.noMatch.textContent = s.noConversations;
    this.noMatch.hidden = rows.length > 0;
    if (focused) this.buttonOf(focused)?.focus();
    if (reveal) this.list.querySelector('.current')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private row(conversation: ConversationView): HTMLLIElement {
    const s = this.state.strings!;
    // Presence is only known while connected: the last list would otherwise show classmates online who are gone.
    const known = this.state.connection.kind === 'connected';
    const current = conversation.id === this.state.view.selected;
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
        class: `conversation${current ? ' current' : ''}${conversation.unread > 0 ? ' unread' : ''}`,
        'data-conversation': conversation.id,
        'aria-current': current ? 'true' : undefined,
        tabindex: '-1',
      },
      h('span', { class: `presence ${presence}`, title: presenceText, 'aria-label': presenceText, role: 'img' }),
      h('span', { class: 'label', title: conversation.label }, conversation.label),
      badge,
    );
    button.addEventListener('click', () => this.select(conversation.id));
    return h('li', { 'data-current': current ? 'true' : undefined }, button);
  }

  private buttons(): HTMLElement[] {
    return Array.from(this.list.querySelectorAll<HTMLElement>('button.conversation'));
  }

  private buttonOf(conversation: string): HTMLElement | null {
    return this.list.querySelector<HTMLElement>(`[data-conversation="${CSS.escape(conversation)}"]`);
  }

  private filterKey(event: KeyboardEvent): void {
    const first = this.buttons()[0];
    if (event.key === 'ArrowDown' && first) {
      event.preventDefault();
      first.focus();
    } else if (event.key === 'Enter' && !event.isComposing && first) {
      // The first match opens: type a name, press Enter.
      event.preventDefault();
      this.select(first.dataset.conversation!);
    } else if (event.key === 'Escape' && this.filter.value !== '') {
      event.preventDefault();
      this.filter.value = '';
      this.render(true);
    }
  }

  private listKey(event: KeyboardEvent): void {
    const buttons = this.buttons();
    const index = buttons.indexOf(event.target as HTMLElement);
    if (index === -1) return;
    const target =
      event.key === 'ArrowDown'
        ? buttons[Math.min(index + 1, buttons.length - 1)]
        : event.key === 'ArrowUp'
          ? index === 0
            ? this.filter
            : buttons[index - 1]
          : event.key === 'Home'
            ? buttons[0]
            : event.key === 'End'
              ? buttons.at(-1)
              : undefined;
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'nearest' });
  }
}
