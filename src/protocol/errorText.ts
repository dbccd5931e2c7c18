/** A caught error as one entry of a log: the relay's, the command line's and the extension's alike. */

/** Its stack where it has one (the stack starts with the name and message), else the error as text. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}
