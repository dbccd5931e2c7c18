/** Who is online and how a message gets from one peer to another, whatever their protocols. */
import type { AckStatus, RejectReason } from '../protocol/framed';
import { nameKey } from '../protocol/names';
import type { Envelope, Peer } from './peer';

export type RouteResult = { status: Extract<AckStatus, 'delivered' | 'unknown-peer'> } | { status: 'rejected'; reason: RejectReason };

const REMEMBERED_IDS_PER_NAME = 256;
const REMEMBERED_NAMES = 4096;

export class Hub {
  private readonly peers = new Map<string, Peer>();
  /** Outcomes of recent message ids per sender, so a resend after a reconnect is not delivered twice. */
  private readonly recentIds = new Map<string, Map<string, RouteResult>>();

  get online(): string[] {
    return [...this.peers.values()].map((peer) => peer.name).sort((a, b) => a.localeCompare(b));
  }

  get size(): number {
    return this.peers.size;
  }

  has(name: string): boolean {
    return this.peers.has(nameKey(name));
  }

  /** Registers a peer; false when the name is taken (the holder keeps it and its messages). */
  join(peer: Peer): boolean {
    const key = nameKey(peer.name);
    if (this.peers.has(key)) return false;
    this.peers.set(key, peer);
    for (const other of this.peers.values()) if (other !== peer) other.presence('join', peer.name);
    return true;
  }

  leave(peer: Peer): void {
    const key = nameKey(peer.name);
    if (this.peers.get(key) !== peer) return;
    this.peers.delete(key);
    for (const other of this.peers.values()) other.presence('leave', peer.name);
  }

  route(to: string, envelope: Envelope): RouteResult {
    const target = this.peers.get(nameKey(to.trim()));
    if (!target) return { status: 'unknown-peer' };
    const delivery = target.deliver(envelope);
    return delivery.ok ? { status: 'delivered' } : { status: 'rejected', reason: delivery.reason };
  }

  /** Sends to everyone but the sender; returns how many peers it reached. */
  broadcast(from: Peer, envelope: Envelope): number {
    let reached = 0;
    for (const peer of this.peers.values()) if (peer !== from && peer.deliver(envelope).ok) reached++;
    return reached;
  }

  /** The outcome of an id this sender used before, if it did. */
  previousOutcome(sender: string, id: string): RouteResult | undefined {
    return this.recentIds.get(nameKey(sender))?.get(id);
  }

  remember(sender: string, id: string, result: RouteResult): void {
    const key = nameKey(sender);
    let ids = this.recentIds.get(key);
    if (!ids) {
      if (this.recentIds.size >= REMEMBERED_NAMES) this.recentIds.delete(this.recentIds.keys().next().value!);
      ids = new Map();
      this.recentIds.set(key, ids);
    }
    ids.set(id, result);
    if (ids.size > REMEMBERED_IDS_PER_NAME) ids.delete(ids.keys().next().value!);
  }
}
