import type { ServerFrame } from '../protocol/framed';

/** What one client sends another through the relay. */
export type Envelope = Extract<ServerFrame, { type: 'message' | 'snippet' | 'broadcast' }>;

export type Delivery = { ok: true } | { ok: false; reason: 'recipient-busy' };

/** A registered client, whatever protocol it speaks. */
export interface Peer {
  readonly name: string;
  readonly dialect: 'relay' | 'course';
  deliver(envelope: Envelope): Delivery;
  presence(event: 'join' | 'leave', name: string): void;
}
