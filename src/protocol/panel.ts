/**
 * Messages between the extension host and the chat panel's webview, defined once and
 * imported by both sides.
 */
import type { Snippet } from './framed';

/** The conversation of broadcasts: the teacher's hints and messages to everyone. */
export const EVERYONE = '*';

export type DeliveryView = 'pending' | 'delivered' | 'sent' | 'failed';

export interface ChatItem {
  /** Unique within the history: the message id for our own messages. */
  id: string;
  /** The peer's name, or EVERYONE. */
  conversation: string;
  direction: 'in' | 'out';
  from: string;
  at: string;
  content: { kind: 'text'; text: string } | { kind: 'snippet'; snippet: Snippet };
  /** How our own message fared. */
  delivery?: DeliveryView;
  /** Why it failed, in the person's language. */
  failure?: string;
  /** A line from the server itself rather than a person. */
  notice?: boolean;
}

export interface ConversationView {
  id: string;
  /** What the list shows: the peer's name, or "Everyone" in the person's language. */
  label: string;
  online: boolean;
  unread: number;
}

export type ConnectionView =
  | { kind: 'disconnected' }
  | { kind: 'connecting' }
  | { kind: 'connected'; name: string; server: string; dialect: string }
  | { kind: 'reconnecting'; retryInSeconds: number; reason: string }
  | { kind: 'failed'; reason: string };

export interface ChatSnapshot {
  connection: ConnectionView;
  conversations: ConversationView[];
  items: ChatItem[];
  /** The largest text the composer may send, in UTF-8 bytes. */
  maxTextBytes: number;
}

/** Every text the panel shows, translated by the host (vscode.l10n). */
export interface PanelStrings {
  title: string;
  conversations: string;
  everyone: string;
  messages: string;
  to: string;
  send: string;
  composerPlaceholder: string;
  composerHint: string;
  tooLong: string; // {0} bytes, {1} limit
  empty: string;
  pending: string;
  delivered: string;
  sent: string;
  failed: string;
  online: string;
  offline: string;
  unread: string; // {0}
  insert: string;
  open: string;
  copy: string;
  you: string;
  newMessageFrom: string; // {0} sender, {1} text
  snippetFrom: string; // {0} language, {1} where
  connectionDisconnected: string;
  connectionConnecting: string;
  connectionConnected: string; // {0} name, {1} server, {2} dialect
  connectionReconnecting: string; // {0} seconds, {1} reason
  connectionFailed: string; // {0} reason
  connect: string;
  newConversation: string;
  lines: string; // {0} start, {1} end
}

export type HostToPanel =
  | { type: 'init'; strings: PanelStrings; snapshot: ChatSnapshot }
  | { type: 'snapshot'; snapshot: ChatSnapshot }
  | { type: 'item'; item: ChatItem; announce: boolean }
  | { type: 'conversations'; conversations: ConversationView[] }
  | { type: 'connection'; connection: ConnectionView; maxTextBytes: number }
  | { type: 'focus'; conversation: string };

export type PanelToHost =
  | { type: 'ready' }
  | { type: 'send'; conversation: string; text: string }
  | { type: 'select'; conversation: string }
  | { type: 'snippet'; action: 'insert' | 'open' | 'copy'; itemId: string }
  | { type: 'connect' }
  | { type: 'newConversation' };

/** Fills {0}, {1}, … in a translated string. */
export function format(template: string, ...values: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => (values[Number(index)] === undefined ? match : String(values[Number(index)])));
}
