/**
 * What the relay allows each connection and in total. The defaults fit a class of thirty for a
 * whole lesson with room to spare, and keep one hostile client from exhausting the relay.
 * docs/reliability.md explains each limit.
 */
import { MAX_PENDING_OUTPUT_BYTES, WELCOME_NAMES } from '../protocol/limits';
import { DEFAULT_LOG_LIMIT, type LogLimit } from './log';
import type { OutputCap } from './outbound';
import type { PresenceOptions } from './presenceFeed';
import { DEFAULT_ID_MEMORY, type IdMemoryLimits } from './recentIds';
import { DEFAULT_RESUME, type ResumeLimits } from './registrations';
import type { RateLimit } from './tokenBucket';

export interface RelayPolicy {
  /** Connections open at once, registered or not. */
  maxConnections: number;
  /** Connections from one remote address: a class behind one NAT address shares it. */
  maxConnectionsPerAddress: number;
  /** How long a connection may stay without a registered name. */
  registrationTimeoutMs: number;
  /** A registered course client that sends nothing for this long is disconnected. */
  courseIdleMs: number;
  /** Framed clients are pinged when idle this long, and dropped after three such periods of silence. */
  keepaliveMs: number;
  /** After the relay ends a connection, the peer has this long to close its side before the socket is destroyed. */
  closeGraceMs: number;
  output: OutputCap;
  /** Protocol errors (bad frames, refused messages) one connection may cause per window before it is closed. */
  errors: { count: number; windowMs: number };
  /** Messages per sender. */
  rate: RateLimit;
  logLimit: LogLimit;
  ids: IdMemoryLimits;
  /** Presence changes are sent in batches, at most every `flushMs` (plus `perPeerMs` per client online), naming at most `maxNames` names per batch. */
  presence: PresenceOptions;
  /** Names listed in the welcome; the rest come in pages on request. */
  welcomeNames: number;
  /** What is kept for a framed client to resume its registration after its connection died. */
  resume: ResumeLimits;
  /** Teachers get the class roster at most this often. */
  rosterMs: number;
}

export const DEFAULT_POLICY: RelayPolicy = {
  maxConnections: 512,
  maxConnectionsPerAddress: 64,
  registrationTimeoutMs: 60_000,
  courseIdleMs: 2 * 60 * 60_000,
  keepaliveMs: 15_000,
  closeGraceMs: 2000,
  output: { messageBytes: MAX_PENDING_OUTPUT_BYTES, headroomBytes: 64 * 1024 },
  errors: { count: 20, windowMs: 10_000 },
  rate: { perMinute: 120, burst: 60 },
  logLimit: DEFAULT_LOG_LIMIT,
  ids: DEFAULT_ID_MEMORY,
  presence: { flushMs: 250, perPeerMs: 0.5, maxNames: 50 },
  welcomeNames: WELCOME_NAMES,
  resume: DEFAULT_RESUME,
  rosterMs: 1000,
};

export type PolicyOverrides = {
  [K in keyof RelayPolicy]?: RelayPolicy[K] extends object ? Partial<RelayPolicy[K]> : RelayPolicy[K];
};

export function resolvePolicy(overrides: PolicyOverrides = {}): RelayPolicy {
  const merged = { ...DEFAULT_POLICY } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = (DEFAULT_POLICY as unknown as Record<string, unknown>)[key];
    merged[key] = typeof base === 'object' && base !== null ? { ...base, ...(value as object) } : value;
  }
  return merged as unknown as RelayPolicy;
}
