/**
 * The chat as its history keeps it: the whole of it (StoredChat: what a history file is written
 * anew from, and what reading one gives back) and one change to it (HistoryRecord: one line of
 * the file). What is read back may be damaged or from an older version: the checks here say
 * what can be used.
 */
import type { Dialect } from '../../../client/types';
import type { Snippet } from '../../../protocol/frames';
import type { ChatItem, DeliveryView } from '../../../protocol/panel';

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

const DELIVERIES: readonly string[] = ['pending', 'delivered', 'kept', 'sent', 'failed'] satisfies DeliveryView[];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A stored dialect, if it is one. */
export function storedDialect(value: unknown): Dialect | undefined {
  return value === 'relay' || value === 'course' || value === 'course-lan' ? value : undefined;
}

export function isDelivery(value: unknown): value is DeliveryView {
  return typeof value === 'string' && DELIVERIES.includes(value);
}

function isContent(value: unknown): value is ChatItem['content'] {
  if (!isRecord(value)) return false;
  if (value.kind === 'text') return typeof value.text === 'string';
  if (value.kind !== 'snippet' || !isRecord(value.snippet)) return false;
  const snippet: Partial<Record<keyof Snippet, unknown>> = value.snippet;
  return typeof snippet.code === 'string' && typeof snippet.language === 'string';
}

export function isChatItem(value: unknown): value is ChatItem {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.conversation === 'string' &&
    (value.direction === 'in' || value.direction === 'out') &&
    typeof value.from === 'string' &&
    typeof value.at === 'string' &&
    isContent(value.content)
  );
}

/** A whole chat as VS Code's global state kept it before histories moved into files; its items are checked later. */
export function isStoredChat(value: unknown): value is StoredChat {
  return isRecord(value) && value.version === 1 && Array.isArray(value.items);
}
