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

  /** Takes a token for `sender`; undefined when allowed, else how long to wait in milliseconds. */
  take(sender: string): number | undefined {
    const bucket = this.bucket(sender);
    return bucket.take() ? undefined : Math.max(1, bucket.waitMs);
  }

  /** The bucket of `sender` as it is now; ask again each time, as full buckets are forgotten. */
  bucket(sender: string): TokenBucket {
    this.prune();
    let bucket = this.buckets.get(sender);
    if (!bucket) {
      bucket = new TokenBucket(this.limit, this.clock);
      this.buckets.set(sender, bucket);
    }
    return bucket;
  }

  private prune(): void {
    const now = this.clock();
    if (now - this.lastPrune < RELAY_DEFAULTS.ratePruneMs.value) return;
    this.lastPrune = now;
    for (const [sender, bucket] of this.buckets) if (bucket.full) this.buckets.delete(sender);
  }
}
