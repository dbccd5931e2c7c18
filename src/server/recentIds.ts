/**
 * The outcomes of message ids the relay has delivered, per sender, so that a resend after a
 * reconnect is acknowledged again instead of delivered twice. Bounded per sender (a sender
 * evicts only its own oldest ids), in time (ids expire), and in total (when every slot holds a
 * live id, a newcomer's ids are not remembered: nobody can push out someone else's).
 */
export interface IdMemoryLimits {
  perSender: number;
  ttlMs: number;
  total: number;
}

export const DEFAULT_ID_MEMORY: IdMemoryLimits = { perSender: 256, ttlMs: 10 * 60_000, total: 100_000 };

interface Entry<T> {
  value: T;
  at: number;
}

export class RecentIds<T> {
  private readonly senders = new Map<string, Map<string, Entry<T>>>();
  private count = 0;
  private lastSweep = 0;

  constructor(private readonly limits: IdMemoryLimits = DEFAULT_ID_MEMORY, private readonly clock: () => number = Date.now) {}

  get size(): number {
    return this.count;
  }

  get(sender: string, id: string): T | undefined {
    const ids = this.senders.get(sender);
    if (!ids) return undefined;
    this.expire(sender, ids, this.clock());
    return ids.get(id)?.value;
  }

  /** False when the memory is full of other senders' live ids. */
  remember(sender: string, id: string, value: T): boolean {
    const now = this.clock();
    const existing = this.senders.get(sender);
    if (existing) this.expire(sender, existing, now);
    const known = this.senders.get(sender)?.get(id);
    if (known) {
      known.value = value;
      return true;
    }
    if (this.count >= this.limits.total) this.sweep(now);
    const own = this.senders.get(sender);
    if (own && (own.size >= this.limits.perSender || this.count >= this.limits.total)) this.dropOldest(sender, own);
    if (this.count >= this.limits.total) return false;
    let ids = this.senders.get(sender);
    if (!ids) {
      ids = new Map();
      this.senders.set(sender, ids);
    }
    ids.set(id, { value, at: now });
    this.count++;
    return true;
  }

  private dropOldest(sender: string, ids: Map<string, Entry<T>>): void {
    ids.delete(ids.keys().next().value!);
    this.count--;
    if (ids.size === 0) this.senders.delete(sender);
  }

  /** Ids are kept in the order they were remembered, so the expired ones are at the front. */
  private expire(sender: string, ids: Map<string, Entry<T>>, now: number): void {
    for (const [id, entry] of ids) {
      if (now - entry.at < this.limits.ttlMs) break;
      ids.delete(id);
      this.count--;
    }
    if (ids.size === 0) this.senders.delete(sender);
  }

  /** Expires every sender's old ids; at most once a second, since it visits them all. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [sender, ids] of this.senders) this.expire(sender, ids, now);
  }
}
