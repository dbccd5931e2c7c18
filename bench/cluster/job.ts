/** What the relay-nodes bench asks of its load process, and what that process answers. */

export interface LoadJob {
  /** The relay nodes' ports on 127.0.0.1; client i connects to the node i modulo their number. */
  ports: number[];
  /** The nodes' process ids, whose resident memory is read around the registrations. */
  pids: number[];
  /** Every name of this job starts with it, so that no two jobs' names meet. */
  prefix: string;
  /** Clients registered (and given up) for the registration time. */
  registrations: number;
  /** Registrations under way at once. */
  concurrency: number;
  /** Clients of the loops, in pairs (2k sends to 2k+1 and back). */
  clients: number;
  /** Messages each client of the closed loop keeps unacknowledged. */
  inFlight: number;
  closedMs: number;
  /** Messages a second of the open loop, all clients together. */
  rate: number;
  openMs: number;
}

export interface LoadResult {
  registerMs: number;
  /** What the nodes' resident memory grew by per client registered, once the registrations were idle a moment. */
  idleBytesPerClient: number;
  closedPerSecond: number;
  closedMessages: number;
  openP50Ms: number;
  openP99Ms: number;
  openMessages: number;
  /** Messages lost, doubled or refused: any of them fails the bench. */
  problems: string[];
}
