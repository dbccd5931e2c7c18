/** What the suite asks of a load generator process, and what the generator answers (one JSON line each way). */
import type { CheckCounts } from './checker';
import type { NetCounters } from './netCounters';
import type { LatencySummary } from './stats';

/** How the generator's clients speak to a server. */
export type Dialect =
  /** Our relay's framed protocol (JSON lines). */
  | 'framed'
  /** The course dialect, netcat style: the name and every message end with a newline. */
  | 'course-line'
  /** The course dialect, the course client's style: no newline, every message its own send followed by a pause. */
  | 'course-pause'
  /** The course relay re-creation: the name alone, then a pause, then netcat-style messages. */
  | 'course-python'
  | 'irc'
  /** The floor's fixed records: recipient index and length, then the body. */
  | 'floor';

interface JobBase {
  dialect: Dialect;
  port: number;
  /** The server's process, whose CPU time and memory the generator reads from /proc. */
  serverPid: number;
  /** Clock ticks per second of /proc/PID/stat's times (getconf CLK_TCK). */
  ticksPerSecond: number;
  /** The teacher key of our relay, for the broadcast. */
  teacherKey?: string;
  /** The generator exits with an error if it is still running this long after it started. */
  deadlineMs: number;
  /** Seed of the random choice of recipients, so runs are repeatable. */
  seed: number;
  /** Registrations under way at once at most. */
  window: number;
}

export interface ClosedLoopJob extends JobBase {
  workload: 'closed';
  clients: number;
  inFlight: number;
  size: number;
  warmupMs: number;
  windowMs: number;
}

export interface OpenLoopJob extends JobBase {
  workload: 'open';
  clients: number;
  /** Messages per second offered, in total. */
  rate: number;
  size: number;
  warmupMs: number;
  windowMs: number;
}

export interface BroadcastJob extends JobBase {
  workload: 'broadcast';
  recipients: number;
  repeats: number;
  size: number;
}

export interface IdleJob extends JobBase {
  workload: 'idle';
  clients: number;
  /** The longest to wait for the server's memory to settle after all registered. */
  settleMs: number;
}

export type Job = ClosedLoopJob | OpenLoopJob | BroadcastJob | IdleJob;

/** CPU time used during a measured window, in microseconds. */
export interface CpuWindow {
  serverUs: number;
  generatorUs: number;
  /** CPU time of every other process on the machine meanwhile: other work that competed for the cores. */
  othersUs: number;
  /** Of it, what they spent on the server's core and on the generator's, when the two are pinned to one each. */
  othersByCoreUs?: [server: number, generator: number];
  /** The longest the generator's timers ran late: time it did not run at all (5 ms or so when it always could). */
  generatorPauseUs?: number;
  wallUs: number;
  /** What the kernel's TCP counters grew by meanwhile: retransmissions, listen overflows, dropped packets. */
  net: NetCounters;
}

export interface ClosedLoopResult {
  workload: 'closed';
  delivered: number;
  cpu: CpuWindow;
  /** From a message's write until its recipient read it, for the messages delivered in the window. */
  toRecipientUs: LatencySummary;
  /** From a message's write until its sender read the server's ack (framed only: others have none). */
  ackUs?: LatencySummary;
  check: CheckCounts;
  /** Clients the server disconnected during the run. */
  dropped: number;
  /** Messages the server refused (framed `ack`s other than delivered, course error lines). */
  refused: number;
}

export interface OpenLoopResult {
  workload: 'open';
  /** The clients that shared the rate. */
  clients: number;
  delivered: number;
  latencyUs: LatencySummary;
  /** How late the generator wrote messages against their schedule: high when it could not keep up. */
  sendLagUs: LatencySummary;
  cpu: CpuWindow;
  check: CheckCounts;
  dropped: number;
  refused: number;
}

export interface BroadcastResult {
  workload: 'broadcast';
  /** Time from the teacher's write until the last recipient read it, one per repeat, in microseconds. */
  lastUs: number[];
  /** Time until registration and joining of all recipients, in microseconds. */
  setupUs: number;
  /** The kernel's TCP counters over that time. */
  setupNet: NetCounters;
  cpu: CpuWindow;
  check: CheckCounts;
  dropped: number;
  refused: number;
}

export interface IdleResult {
  workload: 'idle';
  /** The clients that tried, and those that registered. */
  clients: number;
  registered: number;
  /** From the first connect until the last client was registered, in microseconds. */
  registerUs: number;
  /** The kernel's TCP counters over that time: listen overflows and SYNs sent again show a backlog that overflowed. */
  registerNet: NetCounters;
  /** The server's CPU time over that time, in microseconds. */
  registerCpuUs: number;
  /** Registrations that were under way at once at most. */
  window: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  dropped: number;
}

export type JobResult = ClosedLoopResult | OpenLoopResult | BroadcastResult | IdleResult;
