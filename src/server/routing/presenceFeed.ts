/**
 * Presence in batches: joins and leaves are collected and sent at most once per `flushMs`, so a
 * burst of N joins costs each client a bounded number of frames instead of N. A batch is one
 * write per client, so in a large room batches are spaced further apart (`perPeerMs` for each
 * client online): the cost of presence per second stays the same whatever the size of the room.
 *
 * A batch states where each name it mentions ended up: `joined` are online now, `left` are gone.
 * Someone who left and came back within one batch is listed as joined, since a client that
 * registered meanwhile may have been told they were gone. A batch naming more than `maxNames`
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
  /** The name shown at the last batch, when the key was online then. */
  before: string | undefined;
  /** The name shown now, when the key is online now. */
  after: string | undefined;
  /** The last name the key was online as, also when it came and went within the batch. */
  seen: string | undefined;
}

export class PresenceFeed {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly options: PresenceOptions,
    private readonly online: () => number,
    private readonly publish: (change: PresenceChange) => void,
  ) {}

  joined(key: string, name: string): void {
    const entry = this.entry(key, undefined);
    entry.after = name;
    entry.seen = name;
  }

  left(key: string, name: string): void {
    this.entry(key, name).after = undefined;
  }

  /** Sends what is pending now (used when the relay stops, and by tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const joined: string[] = [];
    const left: string[] = [];
    for (const { before, after, seen } of this.pending.values()) {
      if (after !== undefined) {
        if (before !== undefined && before !== after) left.push(before);
        joined.push(after);
      } else if (before !== undefined || seen !== undefined) {
        // Came and went within the batch: a client that registered meanwhile saw them online.
        left.push(seen ?? before!);
      }
    }
    this.pending.clear();
    if (joined.length + left.length === 0) return;
    const truncated = joined.length + left.length > this.options.maxNames;
    this.publish(
      truncated
        ? { joined: [], left: [], online: this.online(), truncated }
        : { joined, left, online: this.online(), truncated },
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  /** The pending change of `key`; a key not yet pending was online as `onlineAs` at the last batch. */
  private entry(key: string, onlineAs: string | undefined): Pending {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { before: onlineAs, after: onlineAs, seen: onlineAs };
      this.pending.set(key, entry);
    }
    if (!this.disposed)
      this.timer ??= setTimeout(
        () => this.flush(),
        Math.max(this.options.flushMs, this.online() * this.options.perPeerMs),
      );
    return entry;
  }
}
