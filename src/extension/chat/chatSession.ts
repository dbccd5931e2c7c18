/**
 * The chat with the current server under the current name: its history (restored when the
 * connection switches, saved as it changes), what the connection reports turned into chat
 * items, and our own messages handed to the connection. Whoever shows the chat listens to
 * its updates.
 */
import type { ConnectionEvent, DeliveryFailure, Outgoing } from '../../client/connectionTypes';
import type { RelayConnection } from '../../client/connection';
import { Emitter } from '../../client/events';
import { reportTo } from '../errorText';
import type { Dialect } from '../../client/types';
import type { Muted } from '../../protocol/classroom';
import { DEFAULT_LIMITS, type Limits, type Snippet } from '../../protocol/frames';
import { EVERYONE, type ChatItem, type ConversationView } from '../../protocol/panel';
import { ChatModel } from './chatModel';
import type { ConnectionLifecycle, LifecycleEvent } from '../connection/connectionLifecycle';
import { sameTarget, type Target } from '../connection/connectTarget';
import { HistoryStore } from './history/historyStore';
import type { Incoming, IncomingHint } from './incoming';
import type { Clock, Disposable, HistoryFiles, Log, Storage } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';
import { describeNotice } from '../connection/connectionWording';
import { describeDeliveryFailure } from './deliveryWording';

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
  /** The folder the history files are in. */
  historyFiles: HistoryFiles;
  /** VS Code's global state, where the history was kept before it moved into files. */
  storage: Storage;
  clock: Clock;
  settings(): RelaySettings;
  /** Whether this client is a teacher now: its own messages carry the badge too. */
  isTeacher(): boolean;
  /** A teacher's mute of this student, while it lasts: what the relay refuses is worded with it. */
  muted(): Muted | undefined;
}

export class ChatSession implements Disposable {
  private readonly updates: Emitter<ChatUpdate>;
  private readonly history: HistoryStore;
  private readonly subscription: Disposable;
  private model: ChatModel;
  /** The dialect of the last connection to this server and name that came up, to word what it refuses. */
  private connectedDialect: Dialect | undefined;
  /** What the relay's welcome allowed, kept while reconnecting. */
  private announced: Limits | undefined;
  /** The dialect the history file names. */
  private storedDialect: Dialect | undefined;
  private historySize: number;
  /** The server and name whose history is shown. */
  private loaded: Target | undefined;

  constructor(
    private readonly lifecycle: Pick<
      ConnectionLifecycle,
      'onEvent' | 'connection' | 'state' | 'session' | 'lastTarget'
    >,
    private readonly services: ChatSessionServices,
  ) {
    this.updates = new Emitter({ report: reportTo(services.log) });
    this.historySize = services.settings().historySize;
    this.history = new HistoryStore({
      files: services.historyFiles,
      storage: services.storage,
      clock: services.clock,
      log: services.log,
      t: services.t,
    });
    this.model = this.newModel();
    // The last chat is there before any connect: while connecting, and while offline.
    const last = lifecycle.lastTarget();
    if (last) this.load(last);
    this.subscription = lifecycle.onEvent((event) => this.lifecycleEvent(event));
  }

  onUpdate(listener: (update: ChatUpdate) => void): Disposable {
    return this.updates.on(listener);
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

  /** The conversation of a peer named `name`, as the server tells names apart. */
  conversationOf(name: string): string {
    return this.model.conversationOf(name);
  }

  /** The conversation in use for `conversation`, which may name it as another server would (see ChatModel.resolve). */
  resolveConversation(conversation: string): string {
    return this.model.resolve(conversation);
  }

  /** The conversation with a person named by the roster or the inbox, labelled as their name is written. */
  conversationNamed(name: string): string {
    const conversation = this.model.named(name);
    this.emit({ type: 'conversations' });
    return conversation;
  }

  /**
   * The server's dialect: the one its connection came up with, else the one it had last time,
   * else the one the settings name; undefined when only connecting will tell.
   */
  get dialect(): Dialect | undefined {
    const setting = this.services.settings().dialect;
    return this.connectedDialect ?? this.model.dialect ?? (setting === 'auto' ? undefined : setting);
  }

  /**
   * What the server accepts: as the relay's welcome announced it (kept while reconnecting), else
   * the protocol's defaults.
   */
  limits(): Limits {
    return this.lifecycle.session()?.limits ?? this.announced ?? DEFAULT_LIMITS;
  }

  /** Every conversation counts as read (the person cleared the unread counts). */
  markAllRead(): void {
    if (this.model.markAllRead()) this.emit({ type: 'conversations' });
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

  sendText(to: string, text: string): ChatItem | undefined {
    return this.sent(to, { kind: 'text', text }, (connection) => connection.send(to, text));
  }

  sendSnippet(to: string, snippet: Snippet): ChatItem | undefined {
    return this.sent(to, { kind: 'snippet', snippet }, (connection) => connection.sendSnippet(to, snippet));
  }

  /** To everyone, as the relay allows it (teachers only); a course server has no broadcast at all. */
  broadcast(text: string): ChatItem | undefined {
    return this.sent(undefined, { kind: 'text', text }, (connection) => connection.broadcast(text));
  }

  /** A teacher's hint with code: queued like any message, so it goes out after a reconnect too. */
  broadcastSnippet(snippet: Snippet): ChatItem | undefined {
    return this.sent(undefined, { kind: 'snippet', snippet }, (connection) => connection.broadcastSnippet(snippet));
  }

  /**
   * Hands `content` to the connection (`to` undefined: everyone) and keeps it in the chat as
   * sent; nothing without a connection.
   */
  private sent(
    to: string | undefined,
    content: ChatItem['content'],
    send: (connection: RelayConnection) => Outgoing,
  ): ChatItem | undefined {
    const connection = this.lifecycle.connection;
    if (!connection) return undefined;
    const outgoing = send(connection);
    const item = this.model.sent(outgoing.id, to, connection.name, content, this.services.isTeacher());
    this.itemChanged(item, false);
    return item;
  }

  settingsChanged(): void {
    const { historySize } = this.services.settings();
    if (historySize === this.historySize) return;
    this.historySize = historySize;
    this.model.setHistorySize(historySize);
    // The file is written anew within the new bounds, instead of growing past them until its next rewrite.
    this.history.rewriteSoon();
    this.emit({ type: 'conversations' });
  }

  dispose(): void {
    this.subscription.dispose();
    this.history.dispose();
    this.updates.clear();
  }

  private lifecycleEvent(event: LifecycleEvent): void {
    switch (event.type) {
      case 'switching':
        if (this.loaded && sameTarget(this.loaded, event.target)) this.reconnecting();
        else this.load(event.target);
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
          this.connectedDialect = event.state.dialect;
          this.announced = this.lifecycle.session()?.limits ?? this.announced;
          const rekeyed = this.model.setDialect(event.state.dialect);
          // The file's first line says how the server tells names apart; conversations told apart anew are
          // written anew.
          if (rekeyed || this.storedDialect !== event.state.dialect) this.history.rewriteSoon();
          this.storedDialect = event.state.dialect;
          if (rekeyed) this.emit({ type: 'snapshot' });
          this.model.setOnline(event.state.online);
        }
        this.emit({ type: 'connection' });
        this.emit({ type: 'conversations' });
        return;
      case 'delivery': {
        const item = this.model.find(event.id);
        const failure = event.failure ? this.describeFailure(event.failure, item) : undefined;
        // A hint the relay took while nobody was there to get it is kept for those who join: not "delivered".
        const kept = event.state === 'delivered' && event.recipients === 0 && item?.conversation === EVERYONE;
        const changed = this.model.updateDelivery(event.id, kept ? 'kept' : event.state, failure);
        if (changed) this.itemChanged(changed, false);
        if (failure) this.services.log.warn(this.services.t('Message not delivered: {0}', failure));
        return;
      }
      case 'incoming':
        this.incoming(event.event);
    }
  }

  /** Why `item` failed, in the person's words: the relay gives a code (`reason`), never the words. */
  private describeFailure(failure: DeliveryFailure, item: ChatItem | undefined): string {
    const broadcast = item?.conversation === EVERYONE;
    const context = {
      broadcast,
      to: item && !broadcast ? this.model.labelOf(item.conversation) : undefined,
      muted: failure.code === 'rejected' ? this.services.muted() : undefined,
      dialect: this.dialect,
      now: this.services.clock.now(),
    };
    return describeDeliveryFailure(failure, context, this.services.t);
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
        // A line of the server's is shown as it came; what the client noticed itself is worded here.
        if (event.code === undefined) log.info(t('Server says: {0}', event.text));
        else log.warn(event.text);
        incoming = {
          kind: 'notice',
          text: event.code === undefined ? event.text : describeNotice(event.code, t),
          at: clock.now().toISOString(),
        };
    }
    // Hints from before this person joined are pinned in the panel, not announced one by one.
    this.itemChanged(this.model.receive(incoming), !(incoming.kind === 'hint' && incoming.earlier));
  }

  /** The chat shown is that of the target connecting: only what the last connection said goes. */
  private reconnecting(): void {
    this.connectedDialect = undefined;
    this.announced = undefined;
    this.emit({ type: 'connection' });
  }

  private load(target: Target): void {
    const { t, log } = this.services;
    this.loaded = target;
    this.connectedDialect = undefined;
    this.announced = undefined;
    const model = this.newModel();
    const stored = this.history.open(target.server, target.name, () => model.toJSON());
    const { dropped } = model.restore(stored, t('Not sent: VS Code was closed before it went out.'));
    this.storedDialect = model.dialect;
    if (dropped > 0) log.warn(t('{0} damaged history entries were skipped.', dropped));
    const setting = this.services.settings().dialect;
    // Until the server says, names are told apart as it did last time, or as the settings say it will.
    if (model.dialect === undefined && setting !== 'auto') model.setDialect(setting);
    model.journal = (record) => this.history.record(record);
    this.model = model;
    this.emit({ type: 'snapshot' });
  }

  private newModel(): ChatModel {
    return new ChatModel(this.historySize, this.services.t('Everyone / hints'));
  }

  private itemChanged(item: ChatItem, announce: boolean): void {
    this.emit({ type: 'item', item, announce });
    this.emit({ type: 'conversations' });
  }

  private emit(update: ChatUpdate): void {
    this.updates.fire(update);
  }
}
