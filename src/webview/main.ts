/**
 * The chat panel. It renders what the host sends (protocol/panel.ts) and tells the host what
 * the person does. It keeps only what it shows (store.ts) and saves only its view state
 * (viewState.ts): the host sends the items again whenever the panel starts. Its parts: the
 * status line, the conversation list, the standing bar, the hint strip, the messages and the
 * composer; this file puts them together and answers the host.
 */
import {
  EVERYONE,
  PANEL_KEEP,
  format,
  type ChatItem,
  type ChatSnapshot,
  type HostToPanel,
  type PanelStrings,
  type PanelToHost,
} from '../protocol/panel';
import { setDisplayLocale } from '../protocol/lineTime';
import { forgetChatTimes } from './chatTime';
import { Composer, NEW_CONVERSATION_KEY } from './composer';
import { ConversationList } from './conversationList';
import { h } from './dom';
import { HighlightCache } from './highlight';
import { HintStrip } from './hintStrip';
import { MessageList } from './messageList';
import { PanelState } from './panelState';
import type { RenderContext } from './render';
import { StandingBar } from './standingBar';
import { StatusLine } from './statusLine';
import { ItemStore } from './store';
import { readViewState, savedViewState } from './viewState';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const view = readViewState(vscode.getState());

const highlights = new HighlightCache();
const store = new ItemStore(PANEL_KEEP, (item) => highlights.forget(item.id));
const state = new PanelState(view, (conversation) => store.items(conversation).length > 0);
/** A `focus` that came before `init` (the first open from a command): applied once the panel has its data. */
let pendingFocus: { conversation: string; keyboard: boolean } | undefined;

const post = (message: PanelToHost): void => vscode.postMessage(message);
const persist = (): void => vscode.setState(savedViewState(view));
/** Long items the person unfolded: kept while the panel runs, so a re-render keeps them open. */
const unfolded = new Set<string>();
const context = (): RenderContext => ({ strings: state.strings!, post, highlights, unfolded });

// The skeleton is built once; later renders replace only the parts that change.
const status = new StatusLine(state, post);
const conversationList = new ConversationList(state, select, persist);
const standingBar = new StandingBar(state, post);
const hintStrip = new HintStrip(state, context, persist);
const messagesElement = h('div', { class: 'messages', role: 'log', tabindex: '0' });
const list = new MessageList(messagesElement, context, loadOlder);
const composer = new Composer(state, standingBar.handButton, { post, select, persist });
const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'announcer' });
document
  .getElementById('app')!
  .append(
    h(
      'div',
      { class: 'layout' },
      conversationList.element,
      h(
        'main',
        { class: 'chat' },
        status.element,
        standingBar.element,
        hintStrip.element,
        messagesElement,
        list.newBelowButton,
        composer.element,
      ),
    ),
    announcer,
  );
composer.showDraft();

function init(message: { strings: PanelStrings; snapshot: ChatSnapshot; locale?: string }): void {
  // VS Code's display language; a host that sends none leaves the page's own language.
  setDisplayLocale(message.locale ?? (document.documentElement.lang || undefined));
  forgetChatTimes();
  state.strings = message.strings;
  applySnapshot(message.snapshot);
  if (pendingFocus !== undefined) {
    const { conversation, keyboard } = pendingFocus;
    pendingFocus = undefined;
    focus(conversation, keyboard);
  }
}

function applySnapshot(snapshot: ChatSnapshot): void {
  state.conversations = snapshot.conversations;
  state.maxTextBytes = snapshot.maxTextBytes;
  state.standing = snapshot.standing ?? {};
  state.setConnection(snapshot.connection);
  store.reset(snapshot.items, snapshot.older);
  hintStrip.reset(snapshot.items);
  // New item objects, and perhaps new strings: no rendered message is reused (highlighted code is).
  list.clear();
  if (!state.conversations.some((conversation) => conversation.id === view.selected)) view.selected = EVERYONE;
  renderAll();
}

function renderAll(): void {
  const s = state.strings;
  if (!s) return;
  document.title = s.title;
  messagesElement.setAttribute('aria-label', s.messages);
  composer.renderLabels(s);
  status.render();
  renderConversations();
  standingBar.render();
  hintStrip.render();
  list.show(view.selected, store.items(view.selected), store.hasOlder(view.selected), emptyContent);
  composer.showDraft();
  composer.renderNote();
  persist();
}

/** The conversation list and the composer's recipients, which list the same people. */
function renderConversations(reveal = false): void {
  conversationList.render(reveal);
  composer.renderRecipients();
}

function emptyContent(): HTMLElement {
  const s = state.strings!;
  const text = view.selected === EVERYONE && !state.isTeacher() ? s.emptyHints : s.empty;
  return h(
    'div',
    { class: 'empty' },
    h('p', {}, text),
    state.recipient() === undefined ? h('p', { class: 'guide' }, format(s.guide, NEW_CONVERSATION_KEY)) : undefined,
  );
}

function select(conversation: string): void {
  composer.keepDraft();
  if (conversation !== view.selected) list.forget(store.release(view.selected));
  view.selected = conversation;
  if (conversation !== EVERYONE) view.lastPerson = conversation;
  composer.forgetError();
  post({ type: 'select', conversation });
  const shown = state.conversations.find((candidate) => candidate.id === conversation);
  if (shown) shown.unread = 0;
  if (!state.strings) return;
  renderConversations(true);
  list.show(conversation, store.items(conversation), store.hasOlder(conversation), emptyContent);
  composer.showDraft();
  composer.renderNote();
  persist();
}

/** Shows `conversation`; the composer takes the keyboard unless the person is to stay where they are. */
function focus(conversation: string, keyboard = true): void {
  if (!state.strings) {
    pendingFocus = { conversation, keyboard };
    return;
  }
  select(conversation);
  if (keyboard) composer.focus();
}

function loadOlder(): void {
  const oldest = store.items(view.selected)[0];
  if (oldest) post({ type: 'loadOlder', conversation: view.selected, before: oldest.id, count: PANEL_KEEP });
}

function upsert(item: ChatItem, announce: boolean): void {
  const s = state.strings;
  if (!s) return;
  const viewing = item.conversation === view.selected;
  const existed = store.get(item.id) !== undefined;
  const { added, dropped } = store.upsert(item, viewing && !list.atBottom());
  list.forget(dropped);
  if (viewing) {
    if (dropped.length > 0) list.setOlder(true);
    if (added) list.append(item, item.direction === 'out');
    else if (existed) list.update(item);
  }
  hintStrip.offer(item);
  if (announce && item.direction === 'in') {
    const text =
      item.content.kind === 'text'
        ? item.content.text
        : format(s.snippetFrom, item.content.snippet.language, item.content.snippet.file ?? '');
    announcer.textContent = format(s.newMessageFrom, item.from || s.everyone, text.slice(0, 200));
  }
}

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'init':
      init(message);
      return;
    case 'snapshot':
      if (!state.strings) return;
      applySnapshot(message.snapshot);
      return;
    case 'item':
      upsert(message.item, message.announce);
      return;
    case 'conversations':
      if (!state.strings) return;
      // The conversation in view stays even when not listed (yet): someone just chosen with "+".
      state.conversations = message.conversations;
      renderConversations();
      composer.renderNote();
      return;
    case 'connection':
      if (!state.strings) return;
      state.setConnection(message.connection);
      state.maxTextBytes = message.maxTextBytes;
      status.render();
      renderConversations();
      standingBar.render();
      hintStrip.render();
      composer.renderNote();
      return;
    case 'focus':
      focus(message.conversation, message.keyboard !== false);
      return;
    case 'standing':
      if (!state.strings) return;
      standingBar.update({
        ...(message.hand ? { hand: message.hand } : {}),
        ...(message.muted ? { muted: message.muted } : {}),
      });
      return;
    case 'hintsCleared':
      hintStrip.clear();
      persist();
      if (state.strings) hintStrip.render();
      return;
    case 'older':
      if (!state.strings || message.conversation !== view.selected) return;
      list.prepend(store.prepend(message.conversation, message.items, message.more), message.more);
      return;
  }
});

post({ type: 'ready' });
