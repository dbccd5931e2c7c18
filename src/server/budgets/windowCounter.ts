/**
 * Counts events in a sliding window: "more than `limit` events within `windowMs`". Keeps at
 * most `limit + 1` timestamps, whatever the rate of events.
 */
export class WindowCounter {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records an event; true when it is over the limit for the window. */
  hit(): boolean {
    const now = this.clock();
    while (this.times.length > 0 && now - this.times[0]! >= this.windowMs) this.times.shift();
    if (this.times.length > this.limit) return true;
    this.times.push(now);
    return this.times.length > this.limit;
  }
}
