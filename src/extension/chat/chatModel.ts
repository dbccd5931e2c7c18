/**
 * The chat as the panel shows it: conversations, messages, unread counts and who is online.
 * Pure state, no vscode: the host feeds it events, each change is reported to `journal` (the
 * history file appends it), and toJSON() is all of it (the history file is rewritten from it).
 *
 * Conversations are told apart as the server tells names apart: our relay by skeleton ("Alice",
 * "alice" and "AIice" are one person there), a course server exactly ("Bob" and "bob" are two).
 * Each peer's name is kept as written, and replies go to it.
 */
import type { Dialect } from '../../client/types';
import type { Snippet } from '../../protocol/framed';
import { heldKey, nameKey } from '../../protocol/names';
import {
  EVERYONE,
  type ChatItem,
  type ConnectionView,
  type ConversationView,
  type DeliveryView,
} from '../../protocol/panel';
import { utf8Length } from '../../protocol/utf8';

export interface StoredChat {
  version: 1;
  items: ChatItem[];
  unread: Record<string, number>;
  /** Each peer's name as written, by conversation. */
  labels?: Record<string, string>;
  /** The server's dialect when this name was last connected there: how it tells names apart. */
  dialect?: Dialect;
}

/** One change to the chat, as the history file keeps it (one JSON line each). */
export type HistoryRecord =
  /** `unread`: it counts as unread. */
  | { t: 'item'; item: ChatItem; unread?: true }
  | { t: 'delivery'; id: string; delivery: DeliveryView; failure?: string }
  | { t: 'label'; conversation: string; name: string }
  /** The conversation's unread count went to zero. */
  | { t: 'read'; conversation: string }
  | { t: 'read-all' };

/** How much one chat (a server and a name) keeps, beyond the relay.historySize count. */
export interface ChatBounds {
  /** UTF-8 bytes of one conversation's items, as JSON. */
  conversationBytes: number;
  /** UTF-8 bytes of all items, as JSON. */
  chatBytes: number;
}

const MiB = 1024 * 1024;
export const CHAT_BOUNDS: ChatBounds = { conversationBytes: 2 * MiB, chatBytes: 8 * MiB };

/** How a server tells names apart: by skeleton (our relay) or exactly (a course server). */
export type Keying = 'fold' | 'exact';

export function keyingOf(dialect: Dialect | undefined): Keying {
  return dialect === 'course' || dialect === 'course-lan' ? 'exact' : 'fold';
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

interface Tally {
  items: number;
  bytes: number;
}

/**
 * A peer's conversation, never the one of everyone's hints: a course server lets anyone call
 * itself "*", and their messages are theirs, not broadcasts. No name has a line break, so this
 * id is nobody's name.
 */
const PEER_NAMED_EVERYONE = `\n${EVERYONE}`;

function apartFromEveryone(conversation: string): string {
  return conversation === EVERYONE ? PEER_NAMED_EVERYONE : conversation;
}

export class ChatModel {
  private items: ChatItem[] = [];
  private readonly unread = new Map<string, number>();
  /** Each peer's name as written. */
  private labels = new Map<string, string>();
  /** Skeleton of a label → its conversation, where names fold. */
  private bySkeleton = new Map<string, string>();
  private tallies = new Map<string, Tally>();
  private totalBytes = 0;
  private readonly sizes = new WeakMap<ChatItem, number>();
  private onlineKeys = new Set<string>();
  private viewing: string | undefined;
  private serverDialect: Dialect | undefined;
  connection: ConnectionView = { kind: 'disconnected' };
  /** Hears of every change, for the history file. */
  journal: ((record: HistoryRecord) => void) | undefined;

  constructor(
    private historySize: number,
    private readonly everyoneLabel: string,
    private readonly bounds: ChatBounds = CHAT_BOUNDS,
  ) {}

  /** The conversation a name starts as on our relay; an instance's conversationOf() knows the server and who is there. */
  static conversationOf(name: string): string {
    return apartFromEveryone(nameKey(name.trim()));
  }

  get history(): readonly ChatItem[] {
    return this.items;
  }

  get totalUnread(): number {
    let total = 0;
    for (const count of this.unread.values()) total += count;
    return total;
  }

  get dialect(): Dialect | undefined {
    return this.serverDialect;
  }

  get keying(): Keying {
    return keyingOf(this.serverDialect);
  }

  /** The conversation of a peer named `name`, as this server tells names apart. */
  conversationOf(name: string): string {
    const written = name.trim();
    if (this.keying === 'exact') return apartFromEveryone(written);
    return this.bySkeleton.get(skeletonOf(written)) ?? ChatModel.conversationOf(written);
  }

  /**
   * The conversation in use for `conversation`, which may name it as another server keys it
   * (ChatModel.conversationOf's lower case on a course server, or a look-alike on our relay).
   */
  resolve(conversation: string): string {
    if (conversation === EVERYONE || this.tallies.has(conversation) || this.onlineKeys.has(conversation))
      return conversation;
    if (this.keying === 'fold') return this.bySkeleton.get(skeletonOf(conversation)) ?? conversation;
    let found: string | undefined;
    for (const item of this.items)
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
    this.serverDialect = dialect;
    if (this.keying === before) return false;
    this.rekey();
    return true;
  }

  /** The conversation the person is looking at (panel visible and focused on it), if any. */
  setViewing(conversation: string | undefined): void {
    this.viewing = conversation;
    if (conversation !== undefined && this.unread.delete(conversation)) this.journal?.({ t: 'read', conversation });
  }

  /** Every conversation counts as read; false when none had anything unread. */
  markAllRead(): boolean {
    if (this.unread.size === 0) return false;
    this.unread.clear();
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

  labelOf(conversation: string): string {
    return conversation === EVERYONE ? this.everyoneLabel : (this.labels.get(conversation) ?? conversation);
  }

  conversations(): ConversationView[] {
    const lastActivity = new Map<string, number>();
    this.items.forEach((item, index) => lastActivity.set(item.conversation, index));
    const ids = new Set<string>([...lastActivity.keys(), ...this.onlineKeys]);
    ids.delete(EVERYONE);
    const peers = [...ids].sort(
      (a, b) =>
        (lastActivity.get(b) ?? -1) - (lastActivity.get(a) ?? -1) || this.labelOf(a).localeCompare(this.labelOf(b)),
    );
    return [EVERYONE, ...peers].map((id) => ({
      id,
      label: this.labelOf(id),
      online: id === EVERYONE || this.onlineKeys.has(id),
      unread: this.unread.get(id) ?? 0,
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
    const unread = this.viewing !== conversation && incoming.kind !== 'notice';
    if (unread) this.unread.set(conversation, (this.unread.get(conversation) ?? 0) + 1);
    this.push(item, unread);
    return item;
  }

  /**
   * Whether a hint of the lesson the relay hands every newcomer is here already: one received
   * before (same sender, time and content), or our own, sent from here.
   */
  knows(hint: IncomingHint, self: string): boolean {
    const content = contentKey(contentOf(hint));
    return this.items.some(
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
    const item = this.find(id);
    if (!item) return undefined;
    item.delivery = delivery;
    if (failure === undefined) delete item.failure;
    else item.failure = failure;
    this.journal?.(failure === undefined ? { t: 'delivery', id, delivery } : { t: 'delivery', id, delivery, failure });
    return item;
  }

  find(id: string): ChatItem | undefined {
    // Recent items are the ones asked about.
    for (let index = this.items.length - 1; index >= 0; index--)
      if (this.items[index]!.id === id) return this.items[index];
    return undefined;
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
      [...this.tallies.keys()]
        .filter((conversation) => conversation !== EVERYONE && this.labels.has(conversation))
        .map((conversation) => [conversation, this.labels.get(conversation)!]),
    );
    const stored: StoredChat = { version: 1, items: this.items, unread: Object.fromEntries(this.unread), labels };
    if (this.serverDialect) stored.dialect = this.serverDialect;
    return stored;
  }

  /**
   * Restores stored history; anything malformed is dropped item by item. Messages that were
   * still pending when the window closed are marked failed with `interrupted`.
   */
  restore(stored: unknown, interrupted: string): { dropped: number } {
    if (typeof stored !== 'object' || stored === null || (stored as StoredChat).version !== 1) return { dropped: 0 };
    const chat = stored as Partial<StoredChat>;
    const candidates: unknown[] = Array.isArray(chat.items) ? chat.items : [];
    const valid = candidates.filter(isChatItem);
    const dialect = chat.dialect;
    if (dialect === 'relay' || dialect === 'course' || dialect === 'course-lan') this.serverDialect = dialect;
    for (const item of valid) {
      if (item.delivery === 'pending') {
        item.delivery = 'failed';
        item.failure = interrupted;
      }
    }
    this.items = valid;
    const labels = new Map(typeof chat.labels === 'object' && chat.labels !== null ? Object.entries(chat.labels) : []);
    this.labels = new Map();
    for (const item of valid) {
      if (item.conversation === EVERYONE || item.notice) continue;
      const given = labels.get(item.conversation);
      if (typeof given === 'string' && given.trim() !== '') this.labels.set(item.conversation, given);
      else if (item.direction === 'in') this.labels.set(item.conversation, item.from);
      else if (!this.labels.has(item.conversation)) this.labels.set(item.conversation, item.conversation);
    }
    this.reindex();
    const unread = chat.unread;
    if (typeof unread === 'object' && unread !== null) {
      // Only conversations the chat lists, and never more than the items they hold: a stored count may be stale or damaged.
      for (const [conversation, count] of Object.entries(unread)) {
        const held = this.tallies.get(conversation)?.items ?? 0;
        if (Number.isSafeInteger(count) && count > 0 && held > 0) this.unread.set(conversation, Math.min(count, held));
      }
    }
    this.trim();
    return { dropped: candidates.length - valid.length };
  }

  /** A peer's name as written: the server's word for it wins (`authoritative`); ours only names someone new. */
  private setLabel(conversation: string, name: string, authoritative: boolean): void {
    if (conversation === EVERYONE || name === '') return;
    const current = this.labels.get(conversation);
    if (current === name || (current !== undefined && !authoritative && this.keying === 'fold')) return;
    if (current !== undefined && this.bySkeleton.get(skeletonOf(current)) === conversation)
      this.bySkeleton.delete(skeletonOf(current));
    this.labels.set(conversation, name);
    this.bySkeleton.set(skeletonOf(name), conversation);
    if (this.tallies.has(conversation)) this.journal?.({ t: 'label', conversation, name });
  }

  private push(item: ChatItem, unread: boolean): void {
    const first = !this.tallies.has(item.conversation);
    this.items.push(item);
    this.count(item, 1);
    const label = this.labels.get(item.conversation);
    if (first && label !== undefined && item.conversation !== EVERYONE)
      this.journal?.({ t: 'label', conversation: item.conversation, name: label });
    this.journal?.(unread ? { t: 'item', item, unread: true } : { t: 'item', item });
    this.trim(item.conversation);
  }

  /** Keeps the history within its count and its bytes; what goes takes its unread count and, unless online, its name along. */
  private trim(conversation?: string): void {
    const touched = new Set<string>();
    const excess = this.items.length - this.historySize;
    if (excess > 0) for (const item of this.items.splice(0, excess)) touched.add(this.count(item, -1));
    const over = conversation === undefined ? [...this.tallies.keys()] : [conversation];
    for (const key of over) {
      while ((this.tallies.get(key)?.bytes ?? 0) > this.bounds.conversationBytes) {
        const index = this.items.findIndex((item) => item.conversation === key);
        touched.add(this.count(this.items.splice(index, 1)[0]!, -1));
      }
    }
    let drop = 0;
    let bytes = this.totalBytes;
    while (bytes > this.bounds.chatBytes && drop < this.items.length) bytes -= this.sizeOf(this.items[drop++]!);
    if (drop > 0) for (const item of this.items.splice(0, drop)) touched.add(this.count(item, -1));
    for (const key of touched) {
      const unread = this.unread.get(key);
      const left = this.tallies.get(key)?.items ?? 0;
      if (unread !== undefined && unread > left) {
        if (left === 0) this.unread.delete(key);
        else this.unread.set(key, left);
      }
      this.forgetIfEmpty(key);
    }
  }

  /** A conversation with no items left and nobody online under it is forgotten, name and all. */
  private forgetIfEmpty(conversation: string): void {
    if (this.tallies.has(conversation) || this.onlineKeys.has(conversation)) return;
    const label = this.labels.get(conversation);
    if (label !== undefined && this.bySkeleton.get(skeletonOf(label)) === conversation)
      this.bySkeleton.delete(skeletonOf(label));
    this.labels.delete(conversation);
    this.unread.delete(conversation);
  }

  /** Adds (`sign` 1) or takes away (-1) an item's count and bytes; answers its conversation. */
  private count(item: ChatItem, sign: 1 | -1): string {
    const size = this.sizeOf(item);
    const tally = this.tallies.get(item.conversation) ?? { items: 0, bytes: 0 };
    tally.items += sign;
    tally.bytes += sign * size;
    this.totalBytes += sign * size;
    if (tally.items <= 0) this.tallies.delete(item.conversation);
    else this.tallies.set(item.conversation, tally);
    return item.conversation;
  }

  private sizeOf(item: ChatItem): number {
    let size = this.sizes.get(item);
    if (size === undefined) {
      size = utf8Length(JSON.stringify(item));
      this.sizes.set(item, size);
    }
    return size;
  }

  /** Counts and name look-ups from the items and labels as they are now. */
  private reindex(): void {
    this.tallies = new Map();
    this.totalBytes = 0;
    for (const item of this.items) this.count(item, 1);
    this.bySkeleton = new Map();
    for (const [conversation, label] of this.labels)
      if (!this.bySkeleton.has(skeletonOf(label))) this.bySkeleton.set(skeletonOf(label), conversation);
  }

  /** Files every conversation under the key the server's way gives its name as written. */
  private rekey(): void {
    const names = new Map<string, string>();
    for (const item of this.items) {
      if (item.conversation === EVERYONE) continue;
      // The newest name as written wins when conversations merge.
      names.set(item.conversation, this.labelOf(item.conversation));
    }
    for (const key of this.onlineKeys) names.set(key, this.labelOf(key));
    this.labels = new Map();
    this.bySkeleton = new Map();
    const moved = new Map<string, string>();
    for (const [old, name] of names) {
      const key = this.conversationOf(name);
      moved.set(old, key);
      this.labels.set(key, name);
      if (!this.bySkeleton.has(skeletonOf(name))) this.bySkeleton.set(skeletonOf(name), key);
    }
    const target = (key: string) => moved.get(key) ?? key;
    for (const item of this.items) item.conversation = target(item.conversation);
    const unread = [...this.unread];
    this.unread.clear();
    for (const [key, count] of unread) this.unread.set(target(key), (this.unread.get(target(key)) ?? 0) + count);
    this.onlineKeys = new Set([...this.onlineKeys].map(target));
    if (this.viewing !== undefined) this.viewing = target(this.viewing);
    this.reindex();
  }
}

/** The key under which our relay holds a name; never empty, so that every name has one. */
function skeletonOf(name: string): string {
  return heldKey(name) || nameKey(name);
}

function contentOf(incoming: Incoming): ChatItem['content'] {
  if (incoming.kind === 'snippet') return { kind: 'snippet', snippet: incoming.snippet };
  if (incoming.kind === 'hint' && incoming.snippet) return { kind: 'snippet', snippet: incoming.snippet };
  return { kind: 'text', text: incoming.text };
}

function contentKey(content: ChatItem['content']): string {
  return content.kind === 'text'
    ? `text\n${content.text}`
    : `snippet\n${content.snippet.language}\n${content.snippet.code}`;
}

export function isChatItem(value: unknown): value is ChatItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  const content = item.content as Record<string, unknown> | undefined;
  const contentOk =
    typeof content === 'object' &&
    content !== null &&
    ((content.kind === 'text' && typeof content.text === 'string') ||
      (content.kind === 'snippet' &&
        typeof content.snippet === 'object' &&
        content.snippet !== null &&
        typeof (content.snippet as Snippet).code === 'string' &&
        typeof (content.snippet as Snippet).language === 'string'));
  return (
    typeof item.id === 'string' &&
    typeof item.conversation === 'string' &&
    (item.direction === 'in' || item.direction === 'out') &&
    typeof item.from === 'string' &&
    typeof item.at === 'string' &&
    contentOk
  );
}
