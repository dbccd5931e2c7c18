/** What arrives for the chat, as the chat session hands it to the chat model, and what it holds. */
import type { Snippet } from '../../protocol/frames';
import type { ChatItem } from '../../protocol/panel';

/** `teacher`: the relay marks what a teacher sent; `earlier`: a hint sent before this person joined. */
export type Incoming =
  | { kind: 'message'; from: string; text: string; at: string; teacher?: boolean }
  | { kind: 'snippet'; from: string; snippet: Snippet; at: string; teacher?: boolean }
  | { kind: 'hint'; from: string; text: string; snippet?: Snippet; at: string; teacher?: boolean; earlier?: boolean }
  | { kind: 'notice'; text: string; at: string };

export type IncomingHint = Extract<Incoming, { kind: 'hint' }>;

export function contentOf(incoming: Incoming): ChatItem['content'] {
  if (incoming.kind === 'snippet') return { kind: 'snippet', snippet: incoming.snippet };
  if (incoming.kind === 'hint' && incoming.snippet) return { kind: 'snippet', snippet: incoming.snippet };
  return { kind: 'text', text: incoming.text };
}

/** The same for the same text, or the same code in the same language. */
export function contentKey(content: ChatItem['content']): string {
  return content.kind === 'text'
    ? `text\n${content.text}`
    : `snippet\n${content.snippet.language}\n${content.snippet.code}`;
}
