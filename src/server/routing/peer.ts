/** A registered client as the hub sees it, whatever protocol it speaks, and what one client sends another. */
import type { Role, RosterEntry, Standing } from '../../protocol/classroom';
import type { RejectReason, ServerFrame } from '../../protocol/frames';
import type { PresenceChange } from './presenceFeed';

/** What one client sends another through the relay. */
export type Envelope = Extract<ServerFrame, { type: 'message' | 'snippet' | 'broadcast' }>;

/** `too-large`: the frame the recipient would get is over the frame limit (text that JSON escapes to more bytes). */
export type Delivery = { ok: true } | { ok: false; reason: Extract<RejectReason, 'recipient-busy' | 'too-large'> };

/** The outcomes of a delivery, one object each: a message costs no object to say how it fared. */
export const DELIVERED: Delivery = Object.freeze({ ok: true });
export const RECIPIENT_BUSY: Delivery = Object.freeze({ ok: false, reason: 'recipient-busy' });
export const TOO_LARGE: Delivery = Object.freeze({ ok: false, reason: 'too-large' });

/** A registered client, whatever protocol it speaks. */
export interface Peer {
  readonly name: string;
  readonly dialect: RosterEntry['dialect'];
  readonly role: Role;
  /** Where the client connects from: registrations kept after it leaves are counted per address. */
  readonly address: string;
  /** Address and port, as the roster shows it. */
  readonly remote: string;
  readonly connectedAt: number;
  /** `seq`: the message's number for this recipient, when its messages are numbered (a framed client's resume). */
  deliver(envelope: Envelope, seq?: number): Delivery;
  presence(change: PresenceChange): void;
  /** Another connection took this name over with the registration's resume token: this one closes. */
  replaced(): void;
  /** The client's own standing changed (hand, mute), or it just registered. */
  standingChanged(standing: Standing): void;
  /** The teachers' hints so far, for a client that just registered. */
  earlierHints(hints: Envelope[]): void;
  hintsCleared(by: string, at: string): void;
  /** The roster, encoded once for every teacher. */
  roster(frame: Uint8Array): void;
  /** A teacher disconnects this client, with a reason it is told. */
  kick(reason: string): void;
  /** The client's class (`code`) ended: it is told why and closed. */
  classEnded(code: string): void;
}
