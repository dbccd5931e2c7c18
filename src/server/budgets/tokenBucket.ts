/**
 * A token bucket: `burst` tokens, refilled at `perMinute` per minute. Every question takes the
 * time `now` from the caller, who reads the clock once for all the buckets a read or a message
 * asks (a connection's, its address's, its sender's).
 */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole tokens there now. */
  available(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** Takes `count` tokens; the caller has seen that many `available`. */
  spend(count: number, now: number): void {
    this.refill(now);
    this.tokens -= count;
  }

  /** Milliseconds until `count` whole tokens are there. */
  msUntil(count: number, now: number): number {
    this.refill(now);
    return this.tokens >= count ? 0 : Math.ceil(((count - this.tokens) * 60_000) / this.limit.perMinute);
  }

  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.limit.burst;
  }

  /** Milliseconds until the next token. */
  waitMs(now: number): number {
    return this.msUntil(1, now);
  }

  private refill(now: number): void {
    if (now === this.last) return;
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) * this.limit.perMinute) / 60_000);
    this.last = now;
  }
}
