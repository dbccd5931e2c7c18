/**
 * What a lasting connection (connection.ts) tells its owner: its state, each message's delivery,
 * and why a connection dropped or a message failed, as codes the extension words.
 */
import type { RelayNode } from '../protocol/address';
import type { RejectReason, Snippet } from '../protocol/frames';
import type { CloseReason, Dialect, RelayError, RelayErrorCode, SessionEvent } from './types';

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: number }
  /** `node`: which of the relay's addresses the session is on, when it has more than one. */
  | { kind: 'connected'; dialect: Dialect; name: string; online: readonly string[]; node?: RelayNode }
  /**
   * `cause` says why, for a person to be told in their language; `reason` is the technical
   * detail, in English, for logs.
   */
  | { kind: 'waiting'; attempt: number; retryInMs: number; cause: DropCause; reason: string }
  | { kind: 'failed'; error: RelayError };

/** Why a connection dropped or a reconnect failed, as a code the extension words. */
export type DropCause =
  { kind: 'closed'; reason: CloseReason } | { kind: 'no-ack' } | { kind: 'connect-failed'; code: RelayErrorCode };

export type DeliveryState = 'pending' | 'delivered' | 'sent' | 'failed';

/**
 * `disconnected`: the connection was stopped (by the user, another window, or a teacher) before
 * the message went out.
 */
export type FailureCode = 'unknown-peer' | 'rejected' | 'not-supported' | 'disconnected';

export type OutgoingContent = { kind: 'text'; text: string } | { kind: 'snippet'; snippet: Snippet };

export interface Outgoing {
  readonly id: string;
  /** Undefined for a broadcast. */
  readonly to: string | undefined;
  readonly content: OutgoingContent;
}

export type ConnectionEvent =
  | { type: 'state'; state: ConnectionState }
  | { type: 'incoming'; event: Exclude<SessionEvent, { type: 'closed' }> }
  | { type: 'delivery'; id: string; state: DeliveryState; failure?: DeliveryFailure; recipients?: number };

/**
 * Why a message failed. `reason` is the relay's code for a refusal, for the extension to word;
 * `detail` is the relay's own English explanation, for logs.
 */
export interface DeliveryFailure {
  code: FailureCode;
  detail: string;
  reason?: RejectReason | 'send-failed';
}
