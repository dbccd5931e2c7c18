/**
 * A file replaced whole or not at all: written beside it, flushed to the disk, then renamed over
 * it. A crash at any moment leaves the previous file or the new one, each complete.
 */
import { open, rename, rm } from 'node:fs/promises';

export async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
