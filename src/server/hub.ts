/** Who is online and how a message gets from one peer to another, whatever their protocols. */
import type { AckStatus, RejectReason } from '../protocol/framed';
import { nameSkeleton } from '../protocol/names';
import type { Envelope, Peer } from './peer';
import { PresenceFeed, type PresenceChange, type PresenceOptions } from './presenceFeed';
import { RecentIds, type IdMemoryLimits } from './recentIds';
import { Roster, type RosterPage } from './roster';

export type RouteResult = { status: Extract<AckStatus, 'delivered' | 'unknown-peer'> } | { status: 'rejected'; reason: RejectReason };

export interface HubOptions {
  presence: PresenceOptions;
  ids: IdMemoryLimits;
}

export class Hub {
  private readonly peers = new Map<string, Peer>();
  private readonly roster = new Roster();
  private readonly presenceFeed: PresenceFeed;
  /** Outcomes of recent message ids per sender, so a resend after a reconnect is not delivered twice. */
  private readonly recentIds: RecentIds<RouteResult>;

  constructor(options: HubOptions) {
    this.presenceFeed = new PresenceFeed(options.presence, () => this.peers.size, (change) => this.publish(change));
    this.recentIds = new RecentIds(options.ids);
  }

  get online(): string[] {
    return this.roster.all();
  }

  get size(): number {
    return this.peers.size;
  }

  /** The key under which `name` is unique: its skeleton, so look-alikes share it. */
  keyOf(name: string): string {
    return nameSkeleton(name.trim());
  }

  /** The peer holding `name`, or holding a name that looks the same. */
  holder(name: string): Peer | undefined {
    return this.peers.get(nameSkeleton(name.trim()));
  }

  /** Registers a peer; false when the name, or one that looks the same, is taken (the holder keeps it). */
  join(peer: Peer): boolean {
    const key = nameSkeleton(peer.name);
    if (this.peers.has(key)) return false;
    this.peers.set(key, peer);
    this.roster.add(key, peer.name);
    this.presenceFeed.joined(key, peer.name);
    return true;
  }

  leave(peer: Peer): void {
    const key = nameSkeleton(peer.name);
    if (this.peers.get(key) !== peer) return;
    this.peers.delete(key);
    this.roster.remove(key);
    this.presenceFeed.left(key, peer.name);
  }

  /** A page of who is online, for `peer` (who is left out). */
  page(peer: Peer, limit: number, after?: string): RosterPage {
    return this.roster.page(limit, after, nameSkeleton(peer.name));
  }

  route(to: string, envelope: Envelope): RouteResult {
    const target = this.holder(to);
    if (!target || !target.reachable) return { status: 'unknown-peer' };
    const delivery = target.deliver(envelope);
    return delivery.ok ? { status: 'delivered' } : { status: 'rejected', reason: delivery.reason };
  }

  /** Sends to everyone but the sender; returns how many peers it reached. */
  broadcast(from: Peer, envelope: Envelope): number {
    let reached = 0;
    for (const peer of this.peers.values()) if (peer !== from && peer.reachable && peer.deliver(envelope).ok) reached++;
    return reached;
  }

  /** The outcome of an id this sender used before, if it did. */
  previousOutcome(sender: string, id: string): RouteResult | undefined {
    return this.recentIds.get(nameSkeleton(sender), id);
  }

  remember(sender: string, id: string, result: RouteResult): void {
    this.recentIds.remember(nameSkeleton(sender), id, result);
  }

  /** Sends pending presence now; the relay calls it before it stops. */
  flushPresence(): void {
    this.presenceFeed.flush();
  }

  dispose(): void {
    this.presenceFeed.dispose();
  }

  private publish(change: PresenceChange): void {
    for (const peer of this.peers.values()) peer.presence(change);
  }
}
