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
import { LiveQueue, type QueueItem } from './liveQueue';

export interface IdMemoryLimits {
  perSender: number;
  /** Ids of all senders behind one remote address together. */
  perAddress: number;
  ttlMs: number;
  total: number;
}

/** One remembered id; it is in its sender's queue and its address's, both oldest first. */
interface Entry<T> extends QueueItem {
  id: string;
  value: T;
  at: number;
  sender: SenderIds<T>;
  address: AddressIds<T>;
}

/** A sender's ids: by id, and oldest first. */
class SenderIds<T> {
  readonly byId = new Map<string, Entry<T>>();
  readonly order = new LiveQueue<Entry<T>>();
  /** Whether the sender was present when room was last made (`presenceOf` says which time). */
  present = false;
  presenceOf = 0;
  constructor(readonly key: string) {}
}

/** The ids of all senders behind one address, oldest first. */
class AddressIds<T> {
  readonly order = new LiveQueue<Entry<T>>();
  /**
   * Over its share with all its senders present: the size at which to look for room again, so
   * its ids are not searched through for each new one.
   */
  crowdedAt = 0;
  constructor(readonly key: string) {}
}

/**
 * Past a bound, this share of it is freed at once, so the search for what to push out is paid
 * once per many ids, not for each.
 */
const FREED_AT_ONCE = 1 / 16;

export class RecentIds<T> implements BudgetUser {
  private readonly senders = new Map<string, SenderIds<T>>();
  private readonly addresses = new Map<string, AddressIds<T>>();
  private count = 0;
  private lastSweep = 0;
  /** How often room was made: whom a search found present is asked once per search. */
  private searches = 0;

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
    return ids.byId.get(id)?.value;
  }

  /** Remembers `id` of `sender`, connected from `address`, making room as the bounds say. */
  remember(sender: string, address: string, id: string, value: T): void {
    const now = this.clock();
    const own = this.senders.get(sender);
    if (own) {
      this.expire(own, now);
      const known = own.byId.get(id);
      if (known) {
        known.value = value;
        return;
      }
      if (own.byId.size >= this.limits.perSender) this.drop(own.order.first()!);
    }
    const ofAddress = this.addresses.get(address);
    const size = ofAddress?.order.size ?? 0;
    if (ofAddress && size >= this.limits.perAddress && size >= ofAddress.crowdedAt) {
      const atOnce = roomAtOnce(this.limits.perAddress);
      this.makeRoom(ofAddress, size - this.limits.perAddress + 1 + atOnce, false);
      const left = ofAddress.order.size;
      ofAddress.crowdedAt = left >= this.limits.perAddress ? left + Math.max(1, atOnce) : 0;
    }
    if (this.count >= this.limits.total) this.sweep(now);
    if (this.count >= this.limits.total)
      this.makeRoom(this.biggestAddress(), this.count - this.limits.total + 1 + roomAtOnce(this.limits.total), true);
    this.shared?.take(this, 1);
    // Making room may have let go of this sender's or address's queue: look them up again.
    let ids = this.senders.get(sender);
    if (!ids) {
      ids = new SenderIds(sender);
      this.senders.set(sender, ids);
    }
    let addressIds = this.addresses.get(address);
    if (!addressIds) {
      addressIds = new AddressIds(address);
      this.addresses.set(address, addressIds);
    }
    const entry: Entry<T> = { id, value, at: now, sender: ids, address: addressIds, live: true };
    ids.byId.set(id, entry);
    ids.order.push(entry);
    addressIds.order.push(entry);
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
  private makeRoom(address: AddressIds<T> | undefined, wanted: number, evenPresent: boolean): void {
    if (!address) return;
    let freed = 0;
    const search = ++this.searches;
    // The ids of senders present, by sender, only where they may go too.
    const bySender = evenPresent ? new Map<SenderIds<T>, Array<Entry<T>>>() : undefined;
    address.order.forEachLive((entry) => {
      if (freed >= wanted) return false;
      const sender = entry.sender;
      if (sender.presenceOf !== search) {
        sender.present = this.present(sender.key);
        sender.presenceOf = search;
      }
      if (!sender.present) {
        this.drop(entry);
        freed++;
      } else if (bySender) {
        const list = bySender.get(sender);
        if (list) list.push(entry);
        else bySender.set(sender, [entry]);
      }
      return true;
    });
    if (freed >= wanted || !bySender) return;
    const lists = [...bySender.values()];
    for (; freed < wanted; freed++) {
      let biggest: Array<Entry<T>> | undefined;
      for (const list of lists) if (list.length > 0 && list.length > (biggest?.length ?? 0)) biggest = list;
      if (!biggest) return;
      this.drop(biggest.shift()!);
    }
  }

  /** The address holding the most ids. */
  private biggestAddress(): AddressIds<T> | undefined {
    let biggest: AddressIds<T> | undefined;
    let most = 0;
    for (const address of this.addresses.values())
      if (address.order.size > most) {
        most = address.order.size;
        biggest = address;
      }
    return biggest;
  }

  private drop(entry: Entry<T>): void {
    entry.live = false;
    const { sender, address } = entry;
    sender.byId.delete(entry.id);
    sender.order.left();
    if (sender.byId.size === 0 && this.senders.get(sender.key) === sender) this.senders.delete(sender.key);
    address.order.left();
    if (address.order.size === 0 && this.addresses.get(address.key) === address) this.addresses.delete(address.key);
    this.count--;
    this.shared?.give(this, 1);
  }

  /** A sender's ids are in the order they were remembered, so the expired ones are first. */
  private expire(ids: SenderIds<T>, now: number): void {
    for (let oldest = ids.order.first(); oldest && now - oldest.at >= this.limits.ttlMs; oldest = ids.order.first())
      this.drop(oldest);
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
