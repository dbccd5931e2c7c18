/**
 * How a relay node reaches the engine: the NATS connection, the buckets and streams it keeps its
 * state in (made by the first node, opened by the others), and the timings of it all.
 */
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { ResumeLimits } from '../routing/registrations';
import { BUCKETS } from './clusterKeys';
import { retried } from './engineCalls';
import { HintStore } from './hintStore';
import { ResumeStore } from './resumeStore';
import { StandingBoard } from './standingBoard';

export interface ClusterOptions {
  /** NATS servers: `nats://host:port`, `tls://host:port`. */
  servers: string[];
  /** This node's id: unique in the cluster. */
  node: string;
  /** A NATS credentials file (user JWT and NKey seed). */
  credsFile?: string;
  /** A CA file for TLS to NATS. */
  caFile?: string;
  /** The relay's addresses, written with its heartbeat (for people looking at the bucket). */
  addresses?: string[];
  /** Copies of each bucket and stream the first node makes; default: as many servers as NATS advertises, at most 3. */
  replicas?: number;
}

/** The engine's timings, in one place. */
export const CLUSTER_DEFAULTS = {
  /** How often a node writes its heartbeat, and reads the others'. */
  heartbeatMs: 1000,
  /**
   * A node whose heartbeat is older than this is dead: its names are free, its members gone. Short,
   * so that its students register elsewhere within seconds; long enough for a busy node's pauses.
   */
  deadAfterMs: 5000,
  /** How long a claim, a release or a message to another node may take before it counts as failed. */
  requestMs: 2000,
  /** Claims older than this age out of the bucket: a node that died without a word leaves none for longer. */
  claimMaxAgeMs: 12 * 3600_000,
  /** How often a node writes its live claims again, so that a registration of a day keeps its name. */
  claimRefreshMs: 3600_000,
  /** Message ids of other nodes' senders remembered, so a resend through another node is not delivered twice. */
  deliveredIds: 100_000,
} as const;

export interface ClusterEvents {
  /** The engine became unreachable, or reachable again: a node that cannot reach it takes nobody. */
  availability(available: boolean, detail: string): void;
  log(text: string): void;
}

/** What the engine keeps of the messages handed to framed clients, for a resume on another node. */
export type KeptLimits = Pick<ResumeLimits, 'keepMs' | 'messages' | 'totalBytes'>;

/** Connects to the NATS servers; reconnects for ever, to whichever of them answers. */
export function connectEngine(options: ClusterOptions): Promise<NatsConnection> {
  return connect({
    servers: options.servers,
    name: `classroom-relay ${options.node}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: CLUSTER_DEFAULTS.requestMs,
    ...(options.credsFile ? { authenticator: credsAuthenticator(readFileSync(options.credsFile)) } : {}),
    ...(options.caFile ? { tls: { caFile: options.caFile } } : {}),
  });
}

/** What a node keeps in the engine: its buckets, and the stores of hints, registrations and standing. */
export interface Engine {
  buckets: { nodes: KV; names: KV; classes: KV };
  stores: { hints: HintStore; resumes: ResumeStore; standing: StandingBoard };
}

/** Opens (or makes, as the first node) the buckets and streams; refuses a second live node of the same id. */
export async function openEngine(
  connection: NatsConnection,
  options: ClusterOptions,
  kept: KeptLimits,
  log: (text: string) => void,
): Promise<Engine> {
  // Three copies of each bucket where the cluster has three servers or more (a cluster that
  // advertises none of its servers hides its size: the operator says it).
  const replicas = options.replicas ?? Math.min(3, 1 + (connection.info?.connect_urls?.length ?? 0));
  const timeout = CLUSTER_DEFAULTS.requestMs;
  // Listing a bucket's keys makes a consumer, which the engine may place on a server that is gone:
  // bounded like every other call, so that it cannot hold the heartbeat past the bucket's max age.
  const kvm = new Kvm(jetstream(connection, { timeout }));
  // Nodes that start together create the buckets together: the engine refuses some of those at first.
  // A bucket another version made (other settings) is used as it is.
  const bucket = (name: string, ttl: number) =>
    retried(() => kvm.create(name, { history: 1, ttl, replicas, timeout }).catch(() => kvm.open(name, { timeout })));
  const nodes = await bucket(BUCKETS.nodes, CLUSTER_DEFAULTS.deadAfterMs);
  const names = await bucket(BUCKETS.names, CLUSTER_DEFAULTS.claimMaxAgeMs);
  const classes = await bucket(BUCKETS.classes, 0);
  // Two live nodes of one name would take each other's claims for stale ones.
  const running = await nodes.get(options.node);
  const age = running?.operation === 'PUT' ? Date.now() - running.created.getTime() : Infinity;
  if (age < CLUSTER_DEFAULTS.deadAfterMs)
    throw new Error(
      `another relay node runs as "${options.node}" (its heartbeat is ${(age / 1000).toFixed(1)} s old): ` +
        'give each node its own --node, or start this one again once the old one stopped',
    );
  const hints = await HintStore.open(connection, options.node, replicas, log);
  const records = await bucket(BUCKETS.resume, CLUSTER_DEFAULTS.claimMaxAgeMs);
  const resumes = await ResumeStore.open(connection, records, options.node, replicas, kept, log);
  const standing = await StandingBoard.open(kvm, options.node, replicas, log);
  return { buckets: { nodes, names, classes }, stores: { hints, resumes, standing } };
}
