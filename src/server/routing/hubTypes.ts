/** What a room (routing/hub.ts) is made with, and how a registration and a message fare there. */
import type { AckStatus, RejectReason } from '../../protocol/frames';
import type { Envelope } from './peer';
import type { PresenceOptions } from './presenceFeed';
import type { IdMemoryLimits } from './recentIds';
import type { ResumeLimits } from './registrations';
import type { ClassroomOptions } from '../classroom/classroom';
import type { RateLimiter } from '../budgets/rateLimiter';
import type { RateLimit } from '../budgets/tokenBucket';
import type { RelayShares } from '../budgets/sharedBudget';

export type RouteResult =
  { status: Extract<AckStatus, 'delivered' | 'unknown-peer'> } | { status: 'rejected'; reason: RejectReason };

export interface HubOptions {
  presence: PresenceOptions;
  ids: IdMemoryLimits;
  resume: ResumeLimits;
  classroom: ClassroomOptions;
  /**
   * Registrations (new ones and resumes) per remote address, so one host cannot make the relay
   * shout presence: one limiter for every room of the relay, so joining many classes buys no more.
   */
  registrations: RateLimiter;
  /** Pages of who is online one client may ask for, apart from its messages' rate. */
  who: RateLimit;
  /** The room's class code ('' for the default class): the same name in two classes is two senders. */
  room?: string;
  /** The relay-wide bounds of ids and resume bytes that every room shares (budgets/sharedBudget.ts). */
  shares?: RelayShares;
}

export type JoinResult =
  | { ok: true; token?: string; resumed: boolean; missed: Envelope[] }
  /** `held`: nobody is online under the name, but it is held for a client that lost its connection a moment ago. */
  | { ok: false; refused: 'taken'; holder: string; held: boolean }
  /**
   * Not now, try again in `waitMs`: too many registrations from the client's address lately, or
   * every registration the relay may keep holds the name of a client that lost its connection.
   */
  | { ok: false; refused: 'too-many-registrations' | 'names-held'; waitMs: number }
  /** This relay is a node of several and cannot reach the others: it takes nobody until it can. */
  | { ok: false; refused: 'unavailable'; detail: string };
