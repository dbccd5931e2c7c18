/**
 * One token bucket per sender, kept across reconnects so that leaving and coming back does not
 * refill it. A full bucket is the same as a new one, so full buckets are forgotten: the map
 * holds only senders who sent recently.
 */
import { RELAY_DEFAULTS } from '../policy/defaults';
import { TokenBucket, type RateLimit } from './tokenBucket';

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastPrune = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  /** The time by this limiter's clock, for the questions asked of its buckets. */
  now(): number {
    return this.clock();
  }

  /** Takes a token for `sender`; undefined when allowed, else how long to wait in milliseconds. */
  take(sender: string, now: number = this.clock()): number | undefined {
    const bucket = this.bucket(sender, now);
    return bucket.take(now) ? undefined : Math.max(1, bucket.waitMs(now));
  }

  /** The bucket of `sender` as it is at `now`; ask again each time, as full buckets are forgotten. */
  bucket(sender: string, now: number = this.clock()): TokenBucket {
    this.prune(now);
    let bucket = this.buckets.get(sender);
    if (!bucket) {
      bucket = new TokenBucket(this.limit, now);
      this.buckets.set(sender, bucket);
    }
    return bucket;
  }

  private prune(now: number): void {
    if (now - this.lastPrune < RELAY_DEFAULTS.ratePruneMs.value) return;
    this.lastPrune = now;
    for (const [sender, bucket] of this.buckets) if (bucket.full(now)) this.buckets.delete(sender);
  }
}
