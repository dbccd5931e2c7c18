/**
 * The items of one chat, oldest first, within their bounds: relay.historySize items, and
 * CHAT_BOUNDS bytes per conversation and for the chat. It counts each conversation's items and
 * bytes as they come and go, and answers the recent ones and older ones page by page.
 */
import type { ChatItem } from '../../protocol/panel';
import { utf8Length } from '../../protocol/utf8';

/** How much one chat (a server and a name) keeps, beyond the relay.historySize count. */
export interface ChatBounds {
  /** UTF-8 bytes of one conversation's items, as JSON. */
  conversationBytes: number;
  /** UTF-8 bytes of all items, as JSON. */
  chatBytes: number;
}

const MiB = 1024 * 1024;
export const CHAT_BOUNDS: ChatBounds = { conversationBytes: 2 * MiB, chatBytes: 8 * MiB };

interface Tally {
  items: number;
  bytes: number;
}

export class ChatItems {
  private items: ChatItem[] = [];
  private tallies = new Map<string, Tally>();
  private totalBytes = 0;
  private readonly sizes = new WeakMap<ChatItem, number>();

  constructor(private readonly bounds: ChatBounds) {}

  /** Oldest first; the list itself, changed only here. */
  get all(): ChatItem[] {
    return this.items;
  }

  /** Whether `conversation` has any item. */
  has(conversation: string): boolean {
    return this.tallies.has(conversation);
  }

  /** How many items `conversation` has. */
  countOf(conversation: string): number {
    return this.tallies.get(conversation)?.items ?? 0;
  }

  /** The conversations that have items. */
  conversations(): string[] {
    return [...this.tallies.keys()];
  }

  push(item: ChatItem): void {
    this.items.push(item);
    this.count(item, 1);
  }

  /** Takes `items` instead of all kept so far (restoring a history, or conversations filed anew). */
  replace(items: ChatItem[]): void {
    this.items = items;
    this.tallies = new Map();
    this.totalBytes = 0;
    for (const item of items) this.count(item, 1);
  }

  /** Files each item under the conversation `target` gives its own (conversations merged or split). */
  refile(target: (conversation: string) => string): void {
    for (const item of this.items) item.conversation = target(item.conversation);
    this.replace(this.items);
  }

  /**
   * Keeps at most `historySize` items and the bytes within the bounds, the oldest going first;
   * `conversation`: only it grew. Answers the conversations that lost items.
   */
  trim(historySize: number, conversation?: string): Set<string> {
    const touched = new Set<string>();
    const excess = this.items.length - historySize;
    if (excess > 0) for (const item of this.items.splice(0, excess)) touched.add(this.count(item, -1));
    const over = conversation === undefined ? this.conversations() : [conversation];
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
    return touched;
  }

  find(id: string): ChatItem | undefined {
    // Recent items are the ones asked about.
    for (let index = this.items.length - 1; index >= 0; index--)
      if (this.items[index]!.id === id) return this.items[index];
    return undefined;
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

  /**
   * Up to `count` items of `conversation` just before the item `before`, oldest first; `more`
   * if even older ones exist.
   */
  older(conversation: string, before: string, count: number): { items: ChatItem[]; more: boolean } {
    const index = this.items.findIndex((item) => item.id === before);
    if (index === -1) return { items: [], more: false };
    const earlier = this.items.slice(0, index).filter((item) => item.conversation === conversation);
    return { items: earlier.slice(-count), more: earlier.length > count };
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
}
