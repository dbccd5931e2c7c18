/** Errors as the Relay log writes them. */
import type { Log } from './ports';

/** An error as one entry of the log: its stack where it has one. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** Where an emitter's listeners' exceptions go: the Relay log, each as one entry. */
export function reportTo(log: Pick<Log, 'error'>): (error: unknown) => void {
  return (error) => log.error(describeError(error));
}

/** An error's message alone, for a sentence of the log that says what failed. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
