/** A minimal typed event source whose subscriptions are disposables. */
export class Emitter<T> {
  private listeners = new Set<(event: T) => void>();

  on(listener: (event: T) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One faulty listener must not keep the others from hearing the event.
      }
    }
  }

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
