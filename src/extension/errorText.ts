/** Errors as the Relay log writes them. */

/** An error as one entry of the log: its stack where it has one. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** An error's message alone, for a sentence of the log that says what failed. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
