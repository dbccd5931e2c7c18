/**
 * The messages of the conversation in view. Rendered articles are kept by item id while their
 * item is kept, so switching back to a conversation re-renders nothing; a reader scrolled up to
 * older messages stays where they are when new ones arrive.
 */
import type { ChatItem } from '../protocol/panel';
import { h } from './dom';
import { renderItem, type RenderContext } from './render';

/** How close to the end (in pixels) still counts as reading the newest messages. */
const AT_BOTTOM = 24;

export class MessageList {
  private readonly articles = new Map<string, { item: ChatItem; element: HTMLElement }>();
  private readonly olderButton: HTMLButtonElement;
  private readonly newBelow: HTMLButtonElement;
  private conversation: string | undefined;

  constructor(
    readonly element: HTMLElement,
    private context: () => RenderContext,
    loadOlder: () => void,
  ) {
    this.olderButton = h('button', { type: 'button', class: 'secondary show-older' });
    this.olderButton.addEventListener('click', loadOlder);
    this.newBelow = h('button', { type: 'button', class: 'new-below', hidden: true });
    this.newBelow.addEventListener('click', () => this.scrollToEnd());
    element.addEventListener(
      'scroll',
      () => {
        if (this.atBottom()) this.newBelow.hidden = true;
      },
      { passive: true },
    );
  }

  /** The button that appears over the list when messages arrive below a reader. */
  get newBelowButton(): HTMLButtonElement {
    return this.newBelow;
  }

  get current(): string | undefined {
    return this.conversation;
  }

  atBottom(): boolean {
    const list = this.element;
    return list.scrollHeight - list.scrollTop - list.clientHeight < AT_BOTTOM;
  }

  /** Shows a conversation from its newest message; `empty` stands in when it has none. */
  show(conversation: string, items: readonly ChatItem[], hasOlder: boolean, empty: () => HTMLElement): void {
    const keepPosition = conversation === this.conversation && !this.atBottom();
    const fromBottom = this.element.scrollHeight - this.element.scrollTop;
    this.conversation = conversation;
    this.labelButtons();
    const children: HTMLElement[] = hasOlder ? [this.olderButton] : [];
    if (items.length === 0) children.push(empty());
    else for (const item of items) children.push(this.articleFor(item));
    this.element.replaceChildren(...children);
    this.newBelow.hidden = true;
    if (keepPosition) this.element.scrollTop = this.element.scrollHeight - fromBottom;
    else this.scrollToEnd();
  }

  /** A new item at the end of the conversation in view. */
  append(item: ChatItem, follow: boolean): void {
    const wasAtBottom = this.atBottom();
    this.element.querySelector(':scope > .empty')?.remove();
    this.element.append(this.articleFor(item));
    if (wasAtBottom || follow) this.scrollToEnd();
    else this.newBelow.hidden = false;
  }

  /** A changed item (its delivery, say), re-rendered where it is. */
  update(item: ChatItem): void {
    const cached = this.articles.get(item.id);
    if (!cached) return;
    const element = renderItem(this.context(), item);
    cached.element.replaceWith(element);
    this.articles.set(item.id, { item, element });
  }

  /** Older items before the ones shown; the reader's view does not move. */
  prepend(items: readonly ChatItem[], hasOlder: boolean): void {
    const fromBottom = this.element.scrollHeight - this.element.scrollTop;
    this.element.querySelector(':scope > .empty')?.remove();
    this.olderButton.remove();
    this.element.prepend(...items.map((item) => this.articleFor(item)));
    this.setOlder(hasOlder);
    this.element.scrollTop = this.element.scrollHeight - fromBottom;
  }

  /** Items the store let go: their articles go too. */
  forget(items: readonly ChatItem[]): void {
    for (const item of items) {
      this.articles.get(item.id)?.element.remove();
      this.articles.delete(item.id);
    }
  }

  /** The strings changed (a new init): nothing rendered before may be reused. */
  clear(): void {
    this.articles.clear();
  }

  setOlder(hasOlder: boolean): void {
    if (!hasOlder) this.olderButton.remove();
    else if (this.element.firstElementChild !== this.olderButton) this.element.prepend(this.olderButton);
  }

  scrollToEnd(): void {
    this.element.scrollTop = this.element.scrollHeight;
    this.newBelow.hidden = true;
  }

  private labelButtons(): void {
    const s = this.context().strings;
    this.olderButton.textContent = s.showOlder;
    this.newBelow.textContent = `↓ ${s.newBelow}`;
  }

  private articleFor(item: ChatItem): HTMLElement {
    const cached = this.articles.get(item.id);
    if (cached && cached.item === item) return cached.element;
    const element = renderItem(this.context(), item);
    this.articles.set(item.id, { item, element });
    return element;
  }
}
