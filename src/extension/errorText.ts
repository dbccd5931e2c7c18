/** Errors as the Relay log writes them. */

/** An error's message alone, for a sentence of the log that says what failed. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
