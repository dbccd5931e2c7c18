/**
 * Connections that have not registered yet (TLS ones still in their handshake too), counted per
 * address and in all, oldest first. They have their own, smaller budget than the relay's
 * connections, so silent sockets cannot take every slot: a newcomer over it closes the oldest
 * waiting connection of its own address, or, when all are taken, the oldest of the address that
 * holds the most, and so always finds room. Only one that has waited `graceMs` is closed so: a
 * class joining at once (each client sends its name within milliseconds) is let in whole.
 */
export interface WaitingLimits {
  total: number;
  perAddress: number;
  graceMs: number;
}

export class WaitingRoom<T> {
  /** When each began to wait; maps and sets keep insertion order: the first is the oldest. */
  private readonly all = new Map<T, number>();
  private readonly byAddress = new Map<string, Set<T>>();

  constructor(
    private readonly limits: WaitingLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.all.size;
  }

  countOf(address: string): number {
    return this.byAddress.get(address)?.size ?? 0;
  }

  enter(item: T, address: string): void {
    this.all.set(item, this.clock());
    let here = this.byAddress.get(address);
    if (!here) {
      here = new Set();
      this.byAddress.set(address, here);
    }
    here.add(item);
  }

  /** It registered or closed; leaving twice is leaving once. */
  leave(item: T, address: string): void {
    this.all.delete(item);
    const here = this.byAddress.get(address);
    if (!here) return;
    here.delete(item);
    if (here.size === 0) this.byAddress.delete(address);
  }

  /** The oldest waiting connection of `address`, if any. */
  oldestOf(address: string): T | undefined {
    const here = this.byAddress.get(address);
    return here?.values().next().value;
  }

  /** The oldest waiting connection of the address that holds the most, if any. */
  oldestOfLargest(): T | undefined {
    let largest: Set<T> | undefined;
    for (const here of this.byAddress.values()) if (!largest || here.size > largest.size) largest = here;
    return largest?.values().next().value;
  }

  /**
   * Who must go to make room for a newcomer from `address`, which would wait too: the oldest of
   * its own address when that address is at its limit, else, when all are taken, the oldest of
   * the address holding the most; undefined when there is room, or when that one has not yet
   * waited its grace.
   */
  toMakeRoomFor(address: string): T | undefined {
    const oldest =
      this.countOf(address) >= this.limits.perAddress
        ? this.oldestOf(address)
        : this.all.size >= this.limits.total
          ? this.oldestOfLargest()
          : undefined;
    if (oldest === undefined) return undefined;
    return this.clock() - (this.all.get(oldest) ?? 0) >= this.limits.graceMs ? oldest : undefined;
  }
}
