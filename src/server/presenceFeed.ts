/**
 * Presence in batches: joins and leaves are collected and sent at most once per `flushMs`, so a
 * burst of N joins costs each client a bounded number of frames instead of N. A batch is one
 * write per client, so in a large room batches are spaced further apart (`perPeerMs` for each
 * client online): the cost of presence per second stays the same whatever the size of the room. A name that left
 * and came back within one batch is no change at all. A batch naming more than `maxNames`
 * people says only that the list changed (`truncated`); clients ask for the list in pages.
 */
export interface PresenceChange {
  joined: string[];
  left: string[];
  /** How many are online after the change. */
  online: number;
  truncated: boolean;
}

export interface PresenceOptions {
  flushMs: number;
  /** Added to the wait between batches for every client online. */
  perPeerMs: number;
  maxNames: number;
}

interface Pending {
  /** The name shown at the last batch, or undefined when the key was offline then. */
  before: string | undefined;
  after: string | undefined;
}

export class PresenceFeed {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: PresenceOptions,
    private readonly online: () => number,
    private readonly publish: (change: PresenceChange) => void,
  ) {}

  joined(key: string, name: string): void {
    this.change(key, (entry) => (entry.after = name), undefined);
  }

  left(key: string, name: string): void {
    this.change(key, (entry) => (entry.after = undefined), name);
  }

  /** Sends what is pending now (used when the relay stops, and by tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const joined: string[] = [];
    const left: string[] = [];
    for (const { before, after } of this.pending.values()) {
      if (before === after) continue;
      if (before !== undefined) left.push(before);
      if (after !== undefined) joined.push(after);
    }
    this.pending.clear();
    if (joined.length + left.length === 0) return;
    const truncated = joined.length + left.length > this.options.maxNames;
    this.publish(truncated ? { joined: [], left: [], online: this.online(), truncated } : { joined, left, online: this.online(), truncated });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private change(key: string, apply: (entry: Pending) => void, wasOnlineAs: string | undefined): void {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { before: wasOnlineAs, after: wasOnlineAs };
      this.pending.set(key, entry);
    }
    apply(entry);
    this.timer ??= setTimeout(() => this.flush(), Math.max(this.options.flushMs, this.online() * this.options.perPeerMs));
  }
}
