/**
 * A connection that stays up: it reconnects with exponential backoff and jitter after a drop,
 * registers the same name again, and keeps an outbox so that nothing written while offline is
 * lost. Every message is tracked from pending to delivered, sent or failed. Of a relay with several
 * nodes, a drop moves to the next (failover.ts), with the same registration and message ids.
 */
import type { RelayNode } from '../protocol/address';
import type { Resume, Snippet } from '../protocol/frames';
import { nameKey } from '../protocol/nameSkeleton';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff';
import { openSession, type OpenOptions } from './connect';
import type {
  ConnectionEvent,
  ConnectionState,
  DeliveryFailure,
  DeliveryState,
  DropCause,
  Outgoing,
  OutgoingContent,
} from './connectionTypes';
import { Emitter, newMessageId } from './events';
import { NodeRounds, PERMANENT, type NodeOptions } from './failover';
import { SeenMessages } from './seenMessages';
import { RelayError, type RelaySession, type SendResult } from './types';

export interface ConnectionOptions extends OpenOptions, NodeOptions {
  backoff?: Partial<Backoff>;
  /** How long after a reconnect a message to someone not (yet) back waits for them before it fails. */
  rejoinGraceMs?: number;
  random?: () => number;
  open?: (options: OpenOptions) => Promise<RelaySession>;
}

interface Queued extends Outgoing {
  inFlight: boolean;
  /** The peer was unknown right after a reconnect: wait until they are back, or the grace ends. */
  waitingForPeer: boolean;
}

export class RelayConnection {
  private readonly events = new Emitter<ConnectionEvent>();
  private readonly outbox: Queued[] = [];
  private readonly backoff: Backoff;
  private cap: number | undefined;
  private retryAt = 0;
  private readonly random: () => number;
  private readonly open: (options: OpenOptions) => Promise<RelaySession>;
  private readonly rejoinGraceMs: number;
  private readonly seen = new SeenMessages();
  private readonly rounds: NodeRounds;
  /** The last session, whose registration the next one resumes (our relay only). */
  private previous: RelaySession | undefined;
  private session: RelaySession | undefined;
  private sessionListener: { dispose(): void } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private everConnected = false;
  private stopped = false;
  private current: ConnectionState = { kind: 'idle' };

  constructor(private readonly options: ConnectionOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? Math.random;
    this.open = options.open ?? openSession;
    this.rejoinGraceMs = options.rejoinGraceMs ?? 15_000;
    this.rounds = new NodeRounds(options);
  }

  get state(): ConnectionState {
    return this.current;
  }

  get name(): string {
    return this.options.name;
  }

  /**
   * What to present to be this registration again (our relay only), for a caller that keeps it
   * across restarts: a new window of the same student then takes its name over from a stale one.
   * The first connect presents `options.resume`.
   */
  get resume(): Resume | undefined {
    return this.previous?.resume ?? this.options.resume;
  }

  /** The node the connection is on (of several, the one that answered), while connected. */
  get node(): RelayNode | undefined {
    return this.session ? this.rounds.opened : undefined;
  }

  get pending(): readonly Outgoing[] {
    return this.outbox;
  }

  onEvent(listener: (event: ConnectionEvent) => void): { dispose(): void } {
    return this.events.on(listener);
  }

  /**
   * Connects for the first time. A failure is reported, not retried: the person who asked
   * should see it at once. With `keepTrying` (a window connecting again by itself after a reload)
   * a failure is retried as a drop is. Drops after that are retried until stop().
   */
  async start(options: { keepTrying?: boolean } = {}): Promise<void> {
    this.stopped = false;
    await this.attemptConnect(options.keepTrying ?? false);
  }

  send(to: string, text: string): Outgoing {
    return this.enqueue(to, { kind: 'text', text });
  }

  sendSnippet(to: string, snippet: Snippet): Outgoing {
    return this.enqueue(to, { kind: 'snippet', snippet });
  }

  broadcast(text: string): Outgoing {
    return this.enqueue(undefined, { kind: 'text', text });
  }

  /** A teacher's hint with code: queued like any message, so it survives a reconnect. */
  broadcastSnippet(snippet: Snippet): Outgoing {
    return this.enqueue(undefined, { kind: 'snippet', snippet });
  }

  /** Closes the connection and stops reconnecting; what is still pending fails. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.closeSession();
    this.failPending();
    this.setState({ kind: 'idle' });
  }

  /** Reconnects at once instead of at the end of the backoff wait (a person pressed "Reconnect now"). */
  retryNow(): void {
    if (this.stopped || this.current.kind !== 'waiting' || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.attemptConnect(true);
  }

  /** Everything still queued fails as not sent: the connection was stopped. */
  private failPending(): void {
    for (const message of this.outbox.splice(0)) {
      this.events.fire({
        type: 'delivery',
        id: message.id,
        state: 'failed',
        failure: { code: 'disconnected', detail: '' },
      });
    }
  }

  dispose(): void {
    this.stop();
    this.events.clear();
  }

  private enqueue(to: string | undefined, content: OutgoingContent): Outgoing {
    const message: Queued = { id: newMessageId(), to, content, inFlight: false, waitingForPeer: false };
    this.outbox.push(message);
    this.events.fire({ type: 'delivery', id: message.id, state: 'pending' });
    // Stopped for good (by the person, another window or a teacher): nothing will send it.
    if (this.stopped && this.current.kind !== 'connecting') this.failPending();
    else this.flush();
    return message;
  }

  private async attemptConnect(retrying: boolean): Promise<void> {
    this.attempt++;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    let session: RelaySession;
    try {
      // A reconnect speaks what the server spoke before: detection through a relay that is
      // frozen or overloaded would hear silence and take it for a course server.
      const previous = this.previous;
      const dialect =
        this.options.dialect === 'auto' || this.options.dialect === undefined
          ? (previous?.dialect ?? 'auto')
          : this.options.dialect;
      const resume = previous?.resume;
      const options: ConnectionOptions = { ...this.options, dialect, ...(resume ? { resume } : {}) };
      session = await this.rounds.open(options, this.open, () => this.stopped);
    } catch (error) {
      const relayError = error instanceof RelayError ? error : new RelayError('closed', (error as Error).message);
      if (this.stopped) return;
      if (!retrying || PERMANENT.has(relayError.code)) {
        this.setState({ kind: 'failed', error: relayError });
        if (!retrying) throw relayError;
        return;
      }
      this.scheduleRetry({ kind: 'connect-failed', code: relayError.code }, relayError.message);
      return;
    }
    if (this.stopped) {
      session.close();
      return;
    }
    this.attach(session);
  }

  private attach(session: RelaySession): void {
    this.session = session;
    this.previous = session;
    this.attempt = 0;
    if (this.everConnected) {
      if (this.graceTimer) clearTimeout(this.graceTimer);
      this.graceTimer = setTimeout(() => this.endGrace(), this.rejoinGraceMs);
    }
    this.everConnected = true;
    this.sessionListener = session.onEvent((event) => {
      if (event.type === 'closed') {
        if (
          event.reason === 'replaced' ||
          event.reason === 'disconnected-by-teacher' ||
          event.reason === 'class-ended'
        ) {
          this.ended(event.reason, event.detail);
          return;
        }
        this.sessionClosed(
          { kind: 'closed', reason: event.reason },
          event.reason === 'server-shutdown' ? 'the relay stopped' : event.detail,
        );
        return;
      }
      if (
        (event.type === 'message' || event.type === 'snippet' || event.type === 'broadcast') &&
        this.seen.seenBefore(event.from, event.id)
      )
        return;
      if (event.type === 'presence') {
        this.setState(this.connected(session, event.online));
        for (const name of event.joined) this.peerJoined(name);
      }
      this.events.fire({ type: 'incoming', event });
    });
    this.setState(this.connected(session, session.online));
    this.flush();
  }

  private connected(session: RelaySession, online: readonly string[]): ConnectionState {
    const state: ConnectionState = { kind: 'connected', dialect: session.dialect, name: session.name, online };
    if (this.rounds.several && this.rounds.opened) state.node = this.rounds.opened;
    return state;
  }

  /**
   * Ended for good by someone else: another window took the name over (reconnecting would take
   * it back, and the two would fight), a teacher disconnected this client, or its class ended.
   */
  private ended(code: 'replaced' | 'disconnected-by-teacher' | 'class-ended', detail: string): void {
    this.sessionListener?.dispose();
    this.sessionListener = undefined;
    this.session = undefined;
    this.stopped = true;
    this.clearTimers();
    this.failPending();
    this.setState({ kind: 'failed', error: new RelayError(code, detail) });
  }

  private sessionClosed(cause: DropCause, reason: string): void {
    this.sessionListener?.dispose();
    this.sessionListener = undefined;
    this.session = undefined;
    this.rounds.dropped();
    for (const message of this.outbox) message.inFlight = false;
    if (this.stopped || this.current.kind === 'idle') return;
    this.scheduleRetry(cause, reason);
  }

  private scheduleRetry(cause: DropCause, reason: string): void {
    const backoff =
      this.cap === undefined ? this.backoff : { ...this.backoff, maxMs: Math.min(this.backoff.maxMs, this.cap) };
    const retryInMs = backoffDelay(this.attempt + 1, backoff, this.random);
    this.waitThenRetry({ kind: 'waiting', attempt: this.attempt + 1, retryInMs, cause, reason });
  }

  private waitThenRetry(waiting: Extract<ConnectionState, { kind: 'waiting' }>): void {
    this.setState(waiting);
    this.retryAt = Date.now() + waiting.retryInMs;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.attemptConnect(true);
    }, waiting.retryInMs);
  }

  /**
   * Caps the wait between attempts (while someone watches the chat, a long wait helps nobody),
   * or lifts the cap. A wait already longer than the new cap is shortened.
   */
  capBackoff(maxMs: number | undefined): void {
    this.cap = maxMs;
    if (maxMs === undefined || this.current.kind !== 'waiting' || !this.retryTimer) return;
    if (this.retryAt - Date.now() <= maxMs) return;
    clearTimeout(this.retryTimer);
    const { cause, reason, attempt } = this.current;
    const retryInMs = Math.round(maxMs / 2 + (this.random() * maxMs) / 2);
    this.waitThenRetry({ kind: 'waiting', attempt, retryInMs, cause, reason });
  }

  private flush(): void {
    const session = this.session;
    if (!session?.isOpen) return;
    for (const message of this.outbox) {
      if (message.inFlight || message.waitingForPeer) continue;
      message.inFlight = true;
      const result =
        message.to === undefined
          ? message.content.kind === 'text'
            ? session.broadcast(message.content.text, message.id)
            : session.broadcastSnippet(message.content.snippet, message.id)
          : message.content.kind === 'text'
            ? session.send(message.to, message.content.text, message.id)
            : session.sendSnippet(message.to, message.content.snippet, message.id);
      void result.then((outcome) => this.settle(message, session, outcome));
    }
  }

  private settle(message: Queued, session: RelaySession, outcome: SendResult): void {
    message.inFlight = false;
    if (!this.outbox.includes(message)) return;
    switch (outcome.status) {
      case 'disconnected':
        return; // goes out again, with the same id, after the reconnect
      case 'timeout':
        // No acknowledgement on a live-looking connection: treat it as dead and reconnect.
        if (this.session === session) {
          this.closeSession();
          this.sessionClosed({ kind: 'no-ack' }, 'no acknowledgement from the relay');
        }
        return;
      case 'unknown-peer':
        // Right after a reconnect, a peer not found may just not be back yet.
        if (this.graceTimer !== undefined) {
          message.waitingForPeer = true;
          return;
        }
        this.finish(message, 'failed', { code: 'unknown-peer', detail: message.to ?? '' });
        return;
      case 'rejected':
        this.finish(message, 'failed', {
          code: outcome.reason === 'not-allowed' ? 'not-supported' : 'rejected',
          detail: outcome.detail,
          reason: outcome.reason,
        });
        return;
      case 'delivered':
        this.finish(message, 'delivered', undefined, outcome.recipients);
        return;
      case 'sent':
        this.finish(message, 'sent');
    }
  }

  private peerJoined(name: string): void {
    const key = nameKey(name);
    for (const message of this.outbox) {
      if (message.waitingForPeer && message.to !== undefined && nameKey(message.to.trim()) === key)
        message.waitingForPeer = false;
    }
    this.flush();
  }

  /** The grace after a reconnect is over: whoever is still missing gets one last try. */
  private endGrace(): void {
    this.graceTimer = undefined;
    for (const message of this.outbox) message.waitingForPeer = false;
    this.flush();
  }

  private finish(message: Queued, state: DeliveryState, failure?: DeliveryFailure, recipients?: number): void {
    this.outbox.splice(this.outbox.indexOf(message), 1);
    const event: ConnectionEvent = { type: 'delivery', id: message.id, state };
    if (failure) event.failure = failure;
    if (recipients !== undefined) event.recipients = recipients;
    this.events.fire(event);
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.events.fire({ type: 'state', state });
  }

  private closeSession(): void {
    this.sessionListener?.dispose();
    this.sessionListener = undefined;
    this.session?.close();
    this.session = undefined;
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.retryTimer = undefined;
    this.graceTimer = undefined;
  }
}
