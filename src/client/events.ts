/** Where exceptions thrown by listeners are reported (the extension's log); the console while nobody takes them. */
const reporters = new Set<(error: unknown) => void>();

function reportListenerError(error: unknown): void {
  if (reporters.size === 0) console.error('classroom-relay: a listener failed:', error);
  for (const report of reporters) report(error);
}

/** Reports listeners' exceptions to `report` until the returned disposable is disposed. */
export function onListenerError(report: (error: unknown) => void): { dispose(): void } {
  const own = (error: unknown) => report(error);
  reporters.add(own);
  return { dispose: () => reporters.delete(own) };
}

/** Events held for a first listener, at most. */
const MAX_HELD = 1000;

/** A minimal typed event source whose subscriptions are disposables. */
export class Emitter<T> {
  private listeners = new Set<(event: T) => void>();
  private backlog: T[] | undefined;

  /**
   * With `holdUntilListened`, events fired while nobody listens are kept and handed to the
   * first listener: a session may receive messages in the same read as its registration,
   * before its owner has subscribed.
   */
  constructor(holdUntilListened = false) {
    if (holdUntilListened) this.backlog = [];
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
        reportListenerError(error);
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
