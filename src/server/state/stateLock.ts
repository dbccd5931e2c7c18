/**
 * One relay per state folder: a lock file holding the relay's process id, made with O_EXCL. A
 * lock whose process is gone is stale and taken over; one whose process runs refuses the start.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'relay.lock';

/** Another relay (`pid`) keeps its state in this folder. */
export class StateLocked extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `another relay (process ${pid}) keeps its lesson in ${dir}; stop it, or give this one its own folder ` +
        'with --state DIR (or --state none to keep nothing)',
    );
  }
}

export interface StateLock {
  release(): void;
}

export function lockState(dir: string): StateLock {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => release(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = holderOf(file);
      if (holder !== undefined && running(holder)) throw new StateLocked(dir, holder);
      rmSync(file, { force: true });
    }
  }
}

function release(file: string): void {
  if (holderOf(file) === process.pid) rmSync(file, { force: true });
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
