/** One readable line per event: time, event, who, details. Nothing a client sent can act on a terminal. */
import { escapeControls, quoted } from '../protocol/sanitize';
import { WindowCounter } from './windowCounter';

export type LogSink = (line: string) => void;

export type LogEvent = 'listening' | 'join' | 'leave' | 'refused' | 'error' | 'closed' | 'stopping' | 'stopped' | 'muted' | 'class';

export interface LogLimit {
  /** Lines one connection may write per window before the rest is summed up. */
  lines: number;
  windowMs: number;
}

export const DEFAULT_LOG_LIMIT: LogLimit = { lines: 10, windowMs: 10_000 };

export class RelayLog {
  constructor(private readonly sink: LogSink, private readonly now: () => Date = () => new Date()) {}

  write(event: LogEvent, subject: string, detail?: string): void {
    const time = this.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    this.sink(`${time} ${event.padEnd(9)} ${escapeControls(subject)}${detail ? ` — ${escapeControls(detail)}` : ''}`);
  }

  /** A log for one connection: past `limit.lines` lines in a window, one line says how many were left out. */
  forConnection(limit: LogLimit = DEFAULT_LOG_LIMIT, clock: () => number = Date.now): ConnectionLog {
    return new ConnectionLog(this, limit, clock);
  }
}

export class ConnectionLog {
  private readonly counter: WindowCounter;
  private suppressed = 0;

  constructor(private readonly log: RelayLog, limit: LogLimit, clock: () => number) {
    this.counter = new WindowCounter(limit.lines, limit.windowMs, clock);
  }

  write(event: LogEvent, subject: string, detail?: string): void {
    if (this.counter.hit()) {
      this.suppressed++;
      return;
    }
    if (this.suppressed > 0) {
      this.log.write('muted', subject, `${this.suppressed} more line(s) of this connection were left out`);
      this.suppressed = 0;
    }
    this.log.write(event, subject, detail);
  }

  /** Lines that must appear whatever the rate: joins, leaves, closes. */
  always(event: LogEvent, subject: string, detail?: string): void {
    this.log.write(event, subject, detail);
  }

  /** Says how many lines were left out, when the connection ends. */
  finish(subject: string): void {
    if (this.suppressed > 0) this.log.write('muted', subject, `${this.suppressed} more line(s) of this connection were left out`);
    this.suppressed = 0;
  }
}

/** Untrusted text for a log line: quoted, escaped, capped. */
export function printable(text: string, max = 80): string {
  return quoted(text, max);
}
