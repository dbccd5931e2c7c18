/**
 * The outcomes of message ids the relay has delivered, per sender, so that a resend after a
 * reconnect is acknowledged again instead of delivered twice. Bounded per sender and per remote
 * address (a sender, or a host however many names it takes, evicts only its own oldest ids), in
 * time (ids expire), and in total (when every slot holds a live id, a newcomer's ids are not
 * remembered: nobody can push out someone else's, and no one address can fill every slot).
 */
import { RELAY_DEFAULTS } from './defaults';

export interface IdMemoryLimits {
  perSender: number;
  /** Ids of all senders behind one remote address together. */
  perAddress: number;
  ttlMs: number;
  total: number;
}

interface Entry<T> {
  sender: string;
  id: string;
  address: string;
  value: T;
  at: number;
}

export class RecentIds<T> {
  /** Each sender's ids, and each address's, in the order they were remembered. */
  private readonly senders = new Map<string, Map<string, Entry<T>>>();
  private readonly addresses = new Map<string, Set<Entry<T>>>();
  private count = 0;
  private lastSweep = 0;

  constructor(
    private readonly limits: IdMemoryLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.count;
  }

  get(sender: string, id: string): T | undefined {
    const ids = this.senders.get(sender);
    if (!ids) return undefined;
    this.expire(ids, this.clock());
    return ids.get(id)?.value;
  }

  /**
   * Remembers `id` of `sender`, connected from `address`; false when the memory is full of other
   * addresses' live ids.
   */
  remember(sender: string, address: string, id: string, value: T): boolean {
    const now = this.clock();
    const existing = this.senders.get(sender);
    if (existing) this.expire(existing, now);
    const known = existing?.get(id);
    if (known) {
      known.value = value;
      return true;
    }
    if (this.count >= this.limits.total) this.sweep(now);
    const own = this.senders.get(sender);
    if (own && own.size >= this.limits.perSender) this.drop(own.values().next().value!);
    const ofAddress = this.addresses.get(address);
    if (ofAddress && (ofAddress.size >= this.limits.perAddress || this.count >= this.limits.total))
      this.drop(ofAddress.values().next().value!);
    if (this.count >= this.limits.total) return false;
    let ids = this.senders.get(sender);
    if (!ids) {
      ids = new Map();
      this.senders.set(sender, ids);
    }
    let addressIds = this.addresses.get(address);
    if (!addressIds) {
      addressIds = new Set();
      this.addresses.set(address, addressIds);
    }
    const entry: Entry<T> = { sender, id, address, value, at: now };
    ids.set(id, entry);
    addressIds.add(entry);
    this.count++;
    return true;
  }

  private drop(entry: Entry<T>): void {
    const ids = this.senders.get(entry.sender);
    ids?.delete(entry.id);
    if (ids?.size === 0) this.senders.delete(entry.sender);
    const addressIds = this.addresses.get(entry.address);
    addressIds?.delete(entry);
    if (addressIds?.size === 0) this.addresses.delete(entry.address);
    this.count--;
  }

  /** Ids are kept in the order they were remembered, so the expired ones are at the front. */
  private expire(ids: Map<string, Entry<T>>, now: number): void {
    for (const entry of ids.values()) {
      if (now - entry.at < this.limits.ttlMs) break;
      this.drop(entry);
    }
  }

  /** Expires every sender's old ids; at most once per housekeeping period, since it visits them all. */
  private sweep(now: number): void {
    if (now - this.lastSweep < RELAY_DEFAULTS.housekeepingMs.value) return;
    this.lastSweep = now;
    for (const ids of [...this.senders.values()]) this.expire(ids, now);
  }
}
