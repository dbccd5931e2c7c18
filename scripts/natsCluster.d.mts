// The types of scripts/natsCluster.mjs, for the tests that import it from TypeScript.

export interface NatsServer {
  /** `n1`, `n2`, … (its `-server_name`). */
  readonly name: string;
  readonly pid: number | undefined;
  /** `nats://127.0.0.1:PORT`, the address clients connect to. */
  readonly url: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT` of its monitoring endpoints (/varz, /jsz, /routez). */
  readonly monitorUrl: string;
  /** Its route listener when it is one of a cluster. */
  readonly clusterUrl: string | undefined;
  /** Its JetStream store. */
  readonly storeDir: string;
  /** Its log file. */
  readonly log: string;
  readonly running: boolean;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGKILL unless said otherwise); resolves when the process has ended. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has ended. */
  stop(): Promise<void>;
}

export interface NatsServers {
  /** The folder with each server's store and log. */
  readonly dir: string;
  readonly servers: readonly NatsServer[];
  readonly urls: readonly string[];
  /** Has `pid` (a process that uses these servers) ended too should this process die before stop(). */
  adopt(pid: number): void;
  /** Ends every server (and removes `dir` when the module made it); safe to call more than once. */
  stop(): Promise<void>;
}

export interface NatsServersOptions {
  /** How many servers: 1 is a lone server, more form a JetStream cluster named `relay`. */
  count?: number;
  /** Where the stores and logs go; by default a temporary folder that stop() removes. */
  dir?: string;
  /** Fixed client ports, one per server; by default free ones. */
  ports?: readonly number[];
  /** How long the servers may take to be ready (default 30 s). */
  timeoutMs?: number;
  /** The nats-server executable (default: findNatsServer()). */
  command?: string;
  /**
   * Tell clients nothing of the other servers (`--no_advertise`): a client reaches only the servers it was given,
   * as a machine behind a firewall that lets it reach one of them.
   */
  noAdvertise?: boolean;
}

export function startNatsServers(options?: NatsServersOptions): Promise<NatsServers>;

/** The nats-server to run: $NATS_SERVER, else the one on the PATH, else Debian's; undefined when there is none. */
export function findNatsServer(): string | undefined;

/** A port free on 127.0.0.1 at this moment. */
export function freePort(): Promise<number>;
