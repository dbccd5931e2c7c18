/**
 * A history file's text: the whole chat as lines (a header, each name as written, each item,
 * then the unread counts), and what any file's lines add up to, a change (HistoryRecord) per
 * line appended after the last rewrite included.
 */
import type { ChatItem } from '../../../protocol/panel';
import { isChatItem, isDelivery, storedDialect, type StoredChat } from './storedChat';

/** The whole chat as lines: a header, each name as written, each item, then the unread counts. */
export function serialize(key: string, chat: StoredChat): string {
  const lines: string[] = [
    JSON.stringify(chat.dialect ? { t: 'chat', v: 1, key, dialect: chat.dialect } : { t: 'chat', v: 1, key }),
  ];
  for (const [conversation, name] of Object.entries(chat.labels ?? {}))
    lines.push(JSON.stringify({ t: 'label', conversation, name }));
  for (const item of chat.items) lines.push(JSON.stringify({ t: 'item', item }));
  lines.push(JSON.stringify({ t: 'unread', counts: chat.unread }));
  return `${lines.join('\n')}\n`;
}

/** The chat a file's lines add up to, and how many lines could not be used. */
export function replay(text: string): { stored: StoredChat; skipped: number } {
  const chat = new Replayed();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (!chat.apply(record)) skipped++;
  }
  return { stored: chat.stored(), skipped };
}

/** The chat as the lines read so far make it. */
class Replayed {
  private readonly items: ChatItem[] = [];
  private readonly byId = new Map<string, number>();
  private readonly unread = new Map<string, number>();
  private readonly labels = new Map<string, string>();
  private dialect: StoredChat['dialect'];

  /** Takes one line's record; false when it cannot be used. */
  apply(record: unknown): boolean {
    if (typeof record !== 'object' || record === null) return false;
    const fields = record as Record<string, unknown>;
    switch (fields.t) {
      case 'chat':
        this.dialect = storedDialect(fields.dialect) ?? this.dialect;
        return true;
      case 'item': {
        if (!isChatItem(fields.item)) return false;
        const item = fields.item;
        const index = this.byId.get(item.id);
        if (index === undefined) {
          this.byId.set(item.id, this.items.length);
          this.items.push(item);
        } else {
          this.items[index] = item;
        }
        if (fields.unread === true) this.unread.set(item.conversation, (this.unread.get(item.conversation) ?? 0) + 1);
        return true;
      }
      case 'delivery': {
        const index = typeof fields.id === 'string' ? this.byId.get(fields.id) : undefined;
        if (index === undefined || !isDelivery(fields.delivery)) return false;
        const item = this.items[index]!;
        item.delivery = fields.delivery;
        if (typeof fields.failure === 'string') item.failure = fields.failure;
        else delete item.failure;
        return true;
      }
      case 'label':
        if (typeof fields.conversation !== 'string' || typeof fields.name !== 'string') return false;
        this.labels.set(fields.conversation, fields.name);
        return true;
      case 'read':
        if (typeof fields.conversation !== 'string') return false;
        this.unread.delete(fields.conversation);
        return true;
      case 'read-all':
        this.unread.clear();
        return true;
      case 'unread': {
        if (typeof fields.counts !== 'object' || fields.counts === null) return false;
        this.unread.clear();
        for (const [conversation, count] of Object.entries(fields.counts))
          if (typeof count === 'number' && Number.isSafeInteger(count) && count > 0)
            this.unread.set(conversation, count);
        return true;
      }
      default:
        return false;
    }
  }

  stored(): StoredChat {
    const stored: StoredChat = {
      version: 1,
      items: this.items,
      unread: Object.fromEntries(this.unread),
      labels: Object.fromEntries(this.labels),
    };
    if (this.dialect) stored.dialect = this.dialect;
    return stored;
  }
}
