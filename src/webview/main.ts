/**
 * The chat panel. It renders what the host sends (protocol/panel.ts) and tells the host what
 * the person does. It keeps only what it shows (store.ts) and saves only its view state
 * (viewState.ts): the host sends the items again whenever the panel starts.
 */
import {
  EVERYONE,
  PANEL_KEEP,
  format,
  type ChatItem,
  type ChatSnapshot,
  type ConnectionView,
  type ConversationView,
  type HostToPanel,
  type PanelStrings,
  type PanelToHost,
  type Role,
  type Standing,
} from '../protocol/panel';
import { h } from './dom';
import { HighlightCache } from './highlight';
import { HintBoard } from './hints';
import { MessageList } from './messageList';
import { renderSnippet, roleBadge, timeElement, timeOf, type RenderContext } from './render';
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
const mac = /Mac|iPhone|iPad/.test(navigator.platform);
/** The panel's own shortcut for "+": a new conversation. */
const NEW_CONVERSATION_KEY = mac ? '⌥N' : 'Alt+N';

let strings: PanelStrings | undefined;
let connection: ConnectionView = { kind: 'disconnected' };
let conversations: ConversationView[] = [];
let maxTextBytes = 0;
/** The last role the host told; kept while reconnecting. An older host tells none. */
let role: Role | undefined;
let standing: Standing = {};
/** A `focus` that came before `init` (the first open from a command): applied once the panel has its data. */
let pendingFocus: { conversation: string; keyboard: boolean } | undefined;
let noteError = false;
let askingHand = false;

const highlights = new HighlightCache();
const store = new ItemStore(PANEL_KEEP, (item) => highlights.forget(item.id));
const hints = new HintBoard(view.dismissedHints);
const encoder = new TextEncoder();
const app = document.getElementById('app')!;

const context = (): RenderContext => ({ strings: strings!, post, highlights });

// The skeleton is built once; later renders replace only the parts that change.
const status = h('div', { class: 'status', role: 'status' });
const conversationList = h('ul', { class: 'conversation-list' });
const nav = h('nav', { class: 'conversations' }, conversationList);
const standingBar = h('div', { class: 'standing', hidden: true });
const hintsToggle = h('button', { type: 'button', class: 'hints-toggle', 'aria-controls': 'hint-list' });
const hintList = h('ol', { class: 'hint-list', id: 'hint-list' });
const hintsStrip = h('section', { class: 'hints', hidden: true }, h('h2', {}, hintsToggle), hintList);
const messagesElement = h('div', { class: 'messages', role: 'log', tabindex: '0' });
const list = new MessageList(messagesElement, context, loadOlder);
const recipient = h('select', { id: 'recipient', class: 'recipient' });
const recipientLabel = h('label', { for: 'recipient' });
const newConversation = h('button', { type: 'button', class: 'secondary icon new-conversation' }, '+');
const input = h('textarea', { id: 'composer-input', rows: '3' });
const handButton = h('button', { type: 'button', class: 'raise-hand secondary', hidden: true });
const sendButton = h('button', { type: 'submit', class: 'send' });
const note = h('p', { class: 'note', id: 'composer-note', 'aria-live': 'polite' });
const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'announcer' });
const composer = h(
  'form',
  { class: 'composer' },
  h('div', { class: 'composer-row' }, recipientLabel, recipient, newConversation),
  input,
  h('div', { class: 'composer-row wrap' }, note, h('span', { class: 'composer-buttons' }, handButton, sendButton)),
);
app.append(
  h(
    'div',
    { class: 'layout' },
    nav,
    h('main', { class: 'chat' }, status, standingBar, hintsStrip, messagesElement, list.newBelowButton, composer),
  ),
  announcer,
);
input.value = view.drafts[view.selected] ?? '';

function post(message: PanelToHost): void {
  vscode.postMessage(message);
}

function persist(): void {
  vscode.setState(savedViewState(view));
}

const isTeacher = () => role === 'teacher';
const persons = () => conversations.filter((conversation) => conversation.id !== EVERYONE);
const labelOf = (id: string) => conversations.find((conversation) => conversation.id === id)?.label ?? id;

/**
 * Whom the composer writes to: the conversation in view, and while the hints are in view, a
 * student's last person (or the most recent conversation with messages). Never everyone unless
 * a teacher, and never someone the student has not written with: then nobody, and the guide.
 */
function recipientFor(): string | undefined {
  if (view.selected !== EVERYONE) return view.selected;
  if (isTeacher()) return EVERYONE;
  const people = persons();
  return (
    people.find((person) => person.id === view.lastPerson)?.id ??
    people.find((person) => store.items(person.id).length > 0)?.id
  );
}

function init(message: { strings: PanelStrings; snapshot: ChatSnapshot }): void {
  strings = message.strings;
  applySnapshot(message.snapshot);
  if (pendingFocus !== undefined) {
    const { conversation, keyboard } = pendingFocus;
    pendingFocus = undefined;
    focus(conversation, keyboard);
  }
}

function applySnapshot(snapshot: ChatSnapshot): void {
  conversations = snapshot.conversations;
  maxTextBytes = snapshot.maxTextBytes;
  standing = snapshot.standing ?? {};
  setConnection(snapshot.connection);
  store.reset(snapshot.items, snapshot.older);
  hints.reset(snapshot.items);
  // New item objects, and perhaps new strings: no rendered message is reused (highlighted code is).
  list.clear();
  if (!conversations.some((conversation) => conversation.id === view.selected)) view.selected = EVERYONE;
  renderAll();
}

function setConnection(next: ConnectionView): void {
  connection = next;
  if (next.kind === 'connected') role = next.role;
}

function renderAll(): void {
  const s = strings;
  if (!s) return;
  document.title = s.title;
  nav.setAttribute('aria-label', s.conversations);
  messagesElement.setAttribute('aria-label', s.messages);
  recipientLabel.textContent = s.to;
  label(newConversation, `${s.newConversation} (${NEW_CONVERSATION_KEY})`);
  input.placeholder = s.composerPlaceholder;
  input.setAttribute('aria-label', s.composerPlaceholder);
  input.setAttribute('aria-describedby', 'composer-note');
  sendButton.textContent = s.send;
  renderStatus();
  renderConversations();
  renderStanding();
  renderHints();
  list.show(view.selected, store.items(view.selected), store.hasOlder(view.selected), emptyContent);
  input.value = view.drafts[view.selected] ?? '';
  renderNote();
  persist();
}

/** An icon button's name for screen readers and its tooltip. */
function label(button: HTMLElement, text: string): void {
  button.setAttribute('aria-label', text);
  button.title = text;
}

function renderStatus(): void {
  const s = strings!;
  status.className = `status ${connection.kind}`;
  const text =
    connection.kind === 'connected'
      ? format(s.connectionConnected, connection.name, connection.server, connection.dialect)
      : connection.kind === 'connecting'
        ? s.connectionConnecting
        : connection.kind === 'reconnecting'
          ? format(s.connectionReconnecting, connection.retryInSeconds, connection.reason)
          : connection.kind === 'failed'
            ? format(s.connectionFailed, connection.reason)
            : s.connectionDisconnected;
  const action =
    connection.kind === 'disconnected' || connection.kind === 'failed'
      ? { label: s.connect, message: { type: 'connect' } as const }
      : connection.kind === 'reconnecting'
        ? { label: s.reconnectNow, message: { type: 'reconnectNow' } as const }
        : undefined;
  const button = action
    ? h(
        'button',
        { type: 'button', class: `secondary ${action.message.type === 'connect' ? 'connect' : 'reconnect-now'}` },
        action.label,
      )
    : undefined;
  button?.addEventListener('click', () => post(action!.message));
  status.replaceChildren(
    h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'status-text', title: text }, text),
    ...(button ? [button] : []),
  );
}

function renderConversations(reveal = false): void {
  const s = strings!;
  const focused =
    document.activeElement instanceof HTMLElement ? document.activeElement.dataset.conversation : undefined;
  // Presence is only known while connected: the last list would otherwise show classmates online who are gone.
  const known = connection.kind === 'connected';
  conversationList.replaceChildren(
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
      button.addEventListener('click', () => select(conversation.id));
      return h('li', {}, button);
    }),
  );
  if (focused) conversationList.querySelector<HTMLElement>(`[data-conversation="${CSS.escape(focused)}"]`)?.focus();
  if (reveal) conversationList.querySelector('.current')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  renderRecipients();
}

function renderRecipients(): void {
  const s = strings!;
  const to = recipientFor();
  const listed = isTeacher() ? conversations : persons();
  const options = listed.map((conversation) =>
    h('option', { value: conversation.id, selected: conversation.id === to }, conversation.label),
  );
  if (to === undefined) options.unshift(h('option', { value: '', disabled: true, selected: true }, s.chooseRecipient));
  // A conversation just opened for someone new (Message Peer) is not listed until its first message.
  else if (!listed.some((conversation) => conversation.id === to))
    options.unshift(h('option', { value: to, selected: true }, labelOf(to)));
  recipient.replaceChildren(...options);
}

function renderNote(): void {
  if (noteError || !strings) return;
  const s = strings;
  const to = recipientFor();
  note.classList.remove('error');
  note.textContent =
    to === undefined
      ? format(s.guide, NEW_CONVERSATION_KEY)
      : view.selected === EVERYONE && to !== EVERYONE
        ? format(s.hintsReadOnly, labelOf(to))
        : s.composerHint;
}

function showError(text: string): void {
  noteError = true;
  note.textContent = text;
  note.classList.add('error');
}

function emptyContent(): HTMLElement {
  const s = strings!;
  const text = view.selected === EVERYONE && !isTeacher() ? s.emptyHints : s.empty;
  return h(
    'div',
    { class: 'empty' },
    h('p', {}, text),
    recipientFor() === undefined ? h('p', { class: 'guide' }, format(s.guide, NEW_CONVERSATION_KEY)) : undefined,
  );
}

// ---- raised hand and mute ----

function renderStanding(): void {
  const s = strings!;
  const student = role === 'student' && connection.kind === 'connected';
  handButton.hidden = !student;
  const up = standing.hand !== undefined;
  handButton.textContent = up ? s.lowerHand : s.raiseHand;
  handButton.title = handButton.textContent;
  handButton.setAttribute('aria-pressed', String(up));
  const parts: HTMLElement[] = [];
  if (standing.muted) {
    parts.push(
      h(
        'p',
        { class: 'muted-notice' },
        standing.muted.until ? format(s.mutedUntil, timeOf(standing.muted.until)) : s.muted,
      ),
    );
  }
  if (up) {
    const since = timeOf(standing.hand!.at);
    parts.push(
      h(
        'p',
        { class: 'hand-up' },
        standing.hand!.question ? format(s.handUpQuestion, since, standing.hand!.question) : format(s.handUp, since),
      ),
    );
  } else if (askingHand && student) {
    parts.push(handForm(s));
  }
  standingBar.replaceChildren(...parts);
  standingBar.hidden = parts.length === 0;
}

function handForm(s: PanelStrings): HTMLElement {
  const question = h('input', {
    type: 'text',
    class: 'hand-question',
    maxlength: '500',
    placeholder: s.handQuestion,
    'aria-label': s.handQuestion,
  });
  const cancel = h('button', { type: 'button', class: 'secondary' }, s.cancel);
  const form = h('form', { class: 'hand-form' }, question, h('button', { type: 'submit' }, s.raiseHand), cancel);
  const close = () => {
    askingHand = false;
    renderStanding();
    handButton.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = question.value.trim();
    post(text ? { type: 'raiseHand', up: true, question: text } : { type: 'raiseHand', up: true });
    close();
  });
  cancel.addEventListener('click', close);
  question.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
  queueMicrotask(() => question.focus());
  return form;
}

handButton.addEventListener('click', () => {
  if (standing.hand) {
    post({ type: 'raiseHand', up: false });
    return;
  }
  askingHand = !askingHand;
  renderStanding();
});

// ---- pinned hints ----

function renderHints(): void {
  const s = strings!;
  const shown = isTeacher() ? [] : hints.visible();
  hintsStrip.hidden = shown.length === 0;
  if (shown.length === 0) {
    hintList.replaceChildren();
    return;
  }
  const expanded = !view.hintsCollapsed;
  hintsToggle.replaceChildren(
    h('span', { class: 'chevron', 'aria-hidden': 'true' }, expanded ? '▾' : '▸'),
    ` ${format(s.hints, shown.length)}`,
  );
  hintsToggle.setAttribute('aria-expanded', String(expanded));
  hintsToggle.title = expanded ? s.collapseHints : s.expandHints;
  hintList.hidden = !expanded;
  hintList.replaceChildren(...(expanded ? shown.map(renderHint) : []));
}

function renderHint(item: ChatItem): HTMLElement {
  const s = strings!;
  const dismiss = h('button', { type: 'button', class: 'icon dismiss-hint' }, '×');
  label(dismiss, s.dismissHint);
  dismiss.addEventListener('click', () => {
    hints.dismiss(item.id);
    persist();
    renderHints();
    ((hintList.querySelector('.dismiss-hint') as HTMLElement | null) ?? hintsToggle).focus();
  });
  const body =
    item.content.kind === 'text'
      ? h('div', { class: 'hint-text' }, item.content.text)
      : renderSnippet(context(), item, true);
  return h(
    'li',
    { class: 'hint', 'data-hint-id': item.id },
    h('header', {}, h('span', { class: 'from' }, item.from), roleBadge(s), timeElement(s, item), dismiss),
    body,
  );
}

hintsToggle.addEventListener('click', () => {
  view.hintsCollapsed = !view.hintsCollapsed;
  persist();
  renderHints();
});

// ---- conversations ----

function select(conversation: string): void {
  view.drafts[view.selected] = input.value;
  if (conversation !== view.selected) list.forget(store.release(view.selected));
  view.selected = conversation;
  if (conversation !== EVERYONE) view.lastPerson = conversation;
  noteError = false;
  post({ type: 'select', conversation });
  const shown = conversations.find((candidate) => candidate.id === conversation);
  if (shown) shown.unread = 0;
  if (!strings) return;
  renderConversations(true);
  list.show(conversation, store.items(conversation), store.hasOlder(conversation), emptyContent);
  input.value = view.drafts[conversation] ?? '';
  renderNote();
  persist();
}

/** Shows `conversation`; the composer takes the keyboard unless the person is to stay where they are. */
function focus(conversation: string, keyboard = true): void {
  if (!strings) {
    pendingFocus = { conversation, keyboard };
    return;
  }
  select(conversation);
  if (keyboard) input.focus();
}

function loadOlder(): void {
  const oldest = store.items(view.selected)[0];
  if (oldest) post({ type: 'loadOlder', conversation: view.selected, before: oldest.id, count: PANEL_KEEP });
}

function upsert(item: ChatItem, announce: boolean): void {
  if (!strings) return;
  const viewing = item.conversation === view.selected;
  const existed = store.get(item.id) !== undefined;
  const { added, dropped } = store.upsert(item, viewing && !list.atBottom());
  list.forget(dropped);
  if (viewing) {
    if (dropped.length > 0) list.setOlder(true);
    if (added) list.append(item, item.direction === 'out');
    else if (existed) list.update(item);
  }
  if (hints.offer(item) && !isTeacher()) renderHints();
  if (announce && item.direction === 'in') {
    const text =
      item.content.kind === 'text'
        ? item.content.text
        : format(strings.snippetFrom, item.content.snippet.language, item.content.snippet.file ?? '');
    announcer.textContent = format(strings.newMessageFrom, item.from || strings.everyone, text.slice(0, 200));
  }
}

// ---- composer ----

function send(): void {
  if (!strings) return;
  const text = input.value;
  if (text.trim() === '') return;
  const to = recipientFor();
  if (to === undefined) {
    showError(format(strings.guide, NEW_CONVERSATION_KEY));
    return;
  }
  const bytes = encoder.encode(text).length;
  if (bytes > maxTextBytes) {
    showError(format(strings.tooLong, bytes, maxTextBytes));
    return;
  }
  post({ type: 'send', conversation: to, text });
  input.value = '';
  view.drafts[view.selected] = '';
  noteError = false;
  // A student writing while the hints are in view sees the conversation the message went to.
  if (to !== view.selected) select(to);
  else renderNote();
  persist();
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});

input.addEventListener('keydown', (event) => {
  // While an input method is composing (Japanese, Chinese, …) Enter confirms the composition.
  if (event.isComposing || event.keyCode === 229) return;
  if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    send();
  }
});

input.addEventListener('input', () => {
  view.drafts[view.selected] = input.value;
  if (noteError && encoder.encode(input.value).length <= maxTextBytes) {
    noteError = false;
    renderNote();
  }
  persist();
});

recipient.addEventListener('change', () => {
  if (recipient.value) select(recipient.value);
});
newConversation.addEventListener('click', () => post({ type: 'newConversation' }));
document.addEventListener('keydown', (event) => {
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === 'KeyN') {
    event.preventDefault();
    post({ type: 'newConversation' });
  }
});

// ---- the host ----

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'init':
      init(message);
      return;
    case 'snapshot':
      if (!strings) return;
      applySnapshot(message.snapshot);
      return;
    case 'item':
      upsert(message.item, message.announce);
      return;
    case 'conversations':
      if (!strings) return;
      // The conversation in view stays even when not listed (yet): someone just chosen with "+".
      conversations = message.conversations;
      renderConversations();
      renderNote();
      return;
    case 'connection':
      if (!strings) return;
      setConnection(message.connection);
      maxTextBytes = message.maxTextBytes;
      renderStatus();
      renderConversations();
      renderStanding();
      renderHints();
      renderNote();
      return;
    case 'focus':
      focus(message.conversation, message.keyboard !== false);
      return;
    case 'standing':
      if (!strings) return;
      standing = {
        ...(message.hand ? { hand: message.hand } : {}),
        ...(message.muted ? { muted: message.muted } : {}),
      };
      if (standing.hand) askingHand = false;
      renderStanding();
      return;
    case 'hintsCleared':
      hints.clear();
      persist();
      if (strings) renderHints();
      return;
    case 'older':
      if (!strings || message.conversation !== view.selected) return;
      list.prepend(store.prepend(message.conversation, message.items, message.more), message.more);
      return;
  }
});

post({ type: 'ready' });
