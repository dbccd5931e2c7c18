import type { RejectReason, ServerFrame } from '../protocol/framed';
import type { PresenceChange } from './presenceFeed';

/** What one client sends another through the relay. */
export type Envelope = Extract<ServerFrame, { type: 'message' | 'snippet' | 'broadcast' }>;

export type Delivery = { ok: true } | { ok: false; reason: Extract<RejectReason, 'recipient-busy'> };

/** A registered client, whatever protocol it speaks. */
export interface Peer {
  readonly name: string;
  readonly dialect: 'relay' | 'course';
  /** Where the client connects from: registrations kept after it leaves are counted per address. */
  readonly address: string;
  deliver(envelope: Envelope): Delivery;
  presence(change: PresenceChange): void;
  /** Another connection took this name over with the registration's resume token: this one closes. */
  replaced(): void;
}
