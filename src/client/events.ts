/**
 * The product's one event source, and where listeners' exceptions go: to the emitter's own
 * `report`, or else to whoever takes them for the process (the extension's log), or else the
 * console. A listener that throws never keeps the others from hearing the event.
 */
const reporters = new Set<(error: unknown) => void>();

function reportListenerError(error: unknown): void {
  if (reporters.size === 0) console.error('classroom-relay: a listener failed:', error);
  for (const report of reporters) report(error);
}

/** Reports listeners' exceptions (of emitters without a `report` of their own) to `report` until disposed. */
export function onListenerError(report: (error: unknown) => void): { dispose(): void } {
  const own = (error: unknown) => report(error);
  reporters.add(own);
  return { dispose: () => reporters.delete(own) };
}

/** Events held for a first listener, at most. */
const MAX_HELD = 1000;

export interface EmitterOptions {
  /**
   * Events fired while nobody listens are kept and handed to the first listener: a session may
   * receive messages in the same read as its registration, before its owner has subscribed.
   */
  holdUntilListened?: boolean;
  /** Where this emitter's listeners' exceptions go, instead of onListenerError's reporters. */
  report?: (error: unknown) => void;
}

/** A minimal typed event source whose subscriptions are disposables. */
export class Emitter<T> {
  private listeners = new Set<(event: T) => void>();
  private backlog: T[] | undefined;
  private readonly report: (error: unknown) => void;

  constructor(options: EmitterOptions = {}) {
    if (options.holdUntilListened) this.backlog = [];
    this.report = options.report ?? reportListenerError;
  }

  on(listener: (event: T) => void): { dispose(): void } {
    this.listeners.add(listener);
    const held = this.backlog;
    if (held && held.length > 0) {
      this.backlog = undefined;
      // After the subscriber's own setup has finished.
      queueMicrotask(() => held.forEach((event) => this.fire(event)));
    } else {
      this.backlog = undefined;
    }
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(event: T): void {
    if (this.backlog && this.listeners.size === 0) {
      // A peer cannot make us hold without end what nobody listens to yet.
      if (this.backlog.length < MAX_HELD) this.backlog.push(event);
      return;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One faulty listener must not keep the others from hearing the event; it is reported, not swallowed.
        this.report(error);
      }
    }
  }

  /** Drops the listeners; events still held for a first listener stay held. */
  clear(): void {
    this.listeners.clear();
  }
}

let counter = 0;
/** A message id unique for this process and unlikely to repeat across restarts. */
export function newMessageId(): string {
  counter = (counter + 1) % 0x10000;
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
