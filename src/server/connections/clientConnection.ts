/**
 * One accepted socket and everything that belongs to it: its output (capped), its log (rate
 * limited), its error budget, and how it ends. Ending is bounded: after `hangUp()` the peer has
 * `closeGraceMs` to close its side, then the socket is destroyed whatever the peer does.
 *
 * An idle connection should cost the relay little beside its socket: what all connections share
 * is one object (`ConnectionParts`); the error budget, the connection's own log and its output are
 * made when first needed (the output is let go again while empty), and nothing here holds a
 * closure of its own.
 */
import type { Socket } from 'node:net';
import type { Rooms } from '../classes/rooms';
import type { ConnectionLog, RelayLog } from '../log';
import { Outbound, type OverflowListener } from '../budgets/outbound';
import type { OutputPool } from '../budgets/outputPool';
import type { RelayPolicy } from '../policy/policy';
import type { RateLimiter } from '../budgets/rateLimiter';
import { WindowCounter } from '../budgets/windowCounter';
import type { Admitted } from './admission';

/** What a session (course or framed) may use of its connection. */
export interface SessionIo {
  readonly remote: string;
  readonly address: string;
  readonly connectedAt: number;
  readonly log: ConnectionLog;
  /** The session registered: its lines go to its own log from now on. */
  registered(): void;
  readonly out: Outbound;
  /** Everything written from now on is paced (Outbound.pace), also by an output made anew. */
  pace(gapMs: number): void;
  readonly policy: RelayPolicy;
  /** The relay's rooms: a session joins one of them when it registers. */
  readonly rooms: Rooms;
  readonly rate: RateLimiter;
  /** When the peer last sent a byte. */
  readonly lastHeard: number;
  /** Counts a protocol error; true when the budget for the window is spent and the connection is closing. */
  countError(): boolean;
  /**
   * Ends the connection once what is queued is written; destroyed after the grace period
   * regardless. `reason`: why the relay ends it.
   */
  hangUp(reason?: string): void;
  /** Closes at once, dropping what is queued. */
  destroy(reason: string): void;
}

/** What every connection of a relay shares: its rules, rooms and budgets, and whom to tell what. */
export interface ConnectionParts {
  readonly policy: RelayPolicy;
  readonly rooms: Rooms;
  readonly rate: RateLimiter;
  readonly log: RelayLog;
  /** The log every connection writes to until it registers. */
  readonly serverLog: ConnectionLog;
  readonly pool: OutputPool;
  /** The connection's error budget is spent: it is closing. */
  errorBudgetSpent(connection: ClientConnection): void;
  /** The connection's session registered. */
  registered(connection: ClientConnection): void;
}

export class ClientConnection implements SessionIo, OverflowListener, Admitted {
  /** Made at the first write, and let go while nothing waits in it (`letIdleOutputGo`). */
  private output: Outbound | undefined;
  /** Destroyed or closed: an output made from now on is closed from the start. */
  private outputClosed = false;
  /** The pacing of this client's output, kept for an output made anew. */
  private gapMs = 0;
  private ownLog: ConnectionLog | undefined;
  private registeredYet = false;
  readonly connectedAt = Date.now();
  lastHeard = this.connectedAt;
  /** Whether the peer has sent a byte at all (a TLS one: since its handshake). */
  spoke = false;
  /** Last time the relay pinged this connection, for the keepalive. */
  lastPing = 0;
  /** Made at the first error: most connections never make one. */
  private errors: WindowCounter | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private ending = false;
  private closeReason: string | undefined;
  /** Whether it counts against the relay's connection limits (admission.ts keeps it). */
  counted = false;

  constructor(
    readonly socket: Socket,
    readonly address: string,
    private readonly parts: ConnectionParts,
  ) {}

  get out(): Outbound {
    if (!this.output) {
      this.output = new Outbound(this.socket, this.parts.policy.output, this, this.parts.pool);
      if (this.gapMs > 0) this.output.pace(this.gapMs);
      if (this.outputClosed) this.output.dispose();
    }
    return this.output;
  }

  pace(gapMs: number): void {
    this.gapMs = gapMs;
    this.output?.pace(gapMs);
  }

  /** An idle connection holds no output: one made at its next write is the same. */
  letIdleOutputGo(): void {
    if (!this.output?.idle || this.ended) return;
    this.output.dispose();
    this.output = undefined;
  }

  /** `address:port` of the peer, as the socket knew it when accepted (Node keeps it after the close). */
  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  get policy(): RelayPolicy {
    return this.parts.policy;
  }

  get rooms(): Rooms {
    return this.parts.rooms;
  }

  get rate(): RateLimiter {
    return this.parts.rate;
  }

  /**
   * Until it registers, a connection logs into the relay's shared, rate-limited log: a client
   * that reconnects thousands of times with bad names writes a few lines, not thousands.
   */
  get log(): ConnectionLog {
    if (!this.registeredYet) return this.parts.serverLog;
    this.ownLog ??= this.parts.log.forConnection(this.parts.policy.logLimit);
    return this.ownLog;
  }

  registered(): void {
    this.registeredYet = true;
    this.parts.registered(this);
  }

  /** Why the relay closed this connection, if it did. */
  get reason(): string | undefined {
    return this.closeReason;
  }

  get ended(): boolean {
    return this.ending || this.socket.destroyed;
  }

  heard(): void {
    this.lastHeard = Date.now();
    this.spoke = true;
  }

  countError(): boolean {
    const { count, windowMs } = this.parts.policy.errors;
    this.errors ??= new WindowCounter(count, windowMs);
    if (!this.errors.hit()) return false;
    this.parts.errorBudgetSpent(this);
    return true;
  }

  /** The client does not read what it asked for (Outbound). */
  outputOverflowed(pendingBytes: number): void {
    this.destroy(`not reading: ${Math.round(pendingBytes / 1024)} KiB waiting for it`);
  }

  hangUp(reason?: string): void {
    if (this.ending) return;
    this.ending = true;
    // What the client still sends is read and dropped until the socket closes: a socket closed
    // with unread input resets the connection, and the client would lose the relay's last words.
    if (reason !== undefined) this.closeReason ??= reason;
    // Input held back by an allowance (../budgets/inputGate.ts) is not waited for.
    this.socket.resume();
    this.out.whenQueueEmpty(() => this.socket.end());
    this.graceTimer = setTimeout(() => this.socket.destroy(), this.parts.policy.closeGraceMs);
  }

  destroy(reason: string): void {
    this.closeReason ??= reason;
    this.ending = true;
    this.outputClosed = true;
    this.output?.dispose();
    this.socket.destroy();
  }

  dispose(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.outputClosed = true;
    this.output?.dispose();
  }
}
