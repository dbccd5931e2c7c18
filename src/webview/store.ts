/**
 * The items the panel keeps: per conversation the last `keep`, more only while the person
 * reads older ones. Everything else stays with the host, which sends older items on request.
 */
import type { ChatItem } from '../protocol/panel';

export class ItemStore {
  private readonly lists = new Map<string, ChatItem[]>();
  private readonly byId = new Map<string, ChatItem>();
  private readonly older = new Set<string>();
  /** Ids of items let go: a later update of one (its delivery) must not bring it back as new. */
  private readonly gone = new Set<string>();
  /** Conversations allowed more than `keep` items for now (older ones loaded, or a reader scrolled up). */
  private readonly limits = new Map<string, number>();

  constructor(
    readonly keep: number,
    private readonly dropped: (item: ChatItem) => void = () => undefined,
  ) {}

  /** Replaces everything with a snapshot's items (in history order). */
  reset(items: readonly ChatItem[], older: readonly string[] = []): void {
    const before = [...this.byId.values()];
    this.lists.clear();
    this.byId.clear();
    this.older.clear();
    this.limits.clear();
    this.gone.clear();
    for (const conversation of older) this.older.add(conversation);
    // Count first, so that only the kept tail of each conversation is ever stored.
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.conversation, (counts.get(item.conversation) ?? 0) + 1);
    const skip = new Map<string, number>();
    for (const [conversation, count] of counts) {
      if (count > this.keep) {
        skip.set(conversation, count - this.keep);
        this.older.add(conversation);
      }
    }
    for (const item of items) {
      const toSkip = skip.get(item.conversation) ?? 0;
      if (toSkip > 0) {
        skip.set(item.conversation, toSkip - 1);
        this.gone.add(item.id);
        continue;
      }
      if (this.byId.has(item.id)) continue;
      this.listOf(item.conversation).push(item);
      this.byId.set(item.id, item);
    }
    // What the panel made for an item it still keeps (its highlighted code) stays.
    for (const item of before) if (!this.byId.has(item.id)) this.dropped(item);
  }

  items(conversation: string): readonly ChatItem[] {
    return this.lists.get(conversation) ?? [];
  }

  get(id: string): ChatItem | undefined {
    return this.byId.get(id);
  }

  hasOlder(conversation: string): boolean {
    return this.older.has(conversation);
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Adds a new item at the end of its conversation or replaces one with the same id. With
   * `hold`, the conversation is not trimmed (someone is reading its older items); otherwise
   * the oldest items beyond the limit go, and are returned.
   */
  upsert(item: ChatItem, hold = false): { added: boolean; dropped: ChatItem[] } {
    if (this.gone.has(item.id)) return { added: false, dropped: [] };
    const existing = this.byId.get(item.id);
    if (existing) {
      const list = this.listOf(existing.conversation);
      const index = list.indexOf(existing);
      if (index !== -1) list[index] = item;
      this.byId.set(item.id, item);
      return { added: false, dropped: [] };
    }
    const list = this.listOf(item.conversation);
    list.push(item);
    this.byId.set(item.id, item);
    if (hold) {
      // Bounded even then: a flood while someone reads must not grow without end.
      this.limits.set(
        item.conversation,
        Math.min(Math.max(this.limitOf(item.conversation), list.length), this.keep * 5),
      );
    }
    return { added: true, dropped: this.trim(item.conversation) };
  }

  /** Older items from the host, oldest first; they go before the ones kept. Returns those added. */
  prepend(conversation: string, items: readonly ChatItem[], more: boolean): ChatItem[] {
    const fresh = items.filter((item) => item.conversation === conversation && !this.byId.has(item.id));
    const list = this.listOf(conversation);
    list.unshift(...fresh);
    for (const item of fresh) {
      this.byId.set(item.id, item);
      this.gone.delete(item.id);
    }
    this.limits.set(conversation, list.length);
    if (more) this.older.add(conversation);
    else this.older.delete(conversation);
    return fresh;
  }

  /** The person left this conversation: back to the last `keep` items. */
  release(conversation: string): ChatItem[] {
    this.limits.delete(conversation);
    return this.trim(conversation);
  }

  private limitOf(conversation: string): number {
    return this.limits.get(conversation) ?? this.keep;
  }

  private trim(conversation: string): ChatItem[] {
    const list = this.lists.get(conversation);
    const limit = this.limitOf(conversation);
    if (!list || list.length <= limit) return [];
    const dropped = list.splice(0, list.length - limit);
    for (const item of dropped) {
      this.byId.delete(item.id);
      this.forgetLater(item.id);
      this.dropped(item);
    }
    this.older.add(conversation);
    return dropped;
  }

  private forgetLater(id: string): void {
    this.gone.add(id);
    // Ids are short; the host keeps at most 10,000 items, so this bound is never the limit in practice.
    if (this.gone.size > 50_000) this.gone.delete(this.gone.values().next().value!);
  }

  private listOf(conversation: string): ChatItem[] {
    let list = this.lists.get(conversation);
    if (!list) {
      list = [];
      this.lists.set(conversation, list);
    }
    return list;
  }
}
