/**
 * Which conversations the list shows for what the person typed into its filter and whether
 * they asked for unread ones only. The host's order (everyone's hints first, then the most
 * recent activity) is kept.
 */
import type { ConversationView } from '../protocol/panel';

export interface ConversationFilter {
  /** What the person typed: matched anywhere in a name, whatever its case and accents. */
  query: string;
  unreadOnly: boolean;
}

/** A name or query as the filter compares them: no case, no accents ("Zoë" is "zoe", "Müller" "muller"). */
export function foldForFilter(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The conversations that pass the filter, in the order given. With unread only, the one in
 * view stays too: reading it clears its count, and it must not vanish under the reader.
 */
export function filterConversations(
  conversations: readonly ConversationView[],
  filter: ConversationFilter,
  selected: string,
): ConversationView[] {
  const query = foldForFilter(filter.query);
  return conversations.filter(
    (conversation) =>
      (query === '' || foldForFilter(conversation.label).includes(query)) &&
      (!filter.unreadOnly || conversation.unread > 0 || conversation.id === selected),
  );
}

/** How many messages are unread in all the conversations. */
export function totalUnread(conversations: readonly ConversationView[]): number {
  return conversations.reduce((sum, conversation) => sum + conversation.unread, 0);
}
