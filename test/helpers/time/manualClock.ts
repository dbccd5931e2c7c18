import type { Clock, Disposable } from '../../../src/extension/ports';

/** A clock that moves only when the test moves it: timers run in order as it passes their time. */
export class ManualClock implements Clock {
  private time: number;
  private readonly timers: Array<{ at: number; run: () => void; cancelled: boolean }> = [];

  constructor(start = Date.UTC(2026, 2, 2, 9, 0, 0)) {
    this.time = start;
  }

  now(): Date {
    return new Date(this.time);
  }

  after(ms: number, run: () => void): Disposable {
    const timer = { at: this.time + ms, run, cancelled: false };
    this.timers.push(timer);
    return {
      dispose: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time on by `ms`, running each timer that falls due on the way, at its time. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => !timer.cancelled && timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.run();
    }
    this.time = end;
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }
}
