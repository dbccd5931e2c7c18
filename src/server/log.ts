/** One readable line per event: time, event, who, details. Nothing a client sent can act on a terminal. */
import { escapeControls, quoted } from '../protocol/sanitize';
import { WindowCounter } from './windowCounter';

export type LogSink = (line: string) => void;

export type LogEvent =
  'listening' | 'join' | 'leave' | 'refused' | 'error' | 'closed' | 'stopping' | 'stopped' | 'muted' | 'class';

export interface LogLimit {
  /** Lines one connection may write per window before the rest is summed up. */
  lines: number;
  windowMs: number;
}

export class RelayLog {
  constructor(
    private readonly sink: LogSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

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
  private readonly counter: WindowCounter;
  private suppressed = 0;
  /** When the first line since the last summary was left out. */
  private suppressedSince = 0;

  constructor(
    protected readonly log: RelayLog,
    private readonly limit: LogLimit,
    private readonly clock: () => number,
  ) {
    this.counter = new WindowCounter(limit.lines, limit.windowMs, clock);
  }

  write(event: LogEvent, subject: string, detail?: string): void {
    if (this.counter.hit()) {
      if (this.suppressed === 0) this.suppressedSince = this.clock();
      this.suppressed++;
      return;
    }
    this.finish(subject);
    this.log.write(event, subject, detail);
  }

  /**
   * Lines of a registered client that must appear whatever the rate: joins, leaves, closes
   * (UnregisteredLog counts them).
   */
  always(event: LogEvent, subject: string, detail?: string): void {
    this.log.write(event, subject, detail);
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
  override always(event: LogEvent, subject: string, detail?: string): void {
    this.write(event, subject, detail);
  }

  protected override leftOut(_subject: string, count: number): void {
    this.log.write('muted', 'unregistered', `${count} more line(s) about connections without a name were left out`);
  }
}

/** Untrusted text for a log line: quoted, escaped, capped. */
export function printable(text: string, max = 80): string {
  return quoted(text, max);
}
