/**
 * The outcomes of message ids the relay has delivered, per sender, so that a resend after a
 * reconnect is acknowledged again instead of delivered twice. Bounded per sender (its own newest
 * ids push out its oldest), in time (ids expire), per remote address and in total. Past an
 * address's share, it gives up the ids of its senders no longer present (neither online nor
 * holding their name for a resume), oldest first; those of senders present are not pushed out
 * by their classmates (how many may be present is bounded by connections and registrations per
 * address). Past the total, the address holding the most ids gives way: its senders no longer
 * present first, then the oldest ids of its sender holding the most. A newcomer is always
 * remembered, and nobody's ids go while others hold more. Every room of the relay (a class) has
 * its own, and they share one relay-wide bound, past which the room holding the most gives way.
 */
import { RELAY_DEFAULTS } from '../policy/defaults';
import type { BudgetUser, SharedBudget } from '../budgets/sharedBudget';

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

/**
 * Past a bound, this share of it is freed at once, so the search for what to push out is paid
 * once per many ids, not for each.
 */
const FREED_AT_ONCE = 1 / 16;

export class RecentIds<T> implements BudgetUser {
  /** Each sender's ids, and each address's, in the order they were remembered. */
  private readonly senders = new Map<string, Map<string, Entry<T>>>();
  private readonly addresses = new Map<string, Set<Entry<T>>>();
  /**
   * Addresses over their share whose senders are all present: the size at which to look for
   * room again, so their ids are not searched through for each new one.
   */
  private readonly crowded = new Map<string, number>();
  private count = 0;
  private lastSweep = 0;

  /** `present`: whether a sender is online or its name is held for its return (its ids go last). */
  constructor(
    private readonly limits: IdMemoryLimits,
    private readonly clock: () => number = Date.now,
    private readonly present: (sender: string) => boolean = () => false,
    /** The ids of every room of the relay together (budgets/sharedBudget.ts). */
    private readonly shared?: SharedBudget,
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

  /** Remembers `id` of `sender`, connected from `address`, making room as the bounds say. */
  remember(sender: string, address: string, id: string, value: T): void {
    const now = this.clock();
    const existing = this.senders.get(sender);
    if (existing) this.expire(existing, now);
    const known = existing?.get(id);
    if (known) {
      known.value = value;
      return;
    }
    const own = this.senders.get(sender);
    if (own && own.size >= this.limits.perSender) this.drop(own.values().next().value!);
    const ofAddress = this.addresses.get(address);
    if (ofAddress && ofAddress.size >= this.limits.perAddress && ofAddress.size >= (this.crowded.get(address) ?? 0)) {
      const atOnce = roomAtOnce(this.limits.perAddress);
      this.makeRoom(address, ofAddress.size - this.limits.perAddress + 1 + atOnce, false);
      if (ofAddress.size >= this.limits.perAddress) this.crowded.set(address, ofAddress.size + Math.max(1, atOnce));
      else this.crowded.delete(address);
    }
    if (this.count >= this.limits.total) this.sweep(now);
    if (this.count >= this.limits.total)
      this.makeRoom(this.biggestAddress(), this.count - this.limits.total + 1 + roomAtOnce(this.limits.total), true);
    this.shared?.take(this, 1);
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
  }

  /**
   * The relay's ids of all rooms are past their bound and this room holds the most: it frees
   * `amount` of its own, as past its own total (expired ones, then the address holding the most).
   */
  release(amount: number): number {
    const before = this.count;
    this.sweep(this.clock());
    while (before - this.count < amount && this.count > 0) {
      const start = this.count;
      this.makeRoom(this.biggestAddress(), amount - (before - this.count), true);
      if (this.count === start) break;
    }
    return before - this.count;
  }

  /** The room goes: what it holds no longer counts in the relay's total. */
  dispose(): void {
    this.shared?.leave(this);
  }

  /**
   * Frees up to `wanted` ids of `address`: those of senders no longer present (oldest first),
   * then, when `evenPresent`, one at a time the oldest of the sender holding the most there.
   */
  private makeRoom(address: string, wanted: number, evenPresent: boolean): void {
    const entries = this.addresses.get(address);
    if (!entries) return;
    let freed = 0;
    const presence = new Map<string, boolean>();
    const bySender = new Map<string, Array<Entry<T>>>();
    for (const entry of entries) {
      if (freed >= wanted) return;
      let present = presence.get(entry.sender);
      if (present === undefined) {
        present = this.present(entry.sender);
        presence.set(entry.sender, present);
      }
      if (present) {
        const list = bySender.get(entry.sender);
        if (list) list.push(entry);
        else bySender.set(entry.sender, [entry]);
      } else {
        this.drop(entry);
        freed++;
      }
    }
    const lists = [...bySender.values()];
    for (; evenPresent && freed < wanted; freed++) {
      let biggest: Array<Entry<T>> | undefined;
      for (const list of lists) if (list.length > 0 && list.length > (biggest?.length ?? 0)) biggest = list;
      if (!biggest) return;
      this.drop(biggest.shift()!);
    }
  }

  /** The address holding the most ids. */
  private biggestAddress(): string {
    let biggest = '';
    let most = 0;
    for (const [address, entries] of this.addresses)
      if (entries.size > most) {
        most = entries.size;
        biggest = address;
      }
    return biggest;
  }

  private drop(entry: Entry<T>): void {
    const ids = this.senders.get(entry.sender);
    ids?.delete(entry.id);
    if (ids?.size === 0) this.senders.delete(entry.sender);
    const addressIds = this.addresses.get(entry.address);
    addressIds?.delete(entry);
    if (addressIds?.size === 0) {
      this.addresses.delete(entry.address);
      this.crowded.delete(entry.address);
    }
    this.count--;
    this.shared?.give(this, 1);
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

function roomAtOnce(bound: number): number {
  return Math.floor(bound * FREED_AT_ONCE);
}
