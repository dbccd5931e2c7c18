/**
 * The chat with the current server under the current name: its history (restored when the
 * connection switches, saved as it changes), what the connection reports turned into chat
 * items, and our own messages handed to the connection. Whoever shows the chat listens to
 * its updates.
 */
import type { ConnectionEvent, FailureCode } from '../../client/connection';
import type { Dialect } from '../../client/types';
import type { Muted } from '../../protocol/classroom';
import type { Snippet } from '../../protocol/framed';
import { EVERYONE, type ChatItem, type ConversationView } from '../../protocol/panel';
import { ChatModel, type Incoming, type IncomingHint } from './chatModel';
import { clockTime } from './clockTime';
import type { ConnectionLifecycle, LifecycleEvent, Target } from './connectionLifecycle';
import { historyKey, HistoryStore } from './historyStore';
import { describeError, Listeners } from './listeners';
import type { Clock, Disposable, Log, Storage } from './services';
import type { RelaySettings } from './settings';
import type { Translate } from './translate';
import { describeFailure } from './wording';

export type ChatUpdate =
  /** The whole chat was replaced (another server or name). */
  | { type: 'snapshot' }
  /** An item was added or changed; `announce`: it just arrived from someone. */
  | { type: 'item'; item: ChatItem; announce: boolean }
  | { type: 'conversations' }
  /** The connection's state, or the words for it, changed. */
  | { type: 'connection' };

export interface ChatSessionServices {
  t: Translate;
  log: Log;
  /** Where the history is kept. */
  storage: Storage;
  clock: Clock;
  settings(): RelaySettings;
  /** Whether this client is a teacher now: its own messages carry the badge too. */
  isTeacher(): boolean;
  /** A teacher's mute of this student, while it lasts: what the relay refuses is worded with it. */
  muted(): Muted | undefined;
}

export class ChatSession implements Disposable {
  private readonly listeners: Listeners<ChatUpdate>;
  private readonly history: HistoryStore;
  private readonly subscription: Disposable;
  private model: ChatModel;
  private target: Target | undefined;
  /** The dialect of the last connection that came up, to word what it refuses. */
  private dialect: Dialect | undefined;

  constructor(private readonly lifecycle: Pick<ConnectionLifecycle, 'onEvent' | 'connection' | 'state'>, private readonly services: ChatSessionServices) {
    this.listeners = new Listeners((error) => services.log.error(describeError(error)));
    this.history = new HistoryStore(services.storage, services.clock);
    this.model = this.newModel();
    this.subscription = lifecycle.onEvent((event) => this.lifecycleEvent(event));
  }

  onUpdate(listener: (update: ChatUpdate) => void): Disposable {
    return this.listeners.add(listener);
  }

  get items(): readonly ChatItem[] {
    return this.model.history;
  }

  get totalUnread(): number {
    return this.model.totalUnread;
  }

  conversations(): ConversationView[] {
    return this.model.conversations();
  }

  find(id: string): ChatItem | undefined {
    return this.model.find(id);
  }

  labelOf(conversation: string): string {
    return this.model.labelOf(conversation);
  }

  /** The last `keep` items of each conversation, and the conversations that have more. */
  recent(keep: number): { items: ChatItem[]; older: string[] } {
    return this.model.recent(keep);
  }

  /** Items of `conversation` before the item `before`, for a panel that shows older ones. */
  older(conversation: string, before: string, count: number): { items: ChatItem[]; more: boolean } {
    return this.model.older(conversation, before, count);
  }

  /** Peers this person has talked with or seen. */
  knownPeers(): string[] {
    return this.model.knownPeers();
  }

  /** Who is online now, as far as the server tells. */
  online(): string[] {
    const state = this.lifecycle.state;
    return state.kind === 'connected' ? [...state.online] : [];
  }

  /** The conversation the person is looking at, if any: it gathers no unread count. */
  setViewing(conversation: string | undefined): void {
    this.model.setViewing(conversation);
    this.emit({ type: 'conversations' });
  }

  sendText(to: string, text: string): void {
    const connection = this.lifecycle.connection;
    if (!connection) return;
    const outgoing = connection.send(to, text);
    this.itemChanged(this.model.sent(outgoing.id, to, connection.name, { kind: 'text', text }, this.services.isTeacher()), false);
  }

  sendSnippet(to: string, snippet: Snippet): void {
    const connection = this.lifecycle.connection;
    if (!connection) return;
    const outgoing = connection.sendSnippet(to, snippet);
    this.itemChanged(this.model.sent(outgoing.id, to, connection.name, { kind: 'snippet', snippet }, this.services.isTeacher()), false);
  }

  /** To everyone, as the relay allows it (teachers only); a course server has no broadcast at all. */
  broadcast(text: string): void {
    const connection = this.lifecycle.connection;
    if (!connection) return;
    const outgoing = connection.broadcast(text);
    this.itemChanged(this.model.sent(outgoing.id, undefined, connection.name, { kind: 'text', text }, this.services.isTeacher()), false);
  }

  /** A teacher's hint with code: queued like any message, so it goes out after a reconnect too. */
  broadcastSnippet(snippet: Snippet): void {
    const connection = this.lifecycle.connection;
    if (!connection) return;
    const outgoing = connection.broadcastSnippet(snippet);
    this.itemChanged(this.model.sent(outgoing.id, undefined, connection.name, { kind: 'snippet', snippet }, this.services.isTeacher()), false);
  }

  settingsChanged(): void {
    this.model.setHistorySize(this.services.settings().historySize);
    this.emit({ type: 'conversations' });
    this.save();
  }

  dispose(): void {
    this.subscription.dispose();
    this.history.dispose();
    this.listeners.clear();
  }

  private lifecycleEvent(event: LifecycleEvent): void {
    switch (event.type) {
      case 'switching':
        this.load(event.target);
        return;
      case 'connection':
        this.connectionEvent(event.event);
        return;
      case 'changed':
        this.emit({ type: 'connection' });
        return;
      case 'abandoned':
        for (const id of event.ids) {
          const item = this.model.updateDelivery(id, 'failed', this.services.t('Not sent: you disconnected.'));
          if (item) this.itemChanged(item, false);
        }
    }
  }

  private connectionEvent(event: ConnectionEvent): void {
    switch (event.type) {
      case 'state':
        if (event.state.kind === 'connected') {
          this.dialect = event.state.dialect;
          this.model.setOnline(event.state.online);
        }
        this.emit({ type: 'connection' });
        this.emit({ type: 'conversations' });
        return;
      case 'delivery': {
        const item = this.model.find(event.id);
        const failure = event.failure ? this.describeFailure(event.failure.code, event.failure.detail, item?.conversation === EVERYONE, event.failure.reason) : undefined;
        const changed = this.model.updateDelivery(event.id, event.state, failure);
        if (changed) this.itemChanged(changed, false);
        if (failure) this.services.log.warn(this.services.t('Message not delivered: {0}', failure));
        return;
      }
      case 'incoming':
        this.incoming(event.event);
    }
  }

  /** `reason`: the relay's code for a refusal, when it gave one. */
  private describeFailure(code: FailureCode, detail: string, broadcast: boolean, reason?: string): string {
    const { t, clock } = this.services;
    const muted = code === 'rejected' ? this.services.muted() : undefined;
    if (muted) {
      return muted.until === undefined
        ? t('Not sent: your teacher muted you until they unmute you.')
        : t('Not sent: your teacher muted you until {0}.', clockTime(muted.until, clock.now()));
    }
    // A mute this client did not hear of (yet): the relay's words name the time in UTC.
    if (reason === 'muted') return t('Not sent: your teacher muted you.');
    if (broadcast && code === 'not-supported') {
      return this.dialect === 'relay' ? t('Only teachers can send hints to everyone.') : t('This server cannot send to everyone.');
    }
    return describeFailure(code, detail, t);
  }

  private incoming(event: Extract<ConnectionEvent, { type: 'incoming' }>['event']): void {
    const { t, log, clock } = this.services;
    if (event.type === 'presence') {
      for (const name of event.joined) log.info(t('{0} is online', name));
      for (const name of event.left) log.info(t('{0} went offline', name));
      return; // the state event that accompanies it carries the new online list
    }
    // The classroom's own events are the classroom's (classroom.ts).
    if (event.type === 'hints-cleared' || event.type === 'self' || event.type === 'roster') return;
    const teacher = event.type !== 'notice' && event.teacher === true ? { teacher: true } : {};
    let incoming: Incoming;
    switch (event.type) {
      case 'message':
        incoming = { kind: 'message', from: event.from, text: event.text, at: event.at, ...teacher };
        break;
      case 'snippet':
        incoming = { kind: 'snippet', from: event.from, snippet: event.snippet, at: event.at, ...teacher };
        break;
      case 'broadcast': {
        const hint: IncomingHint = { kind: 'hint', from: event.from, text: event.text, at: event.at, ...teacher };
        if (event.snippet) hint.snippet = event.snippet;
        if (event.earlier) {
          // The relay hands the lesson's hints to every newcomer, again after each reconnect and reload.
          if (this.model.knows(hint, this.lifecycle.connection?.name ?? '')) return;
          hint.earlier = true;
        }
        incoming = hint;
        break;
      }
      case 'notice':
        log.info(t('Server says: {0}', event.text));
        incoming = { kind: 'notice', text: event.text, at: clock.now().toISOString() };
    }
    // Hints from before this person joined are pinned in the panel, not announced one by one.
    this.itemChanged(this.model.receive(incoming), !(incoming.kind === 'hint' && incoming.earlier));
  }

  private load(target: Target): void {
    const { t, log } = this.services;
    this.history.flush();
    this.target = target;
    this.dialect = undefined;
    this.model = this.newModel();
    const { dropped } = this.model.restore(this.history.load(historyKey(target.server, target.name)), t('Not sent: VS Code was closed before it went out.'));
    if (dropped > 0) log.warn(t('{0} damaged history entries were skipped.', dropped));
    this.emit({ type: 'snapshot' });
  }

  private newModel(): ChatModel {
    return new ChatModel(this.services.settings().historySize, this.services.t('Everyone / hints'));
  }

  private itemChanged(item: ChatItem, announce: boolean): void {
    this.emit({ type: 'item', item, announce });
    this.emit({ type: 'conversations' });
    this.save();
  }

  private save(): void {
    if (!this.target) return;
    const model = this.model;
    this.history.schedule(historyKey(this.target.server, this.target.name), () => model.toJSON());
  }

  private emit(update: ChatUpdate): void {
    this.listeners.emit(update);
  }
}
