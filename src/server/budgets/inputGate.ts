/**
 * What a connection's input may cost the relay. Every frame or line it sends (pings, `who`,
 * refused messages, hands, hellos, anything) and every read without a line end spends a token of
 * the connection's own allowance and one of its address's. Past either, the relay stops reading
 * the socket (TCP backpressure: the sender's writes block) and reads on as tokens come back; a
 * connection held back by its own allowance for `holdMs` without a break is closed.
 */
import type { Socket } from 'node:net';
import type { RateLimiter } from './rateLimiter';
import { TokenBucket } from './tokenBucket';

export interface InputLimit {
  /** Frames or lines one connection may send per second on average … */
  perSecond: number;
  /** … and at once. */
  burst: number;
  /** Frames or lines all connections of one address may send per second on average … */
  addressPerSecond: number;
  /** … and at once. */
  addressBurst: number;
  /** A connection held back by its own allowance this long without a break is closed. */
  holdMs: number;
}

/** A held connection is read again after at most this long, so its wakes stay few. */
const SHORTEST_WAIT_MS = 50;
const LF = 0x0a;

export class InputGate {
  private readonly own: TokenBucket;
  private held: Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Since when the connection's own allowance holds it back, without a break. */
  private overSince: number | undefined;
  private stopped = false;

  constructor(
    private readonly socket: Socket,
    private readonly limit: InputLimit,
    private readonly addresses: RateLimiter,
    private readonly address: string,
    private readonly process: (data: Buffer) => void,
    private readonly onPersisting: (heldMs: number) => void,
    /** False once the connection is ending: its input is then read and dropped, never held. */
    private readonly open: () => boolean,
  ) {
    this.own = new TokenBucket({ perMinute: limit.perSecond * 60, burst: limit.burst }, addresses.now());
  }

  /** Whether input waits unread because of an allowance. */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** Nothing held and the connection's allowance full again: a new gate would be the same, so this one may go. */
  get idle(): boolean {
    return !this.stopped && this.held === undefined && this.timer === undefined && this.own.full(this.addresses.now());
  }

  push(data: Buffer): void {
    if (this.stopped) return;
    if (this.held) {
      // Bytes already on their way when reading stopped.
      this.held = Buffer.concat([this.held, data]);
      return;
    }
    this.feed(data);
  }

  /** No more input is handled; the socket is read (and its input dropped by the caller) until it closes. */
  stop(): void {
    this.stopped = true;
    this.held = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.socket.resume();
  }

  private feed(data: Buffer): void {
    if (!this.open()) {
      this.stop();
      return;
    }
    // One reading of the clock for both allowances of this read.
    const now = this.addresses.now();
    const address = this.addresses.bucket(this.address, now);
    const ownTokens = this.own.available(now);
    const addressTokens = address.available(now);
    const tokens = Math.min(ownTokens, addressTokens);
    const { cut, units } = cutAfterLines(data, tokens);
    if (units > 0) {
      this.own.spend(units, now);
      address.spend(units, now);
      this.process(cut === data.length ? data : data.subarray(0, cut));
    }
    if (this.stopped) return;
    if (!this.open()) {
      this.stop();
      return;
    }
    if (cut === data.length) {
      if (this.own.available(now) > 0) this.overSince = undefined;
      this.held = undefined;
      if (this.socket.isPaused()) this.socket.resume();
      return;
    }
    this.held = data.subarray(cut);
    if (ownTokens <= addressTokens) {
      this.overSince ??= now;
      if (now - this.overSince >= this.limit.holdMs) {
        this.onPersisting(now - this.overSince);
        return;
      }
    }
    this.socket.pause();
    const wait = Math.max(
      SHORTEST_WAIT_MS,
      this.own.msUntil(1, now),
      this.addresses.bucket(this.address, now).msUntil(1, now),
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const held = this.held;
      this.held = undefined;
      if (held && !this.stopped) this.feed(held);
    }, wait);
  }
}

/**
 * How much of `data` `tokens` pay for: up to and with its `tokens`-th line end (each line one
 * token), or all of it; a read without a line end costs one token. `units` is what it costs.
 */
export function cutAfterLines(data: Uint8Array, tokens: number): { cut: number; units: number } {
  if (tokens < 1) return { cut: 0, units: 0 };
  let lines = 0;
  let at = data.indexOf(LF);
  while (at !== -1) {
    lines++;
    if (lines === tokens && at + 1 < data.length) return { cut: at + 1, units: lines };
    at = data.indexOf(LF, at + 1);
  }
  return { cut: data.length, units: Math.max(1, lines) };
}
