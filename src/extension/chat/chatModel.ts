/**
 * The chat as the panel shows it: conversations, messages, unread counts and who is online.
 * Pure state, no vscode: the host feeds it events, each change is reported to `journal` (the
 * history file appends it), and toJSON() is all of it (the history file is rewritten from it).
 * It puts together the items within their bounds (chatItems.ts), the peers' names as the
 * server tells them apart (peerNames.ts), the unread counts (unreadCounts.ts) and who is online.
 */
import type { Dialect } from '../../client/types';
import { nameKey } from '../../protocol/nameSkeleton';
import {
  EVERYONE,
  type ChatItem,
  type ConnectionView,
  type ConversationView,
  type DeliveryView,
} from '../../protocol/panel';
import { CHAT_BOUNDS, ChatItems, type ChatBounds } from './chatItems';
import { isChatItem, storedDialect, type HistoryRecord, type StoredChat } from './history/storedChat';
import { contentKey, contentOf, type Incoming, type IncomingHint } from './incoming';
import { firstConversationOf, keyingOf, PeerNames, restoredNames, type Keying } from './peerNames';
import { UnreadCounts } from './unreadCounts';

let sequence = 0;
const localId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++sequence).toString(36)}`;

/** How many conversations opened by name without a word in them stay listed. */
const OPENED_KEPT = 32;

export class ChatModel {
  private readonly items: ChatItems;
  private readonly names: PeerNames;
  private readonly unread = new UnreadCounts();
  private onlineKeys = new Set<string>();
  /** Conversations opened by name (the roster, the inbox) before a word in them: listed, the last OPENED_KEPT. */
  private readonly opened = new Set<string>();
  private serverDialect: Dialect | undefined;
  connection: ConnectionView = { kind: 'disconnected' };
  /** Hears of every change, for the history file. */
  journal: ((record: HistoryRecord) => void) | undefined;

  constructor(
    private historySize: number,
    everyoneLabel: string,
    bounds: ChatBounds = CHAT_BOUNDS,
  ) {
    this.items = new ChatItems(bounds);
    this.names = new PeerNames(everyoneLabel);
  }

  /**
   * The conversation a name starts as on our relay; an instance's conversationOf() knows the
   * server and who is there.
   */
  static conversationOf(name: string): string {
    return firstConversationOf(name);
  }

  get history(): readonly ChatItem[] {
    return this.items.all;
  }

  get totalUnread(): number {
    return this.unread.total;
  }

  get dialect(): Dialect | undefined {
    return this.serverDialect;
  }

  get keying(): Keying {
    return this.names.keying;
  }

  /** The conversation of a peer named `name`, as this server tells names apart. */
  conversationOf(name: string): string {
    return this.names.conversationOf(name);
  }

  /**
   * The conversation in use for `conversation`, which may name it as another server keys it
   * (ChatModel.conversationOf's lower case on a course server, or a look-alike on our relay).
   */
  resolve(conversation: string): string {
    if (conversation === EVERYONE || this.items.has(conversation) || this.onlineKeys.has(conversation))
      return conversation;
    if (this.keying === 'fold') return this.names.lookAlikeOf(conversation) ?? conversation;
    let found: string | undefined;
    for (const item of this.items.all)
      if (item.conversation !== EVERYONE && nameKey(item.conversation) === nameKey(conversation))
        found = item.conversation;
    return found ?? conversation;
  }

  /**
   * The server's dialect, once known: names are told apart as it does. Conversations kept under
   * another way are merged or split by their names as written. True when that changed them.
   */
  setDialect(dialect: Dialect): boolean {
    const before = this.keying;
    this.useDialect(dialect);
    if (this.keying === before) return false;
    this.rekey();
    return true;
  }

  /** The conversation the person is looking at (panel visible and focused on it), if any. */
  setViewing(conversation: string | undefined): void {
    if (this.unread.view(conversation) && conversation !== undefined) this.journal?.({ t: 'read', conversation });
  }

  /** Every conversation counts as read; false when none had anything unread. */
  markAllRead(): boolean {
    if (!this.unread.readAll()) return false;
    this.journal?.({ t: 'read-all' });
    return true;
  }

  setHistorySize(size: number): void {
    this.historySize = size;
    this.trim();
  }

  setOnline(names: readonly string[]): void {
    const keys = new Set<string>();
    for (const name of names) {
      const key = this.conversationOf(name);
      keys.add(key);
      this.setLabel(key, name.trim(), true);
    }
    const gone = [...this.onlineKeys].filter((key) => !keys.has(key));
    this.onlineKeys = keys;
    for (const key of gone) this.forgetIfEmpty(key);
  }

  /** The conversation with `name`, labelled with the name as written until the server names it otherwise. */
  named(name: string): string {
    const conversation = this.resolve(this.conversationOf(name));
    this.setLabel(conversation, name.trim(), false);
    this.opened.delete(conversation);
    this.opened.add(conversation);
    if (this.opened.size > OPENED_KEPT) this.opened.delete(this.opened.values().next().value!);
    return conversation;
  }

  labelOf(conversation: string): string {
    return this.names.labelOf(conversation);
  }

  conversations(): ConversationView[] {
    const lastActivity = new Map<string, number>();
    this.items.all.forEach((item, index) => lastActivity.set(item.conversation, index));
    const ids = new Set<string>([...lastActivity.keys(), ...this.onlineKeys, ...this.opened]);
    ids.delete(EVERYONE);
    const peers = [...ids].sort(
      (a, b) =>
        (lastActivity.get(b) ?? -1) - (lastActivity.get(a) ?? -1) || this.labelOf(a).localeCompare(this.labelOf(b)),
    );
    return [EVERYONE, ...peers].map((id) => ({
      id,
      label: this.labelOf(id),
      online: id === EVERYONE || this.onlineKeys.has(id),
      unread: this.unread.of(id),
    }));
  }

  /** Adds what arrived; it counts as unread unless the person is looking at its conversation. */
  receive(incoming: Incoming): ChatItem {
    const conversation =
      incoming.kind === 'hint' || incoming.kind === 'notice' ? EVERYONE : this.conversationOf(incoming.from);
    if (incoming.kind !== 'notice' && conversation !== EVERYONE)
      this.setLabel(conversation, incoming.from.trim(), true);
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
    const unread = incoming.kind !== 'notice' && this.unread.arrived(conversation);
    this.push(item, unread);
    return item;
  }

  /**
   * Whether a hint of the lesson the relay hands every newcomer is here already: one received
   * before (same sender, time and content), or our own, sent from here.
   */
  knows(hint: IncomingHint, self: string): boolean {
    const content = contentKey(contentOf(hint));
    return this.items.all.some(
      (item) =>
        item.conversation === EVERYONE &&
        !item.notice &&
        contentKey(item.content) === content &&
        (item.direction === 'in'
          ? item.from === hint.from && item.at === hint.at
          : nameKey(item.from) === nameKey(self)),
    );
  }

  /** Our own message, pending until the connection says how it fared; `teacher` when we are one. */
  sent(id: string, to: string | undefined, from: string, content: ChatItem['content'], teacher = false): ChatItem {
    const conversation = to === undefined ? EVERYONE : this.conversationOf(to);
    if (to !== undefined) this.setLabel(conversation, to.trim(), false);
    const item: ChatItem = {
      id,
      conversation,
      direction: 'out',
      from,
      at: new Date().toISOString(),
      content,
      delivery: 'pending',
    };
    if (teacher) item.teacher = true;
    this.push(item, false);
    return item;
  }

  /** The last `keep` items of each conversation, oldest first, and the conversations that have more. */
  recent(keep: number): { items: ChatItem[]; older: string[] } {
    return this.items.recent(keep);
  }

  /** Up to `count` items of `conversation` just before the item `before`, oldest first; `more` if older ones exist. */
  older(conversation: string, before: string, count: number): { items: ChatItem[]; more: boolean } {
    return this.items.older(conversation, before, count);
  }

  updateDelivery(id: string, delivery: DeliveryView, failure?: string): ChatItem | undefined {
    const item = this.find(id);
    if (!item) return undefined;
    item.delivery = delivery;
    if (failure === undefined) delete item.failure;
    else item.failure = failure;
    this.journal?.(failure === undefined ? { t: 'delivery', id, delivery } : { t: 'delivery', id, delivery, failure });
    return item;
  }

  find(id: string): ChatItem | undefined {
    return this.items.find(id);
  }

  /** Peers this person has talked with or seen, by their names as written. */
  knownPeers(): string[] {
    return this.conversations()
      .filter((view) => view.id !== EVERYONE)
      .map((view) => view.label);
  }

  toJSON(): StoredChat {
    // Built from entries, so that a peer called __proto__ is a name like any other.
    const labels = Object.fromEntries(
      this.items
        .conversations()
        .filter((conversation) => conversation !== EVERYONE && this.names.written(conversation) !== undefined)
        .map((conversation) => [conversation, this.names.written(conversation)!]),
    );
    const stored: StoredChat = {
      version: 1,
      items: this.items.all,
      unread: this.unread.toJSON(),
      labels,
    };
    if (this.serverDialect) stored.dialect = this.serverDialect;
    return stored;
  }

  /**
   * Restores stored history; anything malformed is dropped item by item. Messages that were
   * still pending when the window closed are marked failed with `interrupted`.
   */
  restore(stored: unknown, interrupted: string): { dropped: number } {
    if (typeof stored !== 'object' || stored === null || (stored as StoredChat).version !== 1) return { dropped: 0 };
    const chat = stored as Partial<Record<keyof StoredChat, unknown>>;
    const candidates: unknown[] = Array.isArray(chat.items) ? chat.items : [];
    const valid = candidates.filter(isChatItem);
    const dialect = storedDialect(chat.dialect);
    if (dialect) this.useDialect(dialect);
    for (const item of valid) {
      if (item.delivery === 'pending') {
        item.delivery = 'failed';
        item.failure = interrupted;
      }
    }
    const given = new Map(typeof chat.labels === 'object' && chat.labels !== null ? Object.entries(chat.labels) : []);
    this.items.replace(valid);
    this.names.replace(restoredNames(valid, given, this.keying));
    const unread = chat.unread;
    if (typeof unread === 'object' && unread !== null) {
      // Only conversations the chat lists, and never more than the items they hold: a stored count may be stale
      // or damaged.
      for (const [conversation, count] of Object.entries(unread)) {
        const held = this.items.countOf(conversation);
        if (typeof count === 'number' && Number.isSafeInteger(count) && count > 0 && held > 0)
          this.unread.restore(conversation, count, held);
      }
    }
    this.trim();
    return { dropped: candidates.length - valid.length };
  }

  private useDialect(dialect: Dialect): void {
    this.serverDialect = dialect;
    this.names.keying = keyingOf(dialect);
  }

  /** A peer's name as written (see PeerNames.set), journaled once its conversation has items. */
  private setLabel(conversation: string, name: string, authoritative: boolean): void {
    if (this.names.set(conversation, name, authoritative) && this.items.has(conversation))
      this.journal?.({ t: 'label', conversation, name });
  }

  private push(item: ChatItem, unread: boolean): void {
    const first = !this.items.has(item.conversation);
    this.items.push(item);
    const label = this.names.written(item.conversation);
    if (first && label !== undefined && item.conversation !== EVERYONE)
      this.journal?.({ t: 'label', conversation: item.conversation, name: label });
    this.journal?.(unread ? { t: 'item', item, unread: true } : { t: 'item', item });
    this.trim(item.conversation);
  }

  /**
   * Keeps the history within its count and its bytes; what goes takes its unread count and,
   * unless online, its name along.
   */
  private trim(conversation?: string): void {
    for (const key of this.items.trim(this.historySize, conversation)) {
      this.unread.limit(key, this.items.countOf(key));
      this.forgetIfEmpty(key);
    }
  }

  /** A conversation with no items left and nobody online under it is forgotten, name and all. */
  private forgetIfEmpty(conversation: string): void {
    if (this.items.has(conversation) || this.onlineKeys.has(conversation)) return;
    this.names.forget(conversation);
    this.unread.forget(conversation);
  }

  /** Files every conversation under the key the server's way gives its name as written. */
  private rekey(): void {
    const names = new Map<string, string>();
    for (const item of this.items.all) {
      if (item.conversation === EVERYONE) continue;
      // The newest name as written wins when conversations merge.
      names.set(item.conversation, this.labelOf(item.conversation));
    }
    for (const key of this.onlineKeys) names.set(key, this.labelOf(key));
    const moved = this.names.rekey(names);
    const target = (key: string) => moved.get(key) ?? key;
    this.items.refile(target);
    this.unread.refile(target);
    this.onlineKeys = new Set([...this.onlineKeys].map(target));
  }
}
