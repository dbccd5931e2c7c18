/**
 * Tells the person about what arrived while the chat is out of sight, as the
 * relay.notifications setting allows. A flood does not become a flood of notifications: the
 * first message of a quiet conversation is shown at once, what follows within
 * PER_CONVERSATION_MS is gathered into one ("5 new messages from Alice"), and all conversations
 * together show at most MAX_PER_WINDOW notifications per WINDOW_MS; beyond that, what waits is
 * summed up in one.
 */
import { EVERYONE, type ChatItem } from '../../protocol/panel';
import type { ChatUpdate } from './chatSession';
import type { Clock, Disposable, Notices } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';

const PREVIEW_CHARS = 200;
/** Conversations waiting to be announced, each with its count; what comes from further ones is only counted. */
const MAX_WAITING = 100;

export interface NotifierPace {
  /** One conversation shows at most one notification this often. */
  perConversationMs: number;
  /** All conversations together show at most `maxPerWindow` notifications in `windowMs`. */
  windowMs: number;
  maxPerWindow: number;
}

export const NOTIFIER_PACE: NotifierPace = { perConversationMs: 5000, windowMs: 30_000, maxPerWindow: 4 };

export interface NotifierServices {
  t: Translate;
  notices: Pick<Notices, 'info'>;
  clock: Clock;
  settings(): RelaySettings;
  /** Whether the person sees the chat now: then nothing needs announcing. */
  chatVisible(): boolean;
  /** Shows the chat, on `conversation` if given. */
  openChat(conversation?: string): void;
}

/** What arrived in one conversation since its last notification. */
interface Batch {
  conversation: string;
  count: number;
  last: ChatItem;
  /** Who sent it (one peer, or the teachers who sent hints). */
  senders: Set<string>;
}

export class Notifier implements Disposable {
  private readonly batches = new Map<string, Batch>();
  /** When each conversation last showed a notification, in ms. */
  private readonly lastShown = new Map<string, number>();
  /** When the recent notifications were shown, oldest first. */
  private shownAt: number[] = [];
  /** Messages from conversations beyond MAX_WAITING, for the next summary. */
  private uncounted = 0;
  private timer: Disposable | undefined;

  constructor(
    private readonly services: NotifierServices,
    private readonly pace: NotifierPace = NOTIFIER_PACE,
  ) {}

  /** Feed it the chat session's updates. */
  update(update: ChatUpdate): void {
    if (update.type === 'item' && update.announce && this.wanted(update.item)) {
      const { item } = update;
      const batch = this.batches.get(item.conversation);
      if (batch) {
        batch.count++;
        batch.last = item;
        batch.senders.add(item.from);
      } else if (this.batches.size < MAX_WAITING) {
        this.batches.set(item.conversation, {
          conversation: item.conversation,
          count: 1,
          last: item,
          senders: new Set([item.from]),
        });
      } else {
        this.uncounted++;
      }
      this.pump();
    }
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.batches.clear();
  }

  private wanted(item: ChatItem): boolean {
    return !item.notice && !this.services.chatVisible() && this.allowed(item.conversation);
  }

  /** Whether relay.notifications lets `conversation` be announced (undefined: any that is not the hints). */
  private allowed(conversation: string | undefined): boolean {
    const level = this.services.settings().notifications;
    return level === 'all' || (level === 'hints' && conversation === EVERYONE);
  }

  /** Shows what may be shown now, and comes back when the rest may. */
  private pump(): void {
    this.timer?.dispose();
    this.timer = undefined;
    if (this.services.chatVisible()) {
      // The person is looking at the chat: what waited is in front of them.
      this.batches.clear();
      this.uncounted = 0;
      return;
    }
    // The setting may have changed while they waited.
    for (const batch of [...this.batches.values()])
      if (!this.allowed(batch.conversation)) this.batches.delete(batch.conversation);
    if (!this.allowed(undefined)) this.uncounted = 0;
    const now = this.services.clock.now().getTime();
    this.shownAt = this.shownAt.filter((at) => at > now - this.pace.windowMs);
    const due = [...this.batches.values()].filter(
      (batch) => (this.lastShown.get(batch.conversation) ?? -Infinity) <= now - this.pace.perConversationMs,
    );
    for (const [index, batch] of due.entries()) {
      const left = this.pace.maxPerWindow - this.shownAt.length;
      if (left <= 0) break;
      if (left === 1 && (index < due.length - 1 || this.uncounted > 0)) {
        // The last one this window may show: everything that is due, summed up.
        this.showAll(due.slice(index), now);
        break;
      }
      this.show(batch, now);
    }
    if (this.uncounted > 0 && this.batches.size === 0 && this.shownAt.length < this.pace.maxPerWindow)
      this.showAll([], now);
    this.forgetQuietConversations(now);
    if (this.batches.size === 0 && this.uncounted === 0) return;
    const windowFrees = this.shownAt.length >= this.pace.maxPerWindow ? this.shownAt[0]! + this.pace.windowMs : now;
    const conversationFrees =
      this.batches.size === 0
        ? now
        : Math.min(
            ...[...this.batches.values()].map(
              (batch) => (this.lastShown.get(batch.conversation) ?? -Infinity) + this.pace.perConversationMs,
            ),
          );
    const next = Math.max(windowFrees, conversationFrees, now + 1);
    this.timer = this.services.clock.after(next - now, () => {
      this.timer = undefined;
      this.pump();
    });
  }

  private showAll(batches: Batch[], now: number): void {
    const { t } = this.services;
    for (const batch of batches) this.shown(batch, now);
    this.shownAt.push(now);
    const count = batches.reduce((sum, batch) => sum + batch.count, this.uncounted);
    const senders = new Set(batches.flatMap((batch) => [...batch.senders]));
    const hintsOnly = this.uncounted === 0 && batches.every((batch) => batch.conversation === EVERYONE);
    const text = hintsOnly
      ? t('{0} new hints', count)
      : this.uncounted > 0
        ? t('{0} new messages', count)
        : t('{0} new messages from {1} people', count, senders.size);
    this.uncounted = 0;
    this.offer(text, undefined);
  }

  private show(batch: Batch, now: number): void {
    const { t } = this.services;
    this.shown(batch, now);
    this.shownAt.push(now);
    const { count, last, senders, conversation } = batch;
    if (count === 1) {
      this.offer(this.preview(last), conversation);
      return;
    }
    const sender = this.sender(last);
    if (conversation === EVERYONE)
      this.offer(
        senders.size === 1 ? t('{0} new hints from {1}', count, sender) : t('{0} new hints', count),
        conversation,
      );
    else this.offer(t('{0} new messages from {1}', count, sender), conversation);
  }

  /** `batch` is announced (alone or with others): it waits no longer, and its conversation keeps its pace. */
  private shown(batch: Batch, now: number): void {
    this.batches.delete(batch.conversation);
    this.lastShown.set(batch.conversation, now);
  }

  private sender(item: ChatItem): string {
    const { t } = this.services;
    // The relay sets `teacher`; a name alone proves nothing.
    return item.teacher ? t('{0} ({1})', item.from, t('Teacher')) : item.from;
  }

  private preview(item: ChatItem): string {
    const { t } = this.services;
    const preview = (
      item.content.kind === 'text' ? item.content.text : t('{0} code', item.content.snippet.language)
    ).slice(0, PREVIEW_CHARS);
    // Only the relay marks a teacher: a broadcast without its mark (an older relay) is no hint the class can trust.
    if (item.conversation === EVERYONE)
      return item.teacher
        ? t('Hint from {0} (teacher): {1}', item.from, preview)
        : t('Message to everyone from {0}: {1}', item.from, preview);
    return item.teacher ? t('{0} (teacher): {1}', item.from, preview) : t('{0}: {1}', item.from, preview);
  }

  private offer(text: string, conversation: string | undefined): void {
    const open = this.services.t('Open Chat');
    void this.services.notices.info(text, open).then((choice) => {
      if (choice === open) this.services.openChat(conversation);
    });
  }

  /**
   * Conversations quiet for longer than their pace need not be remembered: the map stays as
   * small as the recent senders.
   */
  private forgetQuietConversations(now: number): void {
    for (const [conversation, at] of this.lastShown)
      if (at <= now - this.pace.perConversationMs && !this.batches.has(conversation))
        this.lastShown.delete(conversation);
  }
}
