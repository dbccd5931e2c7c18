/**
 * The chat as the panel shows it: conversations, messages, unread counts and who is online.
 * Pure state, no vscode: the host feeds it events and persists what toJSON() returns.
 */
import { nameKey } from '../../protocol/names';
import { EVERYONE, type ChatItem, type ConnectionView, type ConversationView, type DeliveryView } from '../../protocol/panel';
import type { Snippet } from '../../protocol/framed';

export interface StoredChat {
  version: 1;
  items: ChatItem[];
  unread: Record<string, number>;
}

/** `teacher`: the relay marks what a teacher sent; `earlier`: a hint sent before this person joined. */
export type Incoming =
  | { kind: 'message'; from: string; text: string; at: string; teacher?: boolean }
  | { kind: 'snippet'; from: string; snippet: Snippet; at: string; teacher?: boolean }
  | { kind: 'hint'; from: string; text: string; snippet?: Snippet; at: string; teacher?: boolean; earlier?: boolean }
  | { kind: 'notice'; text: string; at: string };

export type IncomingHint = Extract<Incoming, { kind: 'hint' }>;

let sequence = 0;
const localId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++sequence).toString(36)}`;

export class ChatModel {
  private items: ChatItem[] = [];
  private readonly unread = new Map<string, number>();
  private readonly labels = new Map<string, string>();
  private onlineKeys = new Set<string>();
  private viewing: string | undefined;
  connection: ConnectionView = { kind: 'disconnected' };

  constructor(private historySize: number, private readonly everyoneLabel: string) {}

  static conversationOf(name: string): string {
    return name === EVERYONE ? EVERYONE : nameKey(name.trim());
  }

  get history(): readonly ChatItem[] {
    return this.items;
  }

  get totalUnread(): number {
    let total = 0;
    for (const count of this.unread.values()) total += count;
    return total;
  }

  /** The conversation the person is looking at (panel visible and focused on it), if any. */
  setViewing(conversation: string | undefined): void {
    this.viewing = conversation;
    if (conversation !== undefined) this.unread.delete(conversation);
  }

  setHistorySize(size: number): void {
    this.historySize = size;
    this.trim();
  }

  setOnline(names: readonly string[]): void {
    this.onlineKeys = new Set(names.map((name) => ChatModel.conversationOf(name)));
    for (const name of names) this.labels.set(ChatModel.conversationOf(name), name);
  }

  labelOf(conversation: string): string {
    return conversation === EVERYONE ? this.everyoneLabel : this.labels.get(conversation) ?? conversation;
  }

  conversations(): ConversationView[] {
    const lastActivity = new Map<string, number>();
    this.items.forEach((item, index) => lastActivity.set(item.conversation, index));
    const ids = new Set<string>([...lastActivity.keys(), ...this.onlineKeys]);
    ids.delete(EVERYONE);
    const peers = [...ids].sort((a, b) => (lastActivity.get(b) ?? -1) - (lastActivity.get(a) ?? -1) || this.labelOf(a).localeCompare(this.labelOf(b)));
    return [EVERYONE, ...peers].map((id) => ({ id, label: this.labelOf(id), online: id === EVERYONE || this.onlineKeys.has(id), unread: this.unread.get(id) ?? 0 }));
  }

  /** Adds what arrived; it counts as unread unless the person is looking at its conversation. */
  receive(incoming: Incoming): ChatItem {
    const conversation = incoming.kind === 'hint' || incoming.kind === 'notice' ? EVERYONE : ChatModel.conversationOf(incoming.from);
    if (incoming.kind !== 'notice' && conversation !== EVERYONE) this.labels.set(conversation, incoming.from.trim());
    const item: ChatItem = {
      id: localId('in'),
      conversation,
      direction: 'in',
      from: incoming.kind === 'notice' ? '' : incoming.from,
      at: incoming.at,
      content: contentOf(incoming),
    };
    if (incoming.kind === 'notice') item.notice = true;
    else if (incoming.teacher) item.teacher = true;
    if (incoming.kind === 'hint' && incoming.earlier) item.earlier = true;
    this.push(item);
    if (this.viewing !== conversation && incoming.kind !== 'notice') this.unread.set(conversation, (this.unread.get(conversation) ?? 0) + 1);
    return item;
  }

  /**
   * Whether a hint of the lesson the relay hands every newcomer is here already: one received
   * before (same sender, time and content), or our own, sent from here.
   */
  knows(hint: IncomingHint, self: string): boolean {
    const content = contentKey(contentOf(hint));
    return this.items.some((item) => item.conversation === EVERYONE && !item.notice && contentKey(item.content) === content
      && (item.direction === 'in' ? item.from === hint.from && item.at === hint.at : nameKey(item.from) === nameKey(self)));
  }

  /** Our own message, pending until the connection says how it fared; `teacher` when we are one. */
  sent(id: string, to: string | undefined, from: string, content: ChatItem['content'], teacher = false): ChatItem {
    const conversation = to === undefined ? EVERYONE : ChatModel.conversationOf(to);
    if (to !== undefined) this.labels.set(conversation, to.trim());
    const item: ChatItem = { id, conversation, direction: 'out', from, at: new Date().toISOString(), content, delivery: 'pending' };
    if (teacher) item.teacher = true;
    this.push(item);
    return item;
  }

  /** The last `keep` items of each conversation, oldest first, and the conversations that have more. */
  recent(keep: number): { items: ChatItem[]; older: string[] } {
    const counts = new Map<string, number>();
    const picked: ChatItem[] = [];
    const older = new Set<string>();
    for (let index = this.items.length - 1; index >= 0; index--) {
      const item = this.items[index]!;
      const count = counts.get(item.conversation) ?? 0;
      if (count < keep) {
        picked.push(item);
        counts.set(item.conversation, count + 1);
      } else {
        older.add(item.conversation);
      }
    }
    return { items: picked.reverse(), older: [...older] };
  }

  /** Up to `count` items of `conversation` just before the item `before`, oldest first; `more` if even older ones exist. */
  older(conversation: string, before: string, count: number): { items: ChatItem[]; more: boolean } {
    const index = this.items.findIndex((item) => item.id === before);
    if (index === -1) return { items: [], more: false };
    const earlier = this.items.slice(0, index).filter((item) => item.conversation === conversation);
    return { items: earlier.slice(-count), more: earlier.length > count };
  }

  updateDelivery(id: string, delivery: DeliveryView, failure?: string): ChatItem | undefined {
    const item = this.items.find((candidate) => candidate.id === id);
    if (!item) return undefined;
    item.delivery = delivery;
    if (failure === undefined) delete item.failure;
    else item.failure = failure;
    return item;
  }

  find(id: string): ChatItem | undefined {
    return this.items.find((item) => item.id === id);
  }

  /** Peers this person has talked with or seen, for a course server that cannot list them. */
  knownPeers(): string[] {
    return this.conversations().filter((view) => view.id !== EVERYONE).map((view) => view.label);
  }

  toJSON(): StoredChat {
    return { version: 1, items: this.items, unread: Object.fromEntries(this.unread) };
  }

  /**
   * Restores stored history; anything malformed is dropped item by item. Messages that were
   * still pending when the window closed are marked failed with `interrupted`.
   */
  restore(stored: unknown, interrupted: string): { dropped: number } {
    if (typeof stored !== 'object' || stored === null || (stored as StoredChat).version !== 1) return { dropped: 0 };
    const candidates = Array.isArray((stored as StoredChat).items) ? (stored as StoredChat).items : [];
    const valid = candidates.filter(isChatItem);
    for (const item of valid) {
      if (item.delivery === 'pending') {
        item.delivery = 'failed';
        item.failure = interrupted;
      }
      if (item.conversation !== EVERYONE && !item.notice) this.labels.set(item.conversation, item.direction === 'in' ? item.from : this.labels.get(item.conversation) ?? item.conversation);
    }
    this.items = valid;
    const unread = (stored as StoredChat).unread;
    if (typeof unread === 'object' && unread !== null) {
      for (const [conversation, count] of Object.entries(unread)) if (Number.isSafeInteger(count) && count > 0) this.unread.set(conversation, count);
    }
    this.trim();
    return { dropped: candidates.length - valid.length };
  }

  private push(item: ChatItem): void {
    this.items.push(item);
    this.trim();
  }

  private trim(): void {
    if (this.items.length > this.historySize) this.items.splice(0, this.items.length - this.historySize);
  }
}

function contentOf(incoming: Incoming): ChatItem['content'] {
  if (incoming.kind === 'snippet') return { kind: 'snippet', snippet: incoming.snippet };
  if (incoming.kind === 'hint' && incoming.snippet) return { kind: 'snippet', snippet: incoming.snippet };
  return { kind: 'text', text: incoming.text };
}

function contentKey(content: ChatItem['content']): string {
  return content.kind === 'text' ? `text\n${content.text}` : `snippet\n${content.snippet.language}\n${content.snippet.code}`;
}

function isChatItem(value: unknown): value is ChatItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  const content = item.content as Record<string, unknown> | undefined;
  const contentOk = typeof content === 'object' && content !== null && (
    (content.kind === 'text' && typeof content.text === 'string')
    || (content.kind === 'snippet' && typeof content.snippet === 'object' && content.snippet !== null
      && typeof (content.snippet as Snippet).code === 'string' && typeof (content.snippet as Snippet).language === 'string'));
  return typeof item.id === 'string' && typeof item.conversation === 'string' && (item.direction === 'in' || item.direction === 'out')
    && typeof item.from === 'string' && typeof item.at === 'string' && contentOk;
}
