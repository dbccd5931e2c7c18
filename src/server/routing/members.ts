/**
 * Who is online in a room, on this node or another: each member under its name's key, the
 * look-alikes ("AIice" under the case-sensitive skeleton of "Alice"), the names in order for
 * paging, and presence in batches to everyone online (presenceFeed.ts).
 */
import { nameKeys } from '../../protocol/nameSkeleton';
import type { Peer } from './peer';
import { OnlineNames, type OnlinePage } from './onlineNames';
import { PresenceFeed, type PresenceOptions } from './presenceFeed';

export class Members {
  private readonly peers = new Map<string, Peer>();
  /** The case-sensitive skeleton of each name online, to its key. */
  private readonly lookalikes = new Map<string, string>();
  private readonly names = new OnlineNames();
  private readonly feed: PresenceFeed;

  constructor(presence: PresenceOptions) {
    this.feed = new PresenceFeed(
      presence,
      () => this.peers.size,
      (change) => {
        for (const peer of this.peers.values()) peer.presence(change);
      },
    );
  }

  get size(): number {
    return this.peers.size;
  }

  /** Every name online, in order. */
  get all(): string[] {
    return this.names.all();
  }

  get(key: string): Peer | undefined {
    return this.peers.get(key);
  }

  has(key: string): boolean {
    return this.peers.has(key);
  }

  entries(): IterableIterator<[string, Peer]> {
    return this.peers.entries();
  }

  values(): IterableIterator<Peer> {
    return this.peers.values();
  }

  add(key: string, peer: Peer): void {
    this.peers.set(key, peer);
    this.lookalikes.set(nameKeys(peer.name)[1], key);
    this.names.add(key, peer.name);
    this.feed.joined(key, peer.name);
  }

  remove(key: string, peer: Peer): void {
    this.peers.delete(key);
    const caseSensitive = nameKeys(peer.name)[1];
    if (this.lookalikes.get(caseSensitive) === key) this.lookalikes.delete(caseSensitive);
    this.names.remove(key);
    this.feed.left(key, peer.name);
  }

  /** The member holding `name` or a name that looks the same. */
  lookalike(name: string): Peer | undefined {
    const [key, caseSensitive] = nameKeys(name);
    const holderKey = this.peers.has(key) ? key : this.lookalikes.get(caseSensitive);
    return holderKey === undefined ? undefined : this.peers.get(holderKey);
  }

  /** Up to `limit` names after `after`, leaving out the key `except`. */
  page(limit: number, after: string | undefined, except: string): OnlinePage {
    return this.names.page(limit, after, except);
  }

  /** Sends pending presence now. */
  flush(): void {
    this.feed.flush();
  }

  dispose(): void {
    this.feed.dispose();
  }
}
