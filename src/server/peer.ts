import type { RejectReason, ServerFrame } from '../protocol/framed';
import type { PresenceChange } from './presenceFeed';

/** What one client sends another through the relay. */
export type Envelope = Extract<ServerFrame, { type: 'message' | 'snippet' | 'broadcast' }>;

export type Delivery = { ok: true } | { ok: false; reason: Extract<RejectReason, 'recipient-busy'> };

/** A registered client, whatever protocol it speaks. */
export interface Peer {
  readonly name: string;
  readonly dialect: 'relay' | 'course';
  /**
   * False for a connection that has gone silent past its keepalive: after the relay itself was
   * suspended, the peer has most likely reconnected elsewhere and this socket is dead, so a
   * message for it must not count as delivered.
   */
  readonly reachable: boolean;
  deliver(envelope: Envelope): Delivery;
  presence(change: PresenceChange): void;
}
