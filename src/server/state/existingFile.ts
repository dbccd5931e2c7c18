/** Opening a file of the state folder that may not be there (the lesson, the lock). */
import { openSync } from 'node:fs';

/** A descriptor of `file` open for reading; undefined when there is no such file. */
export function openIfThere(file: string): number | undefined {
  try {
    return openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
