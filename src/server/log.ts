/** One readable line per event: time, event, who, details. Nothing a client sent can act on a terminal. */
import { escapeControls, quoted } from '../protocol/sanitize';
import { RELAY_DEFAULTS } from './policy/defaults';
import { WindowCounter } from './budgets/windowCounter';

export type LogSink = (line: string) => void;

export type LogEvent =
  | 'listening'
  | 'join'
  | 'leave'
  | 'refused'
  | 'error'
  | 'closed'
  | 'stopping'
  | 'stopped'
  | 'muted'
  | 'class'
  | 'cluster';

export interface LogLimit {
  /** Lines one connection may write per window before the rest is summed up. */
  lines: number;
  windowMs: number;
}

/**
 * What all connections' lines may add up to per window: those about registered clients coming
 * and going (per remote address and in all), and the other lines of registered connections
 * together (`connections`), each on top of a connection's own budget.
 */
export interface SharedLogLimit {
  perAddress: number;
  total: number;
  connections: number;
  windowMs: number;
}

const SHARED: SharedLogLimit = {
  perAddress: RELAY_DEFAULTS.joinLogLines.value,
  total: RELAY_DEFAULTS.joinLogTotal.value,
  connections: RELAY_DEFAULTS.logTotalLines.value,
  windowMs: RELAY_DEFAULTS.logWindowMs.value,
};

export class RelayLog {
  readonly comings: ComingsLog;
  /** The lines of all registered connections' own logs together. */
  readonly connections: LinesInAll;

  constructor(
    private readonly sink: LogSink,
    private readonly now: () => Date = () => new Date(),
    shared: SharedLogLimit = SHARED,
    clock: () => number = Date.now,
  ) {
    this.comings = new ComingsLog(this, shared, clock);
    this.connections = new LinesInAll(this, shared.connections, shared.windowMs, clock);
  }

  write(event: LogEvent, subject: string, detail?: string): void {
    const time = this.now()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    this.sink(`${time} ${event.padEnd(9)} ${escapeControls(subject)}${detail ? ` — ${escapeControls(detail)}` : ''}`);
  }

  /** A log for one connection: past `limit.lines` lines in a window, one line says how many were left out. */
  forConnection(limit: LogLimit, clock: () => number = Date.now): ConnectionLog {
    return new ConnectionLog(this, limit, clock);
  }

  /** The one log every connection writes to until it registers (see UnregisteredLog). */
  forUnregistered(limit: LogLimit, clock: () => number = Date.now): UnregisteredLog {
    return new UnregisteredLog(this, limit, clock);
  }
}

export class ConnectionLog {
  /** Made at the first line it counts: most registered connections write none but their join and leave. */
  private counter: WindowCounter | undefined;
  private suppressed = 0;
  /** When the first line since the last summary was left out. */
  private suppressedSince = 0;

  constructor(
    protected readonly log: RelayLog,
    private readonly limit: LogLimit,
    private readonly clock: () => number,
  ) {}

  write(event: LogEvent, subject: string, detail?: string): void {
    this.counter ??= new WindowCounter(this.limit.lines, this.limit.windowMs, this.clock);
    if (this.counter.hit()) {
      if (this.suppressed === 0) this.suppressedSince = this.clock();
      this.suppressed++;
      return;
    }
    this.finish(subject);
    if (this.sharesLines() && !this.log.connections.admit()) return;
    this.log.write(event, subject, detail);
  }

  /** Whether this log's lines count against the budget of all connections together. */
  protected sharesLines(): boolean {
    return true;
  }

  /** Where the client connects from, once it registered: its joins, leaves and closes count against that address. */
  private address: string | undefined;

  /**
   * Lines of a registered client that appear whatever its own rate: joins, leaves, closes. They
   * have a budget per address and in all (ComingsLog), so a host registering name after name
   * writes a few lines and a summary (UnregisteredLog counts them against its own budget).
   */
  always(event: LogEvent, subject: string, detail?: string): void {
    if (this.address !== undefined && (event === 'join' || event === 'leave' || event === 'closed'))
      this.log.comings.write(this.address, event, subject, detail);
    else this.log.write(event, subject, detail);
  }

  /** The client registered from `address`: this is its join line. */
  joined(address: string, subject: string, detail: string): void {
    this.address = address;
    this.always('join', subject, detail);
  }

  /** Says how many lines were left out, when the connection ends. */
  finish(subject: string): void {
    if (this.suppressed > 0) this.leftOut(subject, this.suppressed);
    this.suppressed = 0;
  }

  /** For a log that stays open: says how many lines were left out once a window has passed since the first of them. */
  summarize(subject: string): void {
    if (this.suppressed > 0 && this.clock() - this.suppressedSince >= this.limit.windowMs) this.finish(subject);
  }

  protected leftOut(subject: string, count: number): void {
    if (!this.log.connections.admit(count)) return;
    this.log.write('muted', subject, `${count} more line(s) of this connection were left out`);
  }
}

/**
 * Connections that have not registered share this one budget, and every line about them counts
 * against it, even those a registered client always gets: a host that opens thousands of
 * connections and never names itself (a TLS handshake on the plain port, garbage, silence until
 * the deadline) writes a few lines, and one line says how many were left out.
 */
export class UnregisteredLog extends ConnectionLog {
  /** It has a budget of its own, already shared by every connection without a name. */
  protected override sharesLines(): boolean {
    return false;
  }

  override always(event: LogEvent, subject: string, detail?: string): void {
    this.write(event, subject, detail);
  }

  protected override leftOut(_subject: string, count: number): void {
    this.log.write('muted', 'unregistered', `${count} more line(s) about connections without a name were left out`);
  }
}

/**
 * Joins, leaves and closes of registered clients: up to `perAddress` lines per address and
 * `total` in all per window; one line per window says how many were left out and from how many
 * addresses.
 */
export class ComingsLog {
  private readonly byAddress = new Map<string, { counter: WindowCounter; last: number }>();
  private readonly all: WindowCounter;
  private leftOut = 0;
  private readonly leftOutFrom = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;

  constructor(
    private readonly log: RelayLog,
    private readonly limit: SharedLogLimit,
    private readonly clock: () => number,
  ) {
    this.all = new WindowCounter(limit.total, limit.windowMs, clock);
  }

  write(address: string, event: LogEvent, subject: string, detail?: string): void {
    this.prune();
    let ofAddress = this.byAddress.get(address);
    if (!ofAddress) {
      ofAddress = { counter: new WindowCounter(this.limit.perAddress, this.limit.windowMs, this.clock), last: 0 };
      this.byAddress.set(address, ofAddress);
    }
    ofAddress.last = this.clock();
    // The address's own budget first: a host over it does not spend the others'.
    if (ofAddress.counter.hit() || this.all.hit()) {
      this.leftOut++;
      this.leftOutFrom.add(address);
      this.timer ??= setTimeout(() => this.summarize(), this.limit.windowMs).unref();
      return;
    }
    this.log.write(event, subject, detail);
  }

  /** Says how many lines were left out, if any. */
  summarize(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.leftOut === 0) return;
    this.log.write(
      'muted',
      'joins',
      `${this.leftOut} more join, leave or close line(s) from ${this.leftOutFrom.size} address(es) were left out`,
    );
    this.leftOut = 0;
    this.leftOutFrom.clear();
  }

  /** Counters of addresses quiet for a window are as good as new: forgotten once per window. */
  private prune(): void {
    const now = this.clock();
    if (now - this.lastPrune < this.limit.windowMs) return;
    this.lastPrune = now;
    for (const [address, { last }] of this.byAddress)
      if (now - last >= this.limit.windowMs) this.byAddress.delete(address);
  }
}

/**
 * The lines of all registered connections together, per window: thousands of connections each
 * within its own budget still write a bounded number of lines, and one line per window says how
 * many were left out.
 */
export class LinesInAll {
  private readonly counter: WindowCounter;
  private leftOut = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: RelayLog,
    limit: number,
    private readonly windowMs: number,
    clock: () => number,
  ) {
    this.counter = new WindowCounter(limit, windowMs, clock);
  }

  /**
   * Whether a line may be written; when not, it is counted as left out with the `lines` it stands
   * for (a connection's summary stands for the lines it sums up).
   */
  admit(lines = 1): boolean {
    if (!this.counter.hit()) return true;
    this.leftOut += lines;
    this.timer ??= setTimeout(() => this.summarize(), this.windowMs).unref();
    return false;
  }

  summarize(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.leftOut === 0) return;
    this.log.write('muted', 'connections', `${this.leftOut} more line(s) of registered connections were left out`);
    this.leftOut = 0;
  }
}

/** Untrusted text for a log line: quoted, escaped, capped. */
export function printable(text: string, max = 80): string {
  return quoted(text, max);
}
