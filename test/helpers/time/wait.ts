/** Waiting for something that events will bring about, with a timeout that says what was missing. */
export class Waiters {
  private readonly checks = new Set<() => void>();

  notify(): void {
    for (const check of [...this.checks]) check();
  }

  /**
   * Resolves with the first non-undefined value of `probe`, re-run on every notify();
   * a probe that throws rejects. `describe` words the timeout.
   */
  until<T>(probe: () => T | undefined, describe: () => string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        try {
          const value = probe();
          if (value === undefined) return;
          finish();
          resolve(value);
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out: ${describe()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      this.checks.add(check);
      check();
    });
  }
}

/** Records every event a source fires, and lets a test wait for the one it expects. */
export function record<E>(subscribe: (listener: (event: E) => void) => unknown): { events: E[]; waiters: Waiters } {
  const events: E[] = [];
  const waiters = new Waiters();
  subscribe((event) => {
    events.push(event);
    waiters.notify();
  });
  return { events, waiters };
}

/**
 * Polls `probe` until it gives a value (for state that fires no event, like a count); the timeout says what was
 * missing.
 */
export async function eventually<T>(
  probe: () => T | undefined | false,
  describe: () => string,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
