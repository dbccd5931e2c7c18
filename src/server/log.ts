/** One readable line per event: time, event, who, details. */
export type LogSink = (line: string) => void;

export type LogEvent = 'listening' | 'join' | 'leave' | 'refused' | 'error' | 'stopping' | 'stopped';

export class RelayLog {
  constructor(private readonly sink: LogSink, private readonly now: () => Date = () => new Date()) {}

  write(event: LogEvent, subject: string, detail?: string): void {
    const time = this.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    this.sink(`${time} ${event.padEnd(9)} ${subject}${detail ? ` — ${detail}` : ''}`);
  }
}

/** Makes untrusted text safe for one log line: control characters shown as escapes, length capped. */
export function printable(text: string, max = 80): string {
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return shown;
}
