/** Errors as the Relay log writes them. */
import { errorDetail } from '../protocol/errorText';
import type { Log } from './ports';

/** Where an emitter's listeners' exceptions go: the Relay log, each as one entry. */
export function reportTo(log: Pick<Log, 'error'>): (error: unknown) => void {
  return (error) => log.error(errorDetail(error));
}

/** An error's message alone, for a sentence of the log that says what failed. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
