/** A token bucket: `burst` tokens, refilled at `perMinute` per minute. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = limit.burst;
    this.last = clock();
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole tokens there now. */
  get available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Takes `count` tokens; the caller has seen that many `available`. */
  spend(count: number): void {
    this.refill();
    this.tokens -= count;
  }

  /** Milliseconds until `count` whole tokens are there. */
  msUntil(count: number): number {
    this.refill();
    return this.tokens >= count ? 0 : Math.ceil(((count - this.tokens) * 60_000) / this.limit.perMinute);
  }

  get full(): boolean {
    this.refill();
    return this.tokens >= this.limit.burst;
  }

  /** Milliseconds until the next token. */
  get waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.limit.perMinute);
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) * this.limit.perMinute) / 60_000);
    this.last = now;
  }
}
