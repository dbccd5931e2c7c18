/**
 * The connection to the relay over its life: which server and name (connectTarget.ts), connecting and what to offer
 * when that fails (connectFailure.ts), the reconnects the connection makes by itself, disconnecting and changing the
 * name. It asks and tells the person through the services it is given, and reports to its listeners; what the chat
 * makes of the connection is the chat session's job.
 */
import type { ConnectionEvent, ConnectionState } from '../../client/connectionTypes';
import type { ConnectionOptions, RelayConnection } from '../../client/connection';
import { Emitter } from '../../client/events';
import { RelayError, type RelaySession } from '../../client/types';
import { formatServerAddress, relayKey, type ServerAddress } from '../../protocol/address';
import { errorDetail } from '../../protocol/errorText';
import type { ConnectionView } from '../../protocol/panel';
import { reportTo } from '../errorText';
import type { Clock, Disposable, Log, Notices, Prompts, Storage } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';
import { isClassGone, offerAfterConnect, offerAfterDrop, type FailureServices } from './connectFailure';
import { chooseTarget, LAST_NAME, rememberTarget, sameTarget, type ConnectOptions, type Target } from './connectTarget';
import { DialectMemory } from './dialectMemory';
import { registerBeside } from './nameProbe';
import { renamedWhileDisconnected } from './nameWording';
import { newConnection, type Presented } from './newConnection';
import { ResumeTokens } from './resumeTokens';
import type { TrustGate } from './trust';
import { connectionView, describeConnectError, describeWaiting } from './connectionWording';
import { WindowSession } from './windowSession';

/** While the chat is in view, no wait before a reconnect attempt is longer: someone is waiting for it. */
export const WATCHED_RETRY_MS = 5000;

export type LifecycleEvent =
  /**
   * A connection to `target` is about to start; any earlier one has been stopped. `show`: the person asked, so show the
   * chat.
   */
  | { type: 'switching'; target: Target; show: boolean }
  /** What the current connection reports. */
  | { type: 'connection'; event: ConnectionEvent }
  /** The connection's state or the words for its failure changed without a connection event. */
  | { type: 'changed' }
  /**
   * The person ended the connection (disconnect, new name, another server) while these messages were still on their way
   * out.
   */
  | { type: 'abandoned'; ids: readonly string[] };

export interface LifecycleServices {
  t: Translate;
  prompts: Pick<Prompts, 'server' | 'name'>;
  notices: Notices;
  /**
   * Recent servers and the last name, each registration's resume token, what each server spoke. Shared by all windows.
   */
  storage: Storage;
  /** This window's own (VS Code's workspaceState): what it reconnects to after a reload (windowSession.ts). */
  windowStorage: Storage;
  clock: Pick<Clock, 'now'>;
  trust: TrustGate;
  log: Log;
  settings(): RelaySettings;
  /** Keeps a name the person registered where they keep their name (the relay.name setting, when they set it). */
  saveName(name: string): Promise<void>;
  /** Shows the chat (when the person connects to where they are connected already). */
  showChat(): void;
  /** Options for every connection beyond where and who (timings). */
  connectionOptions?: Partial<ConnectionOptions>;
  /** The teacher key kept for a server, presented when connecting there. */
  teacherKeys: { get(server: ServerAddress): PromiseLike<string | undefined> };
  /** The relay refused the teacher key: `message` says so; the person decides what next. */
  keyRefused(message: string, target: Target): Promise<void>;
}

export class ConnectionLifecycle implements Disposable {
  private readonly events: Emitter<LifecycleEvent>;
  private current: RelayConnection | undefined;
  private currentEvents: Disposable | undefined;
  private chosen: Target | undefined;
  /** The words for the last failure to connect, shown with the failed state. */
  private lastError: string | undefined;
  /** The connection that came up: when it fails later, on a reconnect, that is worth a word too. */
  private established: RelayConnection | undefined;
  /**
   * The current connection's session with the relay, for what goes beside its outbox (hands, moderation, snippet
   * hints).
   */
  private live: RelaySession | undefined;
  private readonly tokens: ResumeTokens;
  private readonly dialects: DialectMemory;
  /** The longest wait before a reconnect attempt, for this connection and the next; undefined: the connection's own. */
  private retryCap: number | undefined;
  private readonly failures: FailureServices;
  private readonly window: WindowSession;

  constructor(private readonly services: LifecycleServices) {
    this.events = new Emitter({ report: reportTo(services.log) });
    const now = () => services.clock.now().getTime();
    this.tokens = new ResumeTokens(services.storage, now);
    this.dialects = new DialectMemory(services.storage, now);
    this.failures = { ...services, connect: (options) => this.connect(options) };
    this.window = new WindowSession(services);
  }

  onEvent(listener: (event: LifecycleEvent) => void): Disposable {
    return this.events.on(listener);
  }

  get connection(): RelayConnection | undefined {
    return this.current;
  }

  /** This window's id (windowSession.ts), beside the tokens it keeps. */
  get windowId(): string {
    return this.window.id;
  }

  get target(): Target | undefined {
    return this.chosen;
  }

  get state(): ConnectionState {
    return this.current?.state ?? { kind: 'idle' };
  }

  /** The open session of the current connection, if it is up. */
  session(): RelaySession | undefined {
    return this.live?.isOpen ? this.live : undefined;
  }

  /** Ends the wait before the next reconnect attempt ("Reconnect now"). */
  retryNow(): void {
    this.current?.retryNow();
  }

  /**
   * Caps the wait before reconnect attempts (while the chat is in view), or lifts the cap; a longer wait under way is
   * shortened.
   */
  capBackoff(maxMs: number | undefined): void {
    this.retryCap = maxMs;
    this.current?.capBackoff(maxMs);
  }

  /** The connection as the panel shows it. */
  view(): ConnectionView {
    return connectionView(
      this.state,
      this.chosen ? formatServerAddress(this.chosen.server) : '',
      this.services.t,
      this.lastError,
    );
  }

  async connect(options: ConnectOptions = {}): Promise<void> {
    const { t, log, notices } = this.services;
    const target = await chooseTarget(options, this.chosen, this.services, this.window.registered);
    if (!target) return;
    if (
      !options.again &&
      this.current &&
      this.chosen &&
      sameTarget(this.chosen, target) &&
      isLive(this.current.state)
    ) {
      this.services.showChat();
      return;
    }
    const teacherKey = await this.services.teacherKeys.get(target.server);
    // Connecting again as the same person: the registration's token takes the name over, even
    // if the relay has not yet read the old connection's goodbye, or if the old connection lives
    // on in a window nobody sees (the token kept by the last window that connected so).
    const kept = this.tokens.get(relayKey(target.server), target.name);
    const resume = (this.chosen && sameTarget(this.chosen, target) ? this.live?.resume : undefined) ?? kept;
    this.stop();
    this.chosen = target;
    const connection = this.open(target, { teacherKey, resume });
    const server = formatServerAddress(target.server);
    log.info(t('Connecting to {0} as {1} (dialect {2})', server, target.name, this.services.settings().dialect));
    this.events.fire({ type: 'switching', target, show: !options.silent });
    try {
      await notices.progress(t('Connecting to {0}…', server), () =>
        connection.start({ keepTrying: options.keepTrying }),
      );
    } catch (error) {
      if (connection !== this.current) return; // replaced meanwhile by another connect
      const relayError = error instanceof RelayError ? error : new RelayError('closed', String(error));
      const trust = await this.services.trust.settle(relayError, target.server);
      if (trust === 'retry') await this.connect({ target });
      else await this.connectFailed(relayError, target, trust === 'shown');
      return;
    }
    if (connection !== this.current) return;
    this.established = connection;
    this.lastError = undefined;
    this.window.registered = undefined;
    await this.remember(target, connection);
    const state = connection.state;
    if (state.kind === 'connected') log.info(t('Connected to {0} as {1} ({2})', server, state.name, state.dialect));
    if (state.kind === 'connected' && this.live?.role === 'teacher') log.info(t('The relay made you a teacher.'));
  }

  disconnect(): void {
    const { t } = this.services;
    if (!this.current) {
      void this.services.notices.info(t('Relay: not connected.'));
      return;
    }
    this.services.log.info(t('Disconnected by you.'));
    this.stop();
    // On purpose: this window stays disconnected after a reload too.
    if (this.chosen) this.window.keep(this.chosen, false);
    this.events.fire({ type: 'changed' });
  }

  /**
   * Asks for a new name. Disconnected, the next connect (and the reconnect after a reload) uses it; connected, the
   * server is asked for it and the old name stays when it refuses.
   */
  async registerName(): Promise<void> {
    const { t, storage } = this.services;
    const current =
      this.window.registered ?? this.chosen?.name ?? this.services.settings().name ?? storage.get<string>(LAST_NAME);
    const name = await this.services.prompts.name(current, t('Relay: Register Name'));
    if (!name) return;
    await this.services.saveName(name);
    await storage.update(LAST_NAME, name);
    const chosen = this.chosen;
    if (chosen && this.current && this.live?.isOpen && !sameTarget(chosen, { ...chosen, name })) {
      await this.changeName({ server: chosen.server, name });
      return;
    }
    if (chosen && this.current) {
      // Reconnecting, or only the case changes: the registration's token takes the name over.
      await this.connect({ target: { server: chosen.server, name }, again: true, silent: true });
      return;
    }
    this.window.register(name);
    void this.services.notices.info(renamedWhileDisconnected(name, t));
  }

  /** The connection, after offering to connect when there is none. */
  async requireConnection(): Promise<RelayConnection | undefined> {
    if (!isLive(this.state)) {
      const connect = this.services.t('Connect');
      const choice = await this.services.notices.warning(this.services.t('Relay: not connected.'), connect);
      if (choice !== connect) return undefined;
      await this.connect();
    }
    return this.current;
  }

  /**
   * On startup: a window that was connected before (a reload, a restart of VS Code) connects again as it was, asking
   * nothing; one disconnected on purpose stays so; otherwise it connects when the settings say so and name the server
   * and the name.
   */
  async autoConnect(): Promise<void> {
    const startup = this.window.startup((target) => this.tokens.holder(relayKey(target.server), target.name));
    if (startup === 'stay') return;
    if (startup) return this.connect({ target: startup, silent: true, keepTrying: true });
    const settings = this.services.settings();
    if (settings.autoConnect && settings.server && settings.name) await this.connect({ silent: true });
  }

  /** The server and name whose chat to show before any connect (WindowSession.lastTarget). */
  lastTarget(): Target | undefined {
    return this.window.lastTarget(this.chosen);
  }

  dispose(): void {
    this.currentEvents?.dispose();
    this.currentEvents = undefined;
    this.current?.dispose();
    this.current = undefined;
    this.events.clear();
  }

  private open(target: Target, presented: Presented): RelayConnection {
    const connection: RelayConnection = newConnection(
      { ...this.services, dialects: this.dialects },
      target,
      presented,
      (session) => {
        if (connection === this.current) this.live = session;
      },
    );
    this.adopt(connection);
    return connection;
  }

  /** Makes `connection` the current one and listens to it. */
  private adopt(connection: RelayConnection): void {
    this.current = connection;
    this.currentEvents = connection.onEvent((event) => this.connectionEvent(connection, event));
    if (this.retryCap !== undefined) connection.capBackoff(this.retryCap);
  }

  /**
   * Ends the current connection. What it still had to send is reported as abandoned: the connection's own word on it
   * would come after its listener is gone.
   */
  private stop(): void {
    const connection = this.current;
    if (!connection) return;
    const abandoned = connection.pending.map((message) => message.id);
    this.currentEvents?.dispose();
    this.currentEvents = undefined;
    this.current = undefined;
    this.live = undefined;
    connection.dispose();
    if (abandoned.length > 0) this.events.fire({ type: 'abandoned', ids: abandoned });
  }

  /**
   * Registers `target.name` by a connection beside the current one; the current one ends only once the new name is
   * taken (see nameProbe.ts).
   */
  private async changeName(target: Target): Promise<void> {
    const old = this.chosen;
    const before = this.current;
    const presented = {
      teacherKey: await this.services.teacherKeys.get(target.server),
      resume: this.tokens.get(relayKey(target.server), target.name),
    };
    const services = { ...this.services, dialects: this.dialects };
    const probed = await registerBeside(services, target, old?.name ?? '', presented);
    if (!probed) return;
    // Meanwhile the person disconnected or connected elsewhere, or the window closed: the new name is not wanted.
    if (this.chosen !== old || this.current !== before || !before) {
      probed.listening.dispose();
      return probed.connection.dispose();
    }
    this.stop();
    this.chosen = target;
    this.adopt(probed.connection);
    this.live = probed.session;
    this.established = probed.connection;
    this.lastError = undefined;
    this.window.registered = undefined;
    probed.listening.dispose();
    this.events.fire({ type: 'switching', target, show: false });
    for (const event of probed.early) this.connectionEvent(probed.connection, event);
    await this.remember(target, probed.connection);
  }

  private async connectFailed(error: RelayError, target: Target, alreadyShown: boolean): Promise<void> {
    const { t } = this.services;
    const message = describeConnectError(error, formatServerAddress(target.server), target.name, t);
    this.lastError = message;
    this.services.log.error(`${message} (${error.code}: ${error.message})`);
    this.events.fire({ type: 'changed' });
    if (!alreadyShown) await offerAfterConnect(this.failures, error, message, target);
  }

  private async remember(target: Target, connection: RelayConnection): Promise<void> {
    this.window.keep(target, true);
    await rememberTarget(this.services.storage, target);
    if (connection.state.kind === 'connected')
      await this.dialects.remember(relayKey(target.server), connection.state.dialect);
  }

  /** Keeps the registration's token and the last message it was handed, for the next window (see resumeTokens.ts). */
  private keepResume(target: Target): void {
    const resume = this.live?.resume;
    if (!resume) return;
    Promise.resolve(this.tokens.keep(relayKey(target.server), target.name, resume, this.window.id)).catch(
      (error: unknown) => this.services.log.warn(errorDetail(error)),
    );
  }

  private connectionEvent(connection: RelayConnection, event: ConnectionEvent): void {
    if (connection !== this.current) return;
    if (event.type === 'state' && event.state.kind === 'waiting')
      this.services.log.warn(describeWaiting(event.state, this.services.t));
    this.events.fire({ type: 'connection', event });
    if (this.chosen && (event.type === 'incoming' || (event.type === 'state' && event.state.kind === 'connected')))
      this.keepResume(this.chosen);
    if (event.type === 'state' && event.state.kind === 'failed' && connection === this.established)
      void this.failedAfterDrop(event.state.error);
  }

  /** A connection that was up failed for good (see offerAfterDrop). */
  private async failedAfterDrop(error: RelayError): Promise<void> {
    const target = this.chosen;
    if (!target) return;
    const message = describeConnectError(error, formatServerAddress(target.server), target.name, this.services.t);
    this.lastError = message;
    this.services.log.warn(message);
    // Another window has the name now, or the class is gone: reconnecting after a reload would not help.
    if (error.code === 'replaced' || isClassGone(error)) this.window.keep(target, false);
    this.events.fire({ type: 'changed' });
    await offerAfterDrop(this.failures, error, message, target);
  }
}

function isLive(state: ConnectionState): boolean {
  return state.kind !== 'failed' && state.kind !== 'idle';
}
