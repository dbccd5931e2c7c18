import type { Disposable } from './ports';

/**
 * Listeners of one kind of event. A listener that throws does not keep the others from hearing
 * the event, and its error is reported, not lost.
 */
export class Listeners<E> {
  private readonly listeners = new Set<(event: E) => void>();

  constructor(private readonly report: (error: unknown) => void) {}

  add(listener: (event: E) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.report(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** An error as one line of the log. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
