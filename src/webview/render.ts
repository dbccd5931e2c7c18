/** Messages and snippets as DOM: text from the network is only ever set as text. */
import { format, type ChatItem, type PanelStrings, type PanelToHost } from '../protocol/panel';
import { chatTime } from './chatTime';
import { h } from './dom';
import { FOLD, foldCode, foldText } from './folding';
import { findHiddenCharacters } from './hiddenCharacters';
import type { HighlightCache } from './highlight';

export interface RenderContext {
  strings: PanelStrings;
  post(message: PanelToHost): void;
  highlights: HighlightCache;
  /** Long items the person unfolded ("Show all"), by item id (`pin:` and the id for a pinned hint). */
  unfolded: Set<string>;
}

/** At most this many hidden characters are listed; the markers in the code show them all. */
const HIDDEN_LISTED = 8;

/** When an item was sent; a hint from before the person joined says so. */
export function timeElement(strings: PanelStrings, item: ChatItem): HTMLElement {
  const time = chatTime(item.at);
  return h(
    'time',
    { datetime: item.at, class: item.earlier ? 'earlier' : undefined },
    item.earlier ? format(strings.earlier, time) : time,
  );
}

export function roleBadge(strings: PanelStrings): HTMLElement {
  return h('span', { class: 'role-badge' }, strings.teacher);
}

export function renderItem(context: RenderContext, item: ChatItem): HTMLElement {
  const s = context.strings;
  const sender = item.direction === 'out' ? s.you : item.from;
  const header = h(
    'header',
    {},
    item.notice ? undefined : h('span', { class: 'from' }, sender),
    item.teacher && !item.notice ? roleBadge(s) : undefined,
    timeElement(s, item),
    item.delivery ? h('span', { class: `delivery ${item.delivery}` }, s[item.delivery]) : undefined,
  );
  const body =
    item.content.kind === 'text' ? renderText(context, item, 'text', false) : renderSnippet(context, item, false);
  const failure = item.failure ? h('p', { class: 'failure' }, item.failure) : undefined;
  const classes = ['item', item.direction, item.notice ? 'notice' : '', item.teacher ? 'teacher' : '']
    .filter(Boolean)
    .join(' ');
  return h('article', { class: classes, 'data-id': item.id }, header, body, failure);
}

/**
 * A snippet with its actions. `copy` renders a second view of a snippet shown elsewhere too
 * (a pinned hint): it clones the cached highlighting instead of moving it.
 */
export function renderSnippet(context: RenderContext, item: ChatItem, copy: boolean): HTMLElement {
  const s = context.strings;
  if (item.content.kind !== 'snippet') throw new Error('not a snippet');
  const { snippet } = item.content;
  const where = [snippet.file, snippet.lines ? format(s.lines, snippet.lines.start, snippet.lines.end) : undefined]
    .filter(Boolean)
    .join(' ');
  const key = foldKey(item, copy);
  const fold = foldCode(snippet.code);
  const open = !fold.folded || context.unfolded.has(key);
  // Folded, only the head is highlighted (or even laid out): all of it only once asked for.
  const cached = open
    ? context.highlights.element(item.id, 'all', fold.folded ? snippet.code : fold.head, snippet.language)
    : context.highlights.element(item.id, 'head', fold.head, snippet.language);
  const code = copy ? (cached.cloneNode(true) as HTMLElement) : cached;
  const hidden = findHiddenCharacters(snippet.code);
  const warningId = hidden.length > 0 ? `hidden-${copy ? 'pin-' : ''}${item.id.replace(/[^\w-]/g, '_')}` : undefined;
  const action = (name: 'insert' | 'open' | 'copy', label: string) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-action': name,
        'aria-describedby': name === 'insert' ? warningId : undefined,
      },
      label,
    );
    button.addEventListener('click', () => context.post({ type: 'snippet', action: name, itemId: item.id }));
    return button;
  };
  const showAll = fold.lines > FOLD.codeLines ? format(s.showAllLines, fold.lines) : s.showAll;
  const toggle = fold.folded
    ? foldToggle(open ? s.showLess : showAll, open, () => {
        flip(context, key);
        const again = renderSnippet(context, item, copy);
        figure.replaceWith(again);
        again.querySelector<HTMLElement>('.fold-toggle')?.focus();
        if (open) again.scrollIntoView({ block: 'nearest' });
      })
    : undefined;
  const classes = ['snippet', hidden.length > 0 ? 'flagged' : '', fold.folded ? (open ? 'unfolded' : 'folded') : ''];
  const figure = h(
    'figure',
    { class: classes.filter(Boolean).join(' ') },
    h('figcaption', {}, h('span', { class: 'language' }, snippet.language), where ? ` ${where}` : ''),
    h('pre', { tabindex: '0' }, code),
    warningId ? renderHiddenWarning(s, hidden, warningId) : undefined,
    h('div', { class: 'actions' }, toggle, action('insert', s.insert), action('open', s.open), action('copy', s.copy)),
  );
  return figure;
}

/**
 * A text message (or a pinned text hint, with `copy`), folded when long: its first lines with
 * "Show all" below.
 */
export function renderText(context: RenderContext, item: ChatItem, className: string, copy: boolean): HTMLElement {
  if (item.content.kind !== 'text') throw new Error('not a text');
  const { text } = item.content;
  const fold = foldText(text);
  if (!fold.folded) return h('div', { class: className }, fold.head);
  const s = context.strings;
  const key = foldKey(item, copy);
  const box = h('div', { class: 'foldable' });
  const draw = (): void => {
    const open = context.unfolded.has(key);
    const toggle = foldToggle(open ? s.showLess : s.showAll, open, () => {
      flip(context, key);
      draw();
      box.querySelector<HTMLElement>('.fold-toggle')?.focus();
      if (open) box.scrollIntoView({ block: 'nearest' });
    });
    box.className = `foldable ${open ? 'unfolded' : 'folded'}`;
    box.replaceChildren(h('div', { class: className }, open ? text : `${fold.head}…`), toggle);
  };
  draw();
  return box;
}

function foldKey(item: ChatItem, copy: boolean): string {
  return copy ? `pin:${item.id}` : item.id;
}

function flip(context: RenderContext, key: string): void {
  if (!context.unfolded.delete(key)) context.unfolded.add(key);
}

function foldToggle(text: string, open: boolean, toggle: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary fold-toggle', 'aria-expanded': String(open) }, text);
  button.addEventListener('click', toggle);
  return button;
}

function renderHiddenWarning(
  s: PanelStrings,
  hidden: ReturnType<typeof findHiddenCharacters>,
  id: string,
): HTMLElement {
  const listed = hidden
    .slice(0, HIDDEN_LISTED)
    .map((character) =>
      h(
        'li',
        {},
        h('span', { class: 'char' }, character.label),
        ` ${format(s.hiddenCharacter, character.name, character.line)}`,
      ),
    );
  if (hidden.length > HIDDEN_LISTED) listed.push(h('li', {}, '…'));
  return h(
    'div',
    { class: 'hidden-warning', role: 'note', id },
    h('p', {}, format(s.hiddenCharacters, hidden.length)),
    h('ul', {}, ...listed),
  );
}
