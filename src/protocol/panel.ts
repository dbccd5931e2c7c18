/**
 * Messages between the extension host and the chat panel's webview, defined once and
 * imported by both sides.
 */
import type { Role, Standing } from './classroom';
import type { Snippet } from './frames';

/** The conversation of broadcasts: the teacher's hints and messages to everyone. */
export const EVERYONE = '*';

/** `kept`: a hint the relay took while no student was online; it keeps it for those who join. */
export type DeliveryView = 'pending' | 'delivered' | 'kept' | 'sent' | 'failed';

/**
 * How many items of one conversation the panel keeps; it asks for older ones with `loadOlder`.
 * A host may send fewer per conversation in a snapshot and list those conversations in `older`.
 */
export const PANEL_KEEP = 100;

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
  /** Sent by a teacher: set by the relay, never by the sender. */
  teacher?: boolean;
  /** A hint sent before this person joined, delivered on joining with its original time. */
  earlier?: boolean;
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
  | { kind: 'connected'; name: string; server: string; dialect: string; role?: Role }
  | { kind: 'reconnecting'; retryInSeconds: number; reason: string }
  | { kind: 'failed'; reason: string };

export interface ChatSnapshot {
  connection: ConnectionView;
  conversations: ConversationView[];
  items: ChatItem[];
  /** The largest text the composer may send, in UTF-8 bytes. */
  maxTextBytes: number;
  standing?: Standing;
  /** Conversations whose older items this snapshot leaves out (the panel offers "show older"). */
  older?: string[];
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
  kept: string;
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
  teacher: string;
  hints: string; // {0} count
  collapseHints: string;
  expandHints: string;
  dismissHint: string;
  earlier: string; // {0} time
  hintsReadOnly: string; // {0} recipient
  emptyHints: string;
  chooseRecipient: string;
  guide: string; // {0} keyboard shortcut
  raiseHand: string;
  lowerHand: string;
  handQuestion: string;
  questionTooLong: string; // {0} bytes, {1} limit
  cancel: string;
  handUp: string; // {0} time
  handUpQuestion: string; // {0} time, {1} question
  mutedUntil: string; // {0} time
  muted: string;
  reconnectNow: string;
  presenceUnknown: string;
  showOlder: string;
  newBelow: string;
  hiddenCharacters: string; // {0} count
  hiddenCharacter: string; // {0} name, {1} line
  showAll: string;
  showAllLines: string; // {0} lines
  showLess: string;
  filterConversations: string;
  unreadOnly: string;
  noConversations: string;
}

export type HostToPanel =
  /** `locale`: VS Code's display language, in which the panel writes times (lineTime.ts). */
  | { type: 'init'; strings: PanelStrings; snapshot: ChatSnapshot; locale?: string }
  | { type: 'snapshot'; snapshot: ChatSnapshot }
  | { type: 'item'; item: ChatItem; announce: boolean }
  | { type: 'conversations'; conversations: ConversationView[] }
  | { type: 'connection'; connection: ConnectionView; maxTextBytes: number }
  /**
   * Show `conversation`; the composer takes the keyboard unless `keyboard` is false (the person
   * stays in the editor).
   */
  | { type: 'focus'; conversation: string; keyboard?: boolean }
  | ({ type: 'standing' } & Standing)
  /** A teacher cleared the hints of the lesson: the pinned hints go. */
  | { type: 'hintsCleared' }
  /** The answer to `loadOlder`: items just before `before`, oldest first; `more` if even older ones exist. */
  | { type: 'older'; conversation: string; before: string; items: ChatItem[]; more: boolean };

export type PanelToHost =
  | { type: 'ready' }
  | { type: 'send'; conversation: string; text: string }
  | { type: 'select'; conversation: string }
  | { type: 'snippet'; action: 'insert' | 'open' | 'copy'; itemId: string }
  | { type: 'connect' }
  | { type: 'newConversation' }
  | { type: 'reconnectNow' }
  | { type: 'raiseHand'; up: boolean; question?: string }
  /** Up to `count` items of `conversation` older than the item `before`. */
  | { type: 'loadOlder'; conversation: string; before: string; count: number };

/** Fills {0}, {1}, … in a translated string. */
export function format(template: string, ...values: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) =>
    values[Number(index)] === undefined ? match : String(values[Number(index)]),
  );
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/** How long what the webview posts may be, in UTF-16 units: generous, only to bound what the host takes. */
const POSTED = { conversation: 1024, text: 1 << 20, itemId: 256, question: 4096, count: 1000 } as const;

/**
 * A message from the webview, checked at runtime: the webview shows text from the network, so
 * the host trusts nothing it posts. Returns a fresh object with only the known fields, or
 * undefined for anything malformed.
 */
export function parsePanelMessage(value: unknown): PanelToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'connect':
    case 'newConversation':
    case 'reconnectNow':
      return { type: message.type };
    case 'send':
      return isText(message.conversation, POSTED.conversation) && isText(message.text, POSTED.text)
        ? { type: 'send', conversation: message.conversation, text: message.text }
        : undefined;
    case 'select':
      return isText(message.conversation, POSTED.conversation)
        ? { type: 'select', conversation: message.conversation }
        : undefined;
    case 'snippet':
      return (message.action === 'insert' || message.action === 'open' || message.action === 'copy') &&
        isText(message.itemId, POSTED.itemId)
        ? { type: 'snippet', action: message.action, itemId: message.itemId }
        : undefined;
    case 'raiseHand':
      if (typeof message.up !== 'boolean') return undefined;
      if (message.question === undefined) return { type: 'raiseHand', up: message.up };
      return isText(message.question, POSTED.question)
        ? { type: 'raiseHand', up: message.up, question: message.question }
        : undefined;
    case 'loadOlder':
      return isText(message.conversation, POSTED.conversation) &&
        isText(message.before, POSTED.itemId) &&
        Number.isSafeInteger(message.count) &&
        (message.count as number) > 0 &&
        (message.count as number) <= POSTED.count
        ? {
            type: 'loadOlder',
            conversation: message.conversation,
            before: message.before,
            count: message.count as number,
          }
        : undefined;
    default:
      return undefined;
  }
}
