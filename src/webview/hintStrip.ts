/**
 * The strip of pinned hints above a student's messages: the teacher's hints, newest first,
 * each dismissible, the whole strip collapsible. Teachers see none (they wrote them).
 */
import { format, type ChatItem } from '../protocol/panel';
import { h, label } from './dom';
import { HintBoard } from './hints';
import type { PanelState } from './panelState';
import { renderSnippet, renderText, roleBadge, timeElement, type RenderContext } from './render';

export class HintStrip {
  private readonly toggle = h('button', { type: 'button', class: 'hints-toggle', 'aria-controls': 'hint-list' });
  private readonly list = h('ol', { class: 'hint-list', id: 'hint-list' });
  readonly element = h('section', { class: 'hints', hidden: true }, h('h2', {}, this.toggle), this.list);
  private readonly board: HintBoard;

  constructor(
    private readonly state: PanelState,
    private readonly context: () => RenderContext,
    /** Saves the view state, where dismissed hints and the strip's collapse are kept. */
    private readonly persist: () => void,
  ) {
    this.board = new HintBoard(state.view.dismissedHints);
    this.toggle.addEventListener('click', () => {
      state.view.hintsCollapsed = !state.view.hintsCollapsed;
      persist();
      this.render();
    });
  }

  /** The hints among a snapshot's items. */
  reset(items: readonly ChatItem[]): void {
    this.board.reset(items);
  }

  /** A new or changed item: shown at once if it is a hint this student sees. */
  offer(item: ChatItem): void {
    if (this.board.offer(item) && !this.state.isTeacher()) this.render();
  }

  /** A teacher cleared the hints of the lesson. */
  clear(): void {
    this.board.clear();
  }

  render(): void {
    const s = this.state.strings!;
    const shown = this.state.isTeacher() ? [] : this.board.visible();
    this.element.hidden = shown.length === 0;
    if (shown.length === 0) {
      this.list.replaceChildren();
      return;
    }
    const expanded = !this.state.view.hintsCollapsed;
    this.toggle.replaceChildren(
      h('span', { class: 'chevron', 'aria-hidden': 'true' }, expanded ? '▾' : '▸'),
      ` ${format(s.hints, shown.length)}`,
    );
    this.toggle.setAttribute('aria-expanded', String(expanded));
    this.toggle.title = expanded ? s.collapseHints : s.expandHints;
    this.list.hidden = !expanded;
    this.list.replaceChildren(...(expanded ? shown.map((item) => this.renderHint(item)) : []));
  }

  private renderHint(item: ChatItem): HTMLElement {
    const s = this.state.strings!;
    const dismiss = h('button', { type: 'button', class: 'icon dismiss-hint' }, '×');
    label(dismiss, s.dismissHint);
    dismiss.addEventListener('click', () => {
      this.board.dismiss(item.id);
      this.persist();
      this.render();
      (this.list.querySelector<HTMLElement>('.dismiss-hint') ?? this.toggle).focus();
    });
    const body =
      item.content.kind === 'text'
        ? renderText(this.context(), item, 'hint-text', true)
        : renderSnippet(this.context(), item, true);
    return h(
      'li',
      { class: 'hint', 'data-hint-id': item.id },
      h('header', {}, h('span', { class: 'from' }, item.from), roleBadge(s), timeElement(s, item), dismiss),
      body,
    );
  }
}
