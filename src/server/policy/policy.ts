/**
 * What the relay allows each connection and in total, as the relay's parts take it; the figures
 * are the defaults table's (defaults.ts), which docs/reliability.md explains. A relay started
 * with overrides (flags of `serve`, options of a hosted classroom) changes some of them.
 */
import { RELAY_DEFAULTS, type DefaultName } from './defaults';
import type { InputLimit } from '../budgets/inputGate';
import type { LogLimit } from '../log';
import type { OutputCap } from '../budgets/outbound';
import type { OutputTotal } from '../budgets/outputPool';
import type { PresenceOptions } from '../routing/presenceFeed';
import type { IdMemoryLimits } from '../routing/recentIds';
import type { ResumeLimits } from '../routing/registrations';
import type { RateLimit } from '../budgets/tokenBucket';

export interface RelayPolicy {
  /** Connections open at once, registered or not. */
  maxConnections: number;
  /** Connections from one remote address: a class behind one NAT address shares it. */
  maxConnectionsPerAddress: number;
  /** How long a connection may stay without a registered name. */
  registrationTimeoutMs: number;
  /** Connections without a name yet: in total, per address, and how long one may stay without a byte. */
  unregistered: { total: number; perAddress: number; silentMs: number };
  /** What every frame or line a connection sends costs it and its address. */
  input: InputLimit;
  /** Output waiting for all clients together. */
  outputTotal: OutputTotal;
  /** A registered course client that sends nothing for this long is disconnected. */
  courseIdleMs: number;
  /** Framed clients are pinged when idle this long, and dropped after `keepaliveMisses` such periods of silence. */
  keepaliveMs: number;
  /**
   * After the relay ends a connection, the peer has this long to close its side before the
   * socket is destroyed.
   */
  closeGraceMs: number;
  output: OutputCap;
  /** Protocol errors (bad frames, refused messages) one connection may cause per window before it closes. */
  errors: { count: number; windowMs: number };
  /** Messages per sender. */
  rate: RateLimit;
  /** Names registered per remote address (a resume: per name). */
  registrations: RateLimit;
  /** Pages of who is online per client, apart from its messages. */
  who: RateLimit;
  logLimit: LogLimit;
  ids: IdMemoryLimits;
  /**
   * Presence changes are sent in batches, at most every `flushMs` (plus `perPeerMs` per client
   * online), naming at most `maxNames` names per batch.
   */
  presence: PresenceOptions;
  /** Names listed in the welcome; the rest come in pages on request. */
  welcomeNames: number;
  /** What is kept for a framed client to resume its registration after its connection died. */
  resume: ResumeLimits;
  /** Teachers get the class roster at most this often. */
  rosterMs: number;
  /** A kept lesson (state/): written at most every `writeMs`; older than `lessonMs`, not restored. */
  state: { writeMs: number; lessonMs: number };
  /** Classes beside the default one: in all, made per address (creation open), and how long one may go unused. */
  classes: { max: number; perAddress: number; idleMs: number };
  /** Members of one class at once (the default class is bounded by the relay's own bounds). */
  maxConnectionsPerClass: number;
  /**
   * Ids remembered, resume bytes and departed registrations kept by all classes together (each
   * class also within `ids` and `resume`).
   */
  relayWide: { ids: number; resumeBytes: number; departed: number };
}

/** The figures a table of defaults gives the policy, each from the default of its name. */
export type DefaultFigures = { readonly [K in DefaultName]: { readonly value: number } };

/** The policy a table of defaults makes: each field from its own default, none written here. */
export function policyFrom(D: DefaultFigures): RelayPolicy {
  return {
    maxConnections: D.maxConnections.value,
    maxConnectionsPerAddress: D.maxConnectionsPerAddress.value,
    registrationTimeoutMs: D.registrationTimeoutMs.value,
    unregistered: {
      total: D.maxUnregistered.value,
      perAddress: D.maxUnregisteredPerAddress.value,
      silentMs: D.silentMs.value,
    },
    input: {
      perSecond: D.inputPerSecond.value,
      burst: D.inputBurst.value,
      addressPerSecond: D.inputPerAddress.value,
      addressBurst: D.inputAddressBurst.value,
      holdMs: D.inputHoldMs.value,
    },
    outputTotal: {
      messageBytes: D.outputTotalBytes.value,
      headroomBytes: D.outputTotalHeadroomBytes.value,
      reserveBytes: D.outputReserveBytes.value,
    },
    courseIdleMs: D.courseIdleMs.value,
    keepaliveMs: D.keepaliveMs.value,
    closeGraceMs: D.closeGraceMs.value,
    output: { messageBytes: D.outputMessageBytes.value, headroomBytes: D.outputHeadroomBytes.value },
    errors: { count: D.errorCount.value, windowMs: D.errorWindowMs.value },
    rate: { perMinute: D.ratePerMinute.value, burst: D.rateBurst.value },
    registrations: { perMinute: D.registrationsPerMinute.value, burst: D.registrationBurst.value },
    who: { perMinute: D.whoPerMinute.value, burst: D.whoBurst.value },
    logLimit: { lines: D.logLines.value, windowMs: D.logWindowMs.value },
    ids: {
      perSender: D.idsPerSender.value,
      perAddress: D.idsPerAddress.value,
      ttlMs: D.idsTtlMs.value,
      total: D.idsTotal.value,
    },
    presence: {
      flushMs: D.presenceFlushMs.value,
      perPeerMs: D.presencePerPeerMs.value,
      maxNames: D.presenceMaxNames.value,
    },
    welcomeNames: D.welcomeNames.value,
    resume: {
      keepMs: D.resumeKeepMs.value,
      messages: D.resumeMessages.value,
      bytes: D.resumeBytes.value,
      totalBytes: D.resumeTotalBytes.value,
      offlinePerAddress: D.resumeOfflinePerAddress.value,
      offlineTotal: D.resumeOfflineTotal.value,
      holdMs: D.resumeHoldMs.value,
    },
    rosterMs: D.rosterMs.value,
    state: { writeMs: D.stateWriteMs.value, lessonMs: D.lessonStateMs.value },
    classes: { max: D.maxClasses.value, perAddress: D.maxClassesPerAddress.value, idleMs: D.classIdleMs.value },
    maxConnectionsPerClass: D.maxConnectionsPerClass.value,
    relayWide: {
      ids: D.idsAllClasses.value,
      resumeBytes: D.resumeAllClassesBytes.value,
      departed: D.resumeOfflineAllClasses.value,
    },
  };
}

export const DEFAULT_POLICY: RelayPolicy = policyFrom(RELAY_DEFAULTS);

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
