/**
 * The chat panel. It renders what the host sends (protocol/panel.ts) and tells the host what
 * the person does; it keeps its selection and draft in the webview state so a reload restores them.
 */
import { EVERYONE, format, type ChatItem, type ChatSnapshot, type ConnectionView, type HostToPanel, type PanelStrings, type PanelToHost } from '../protocol/panel';
import { h } from './dom';
import { highlight } from './highlight';

interface VsCodeApi<State> {
  postMessage(message: PanelToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

interface SavedState {
  selected: string;
  drafts: Record<string, string>;
  strings?: PanelStrings;
  snapshot?: ChatSnapshot;
}

declare function acquireVsCodeApi(): VsCodeApi<SavedState>;

const vscode = acquireVsCodeApi();
const saved = vscode.getState();

let strings: PanelStrings | undefined = saved?.strings;
let snapshot: ChatSnapshot | undefined = saved?.snapshot;
let selected = saved?.selected ?? EVERYONE;
const drafts: Record<string, string> = { ...saved?.drafts };

const encoder = new TextEncoder();
const app = document.getElementById('app')!;

// The skeleton is built once; later renders replace only the parts that change.
const status = h('div', { class: 'status', role: 'status' });
const conversationList = h('ul', { class: 'conversation-list' });
const messages = h('div', { class: 'messages', role: 'log', tabindex: '0' });
const recipient = h('select', { id: 'recipient', class: 'recipient' });
const recipientLabel = h('label', { for: 'recipient' });
const newConversation = h('button', { type: 'button', class: 'secondary new-conversation' });
const input = h('textarea', { id: 'composer-input', rows: '3' });
const sendButton = h('button', { type: 'submit', class: 'send' });
const note = h('p', { class: 'note', id: 'composer-note', 'aria-live': 'polite' });
const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'announcer' });
const nav = h('nav', { class: 'conversations' }, conversationList);
const composer = h('form', { class: 'composer' },
  h('div', { class: 'composer-row' }, recipientLabel, recipient, newConversation),
  input,
  h('div', { class: 'composer-row' }, note, sendButton));
app.append(h('div', { class: 'layout' }, nav, h('main', { class: 'chat' }, status, messages, composer)), announcer);

function post(message: PanelToHost): void {
  vscode.postMessage(message);
}

function persist(): void {
  vscode.setState({ selected, drafts, ...(strings ? { strings } : {}), ...(snapshot ? { snapshot } : {}) });
}

function renderAll(): void {
  if (!strings || !snapshot) return;
  if (!snapshot.conversations.some((conversation) => conversation.id === selected)) selected = EVERYONE;
  document.title = strings.title;
  nav.setAttribute('aria-label', strings.conversations);
  messages.setAttribute('aria-label', strings.messages);
  recipientLabel.textContent = strings.to;
  newConversation.textContent = '+';
  newConversation.title = strings.newConversation;
  newConversation.setAttribute('aria-label', strings.newConversation);
  input.placeholder = strings.composerPlaceholder;
  input.setAttribute('aria-label', strings.composerPlaceholder);
  input.setAttribute('aria-describedby', 'composer-note');
  sendButton.textContent = strings.send;
  renderStatus(snapshot.connection);
  renderConversations();
  renderMessages();
  persist();
}

function renderStatus(connection: ConnectionView): void {
  const s = strings!;
  status.className = `status ${connection.kind}`;
  const text = connection.kind === 'connected' ? format(s.connectionConnected, connection.name, connection.server, connection.dialect)
    : connection.kind === 'connecting' ? s.connectionConnecting
      : connection.kind === 'reconnecting' ? format(s.connectionReconnecting, connection.retryInSeconds, connection.reason)
        : connection.kind === 'failed' ? format(s.connectionFailed, connection.reason)
          : s.connectionDisconnected;
  const button = connection.kind === 'disconnected' || connection.kind === 'failed'
    ? h('button', { type: 'button', class: 'secondary connect' }, s.connect) : undefined;
  button?.addEventListener('click', () => post({ type: 'connect' }));
  status.replaceChildren(h('span', { class: 'status-dot', 'aria-hidden': 'true' }), h('span', {}, text), ...(button ? [button] : []));
}

function renderConversations(): void {
  const s = strings!;
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.conversation : undefined;
  conversationList.replaceChildren(...snapshot!.conversations.map((conversation) => {
    const current = conversation.id === selected;
    const badge = conversation.unread > 0
      ? h('span', { class: 'badge', 'aria-label': format(s.unread, conversation.unread) }, String(conversation.unread)) : undefined;
    const button = h('button', {
      type: 'button', class: `conversation${current ? ' current' : ''}`, 'data-conversation': conversation.id,
      'aria-current': current ? 'true' : undefined,
    },
    h('span', { class: `presence ${conversation.online ? 'online' : 'offline'}`, title: conversation.online ? s.online : s.offline, 'aria-label': conversation.online ? s.online : s.offline }),
    h('span', { class: 'label' }, conversation.label),
    badge);
    button.addEventListener('click', () => select(conversation.id));
    return h('li', {}, button);
  }));
  if (focused) conversationList.querySelector<HTMLElement>(`[data-conversation="${CSS.escape(focused)}"]`)?.focus();
  recipient.replaceChildren(...snapshot!.conversations.map((conversation) =>
    h('option', { value: conversation.id, selected: conversation.id === selected }, conversation.label)));
}

function renderMessages(): void {
  const s = strings!;
  const items = snapshot!.items.filter((item) => item.conversation === selected);
  const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
  messages.replaceChildren(...(items.length === 0 ? [h('p', { class: 'empty' }, s.empty)] : items.map(renderItem)));
  if (atBottom || items.length > 0) messages.scrollTop = messages.scrollHeight;
  input.value = drafts[selected] ?? '';
}

function renderItem(item: ChatItem): HTMLElement {
  const s = strings!;
  const time = new Date(item.at);
  const timeText = Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString(document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit' });
  const sender = item.direction === 'out' ? s.you : item.from;
  const delivery = item.delivery
    ? h('span', { class: `delivery ${item.delivery}` }, s[item.delivery])
    : undefined;
  const header = h('header', {},
    item.notice ? undefined : h('span', { class: 'from' }, sender),
    h('time', { datetime: item.at }, timeText),
    delivery);
  const body = item.content.kind === 'text'
    ? h('div', { class: 'text' }, item.content.text)
    : renderSnippet(item);
  const failure = item.failure ? h('p', { class: 'failure' }, item.failure) : undefined;
  return h('article', { class: `item ${item.direction}${item.notice ? ' notice' : ''}`, 'data-id': item.id }, header, body, failure);
}

function renderSnippet(item: ChatItem): HTMLElement {
  const s = strings!;
  if (item.content.kind !== 'snippet') throw new Error('not a snippet');
  const { snippet } = item.content;
  const where = [snippet.file, snippet.lines ? format(s.lines, snippet.lines.start, snippet.lines.end) : undefined].filter(Boolean).join(' ');
  const code = h('code', { class: `language-${snippet.language.replace(/[^\w-]/g, '')}` });
  code.append(highlight(snippet.code, snippet.language));
  const action = (name: 'insert' | 'open' | 'copy', label: string) => {
    const button = h('button', { type: 'button', class: 'secondary', 'data-action': name }, label);
    button.addEventListener('click', () => post({ type: 'snippet', action: name, itemId: item.id }));
    return button;
  };
  return h('figure', { class: 'snippet' },
    h('figcaption', {}, h('span', { class: 'language' }, snippet.language), where ? ` ${where}` : ''),
    h('pre', { tabindex: '0' }, code),
    h('div', { class: 'actions' }, action('insert', s.insert), action('open', s.open), action('copy', s.copy)));
}

function select(conversation: string): void {
  drafts[selected] = input.value;
  selected = conversation;
  post({ type: 'select', conversation });
  if (snapshot) {
    const view = snapshot.conversations.find((candidate) => candidate.id === conversation);
    if (view) view.unread = 0;
  }
  renderConversations();
  renderMessages();
  persist();
}

function upsert(item: ChatItem, announce: boolean): void {
  if (!snapshot || !strings) return;
  const index = snapshot.items.findIndex((candidate) => candidate.id === item.id);
  if (index === -1) snapshot.items.push(item);
  else snapshot.items[index] = item;
  if (item.conversation === selected) {
    const existing = messages.querySelector<HTMLElement>(`[data-id="${CSS.escape(item.id)}"]`);
    const rendered = renderItem(item);
    if (existing) existing.replaceWith(rendered);
    else {
      messages.querySelector('.empty')?.remove();
      messages.append(rendered);
      messages.scrollTop = messages.scrollHeight;
    }
  }
  if (announce && item.direction === 'in') {
    const text = item.content.kind === 'text' ? item.content.text : format(strings.snippetFrom, item.content.snippet.language, item.content.snippet.file ?? '');
    announcer.textContent = format(strings.newMessageFrom, item.from || strings.everyone, text.slice(0, 200));
  }
  persist();
}

function send(): void {
  if (!strings || !snapshot) return;
  const text = input.value;
  if (text.trim() === '') return;
  const bytes = encoder.encode(text).length;
  if (bytes > snapshot.maxTextBytes) {
    note.textContent = format(strings.tooLong, bytes, snapshot.maxTextBytes);
    note.classList.add('error');
    return;
  }
  post({ type: 'send', conversation: recipient.value || selected, text });
  input.value = '';
  drafts[selected] = '';
  note.textContent = strings.composerHint;
  note.classList.remove('error');
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
  drafts[selected] = input.value;
  if (note.classList.contains('error') && snapshot && encoder.encode(input.value).length <= snapshot.maxTextBytes) {
    note.classList.remove('error');
    note.textContent = strings?.composerHint ?? '';
  }
  persist();
});

recipient.addEventListener('change', () => select(recipient.value));
newConversation.addEventListener('click', () => post({ type: 'newConversation' }));

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      strings = message.strings;
      snapshot = message.snapshot;
      note.textContent = strings.composerHint;
      renderAll();
      return;
    case 'snapshot':
      snapshot = message.snapshot;
      renderAll();
      return;
    case 'item':
      upsert(message.item, message.announce);
      return;
    case 'conversations':
      if (!snapshot) return;
      snapshot.conversations = message.conversations;
      if (!snapshot.conversations.some((conversation) => conversation.id === selected)) selected = EVERYONE;
      renderConversations();
      persist();
      return;
    case 'connection':
      if (!snapshot) return;
      snapshot.connection = message.connection;
      snapshot.maxTextBytes = message.maxTextBytes;
      renderStatus(message.connection);
      persist();
      return;
    case 'focus':
      select(message.conversation);
      input.focus();
      return;
  }
});

renderAll();
post({ type: 'ready' });
