/**
 * One relay per state folder: a lock file holding the relay's process id. It is made whole at
 * once (the id is written to a file of its own, which is then linked to the lock's name; the link
 * fails when a lock is there), so no relay reads a lock without its id. A lock is stale when it
 * names this very process but this process does not hold it (after a reboot, or in a container,
 * the same id comes again), when it was made before the machine last started, or when its
 * process is gone; otherwise the start is refused. A stale lock is moved aside before it is
 * removed, so that a lock another relay made in its place meanwhile is never removed.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { uptime } from 'node:os';
import { resolve } from 'node:path';
import { openIfThere } from './existingFile';

export const LOCK_FILE = 'relay.lock';

/** The machine's start is known to the second, and its clock may have been set since. */
const BOOT_SLACK_MS = 30_000;

/** File systems without hard links (FAT, exFAT) answer a link with one of these. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** The lock files this process holds now (two relays of one process on one folder are refused too). */
const held = new Set<string>();

/** Another relay (`pid`, when its lock names one) keeps its state in this folder. */
export class StateLocked extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `another relay${pid === undefined ? '' : ` (process ${pid})`} keeps its lesson in ${dir}; stop it, or give ` +
        'this one its own folder with --state DIR (or --state none to keep nothing)',
    );
  }
}

export interface StateLock {
  release(): void;
}

/** A lock file as found: the process it names (undefined: none), and which file it is. */
interface FoundLock {
  pid: number | undefined;
  ino: bigint;
  mtimeMs: number;
}

export function lockState(dir: string): StateLock {
  const file = resolve(dir, LOCK_FILE);
  const unique = `${file}.${process.pid}-${randomBytes(6).toString('hex')}`;
  const made = `${unique}.new`;
  writeFileSync(made, String(process.pid), { mode: 0o600, flag: 'wx' });
  try {
    if (!take(dir, file, made, `${unique}.stale`)) throw new StateLocked(dir, readLock(file)?.pid);
    held.add(file);
    const ino = readLock(file)?.ino;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        held.delete(file);
        // Only this lock: one another relay made since (had this one been taken over) stays.
        if (ino !== undefined && readLock(file)?.ino === ino) rmSync(file, { force: true });
      },
    };
  } finally {
    rmSync(made, { force: true });
  }
}

/** Links `made` to the lock's name, taking a stale lock over once; throws StateLocked for a lock held. */
function take(dir: string, file: string, made: string, aside: string): boolean {
  if (linked(made, file)) return true;
  const found = readLock(file);
  if (found === undefined) return linked(made, file);
  if (found.pid !== undefined && !isStale(file, found.pid, found.mtimeMs)) throw new StateLocked(dir, found.pid);
  try {
    if (movedAside(file, aside)) {
      const moved = readLock(aside);
      if (moved && (moved.ino !== found.ino || moved.pid !== found.pid)) {
        // Another relay took the stale lock over between the look and the move: its lock goes back.
        putBack(aside, file);
        throw new StateLocked(dir, moved.pid);
      }
    }
  } finally {
    rmSync(aside, { force: true });
  }
  return linked(made, file);
}

function isStale(file: string, pid: number, mtimeMs: number): boolean {
  if (pid === process.pid) return !held.has(file);
  if (mtimeMs < Date.now() - uptime() * 1000 - BOOT_SLACK_MS) return true;
  return !answers(pid);
}

/** Whether `from` could be linked to `to` (false: `to` is there). */
function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === undefined || !NO_LINKS.has(code)) throw error;
    return createdWithId(to);
  }
}

/** Without hard links, the lock is made with O_EXCL and its id written after: the best such a file system allows. */
function createdWithId(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** A lock moved aside by mistake goes back, unless a lock was made since (without hard links: back over it). */
function putBack(aside: string, file: string): void {
  try {
    linkSync(aside, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && NO_LINKS.has(code)) renameSync(aside, file);
    else if (code !== 'EEXIST') throw error;
  }
}

function movedAside(file: string, aside: string): boolean {
  try {
    renameSync(file, aside);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The lock at `file`, read and looked at through one descriptor; undefined when there is none. */
function readLock(file: string): FoundLock | undefined {
  const fd = openIfThere(file);
  if (fd === undefined) return undefined;
  try {
    const { ino, mtimeMs } = fstatSync(fd, { bigint: true });
    const buffer = Buffer.alloc(32);
    const text = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0)).trim();
    const pid = Number(text);
    const named = /^[1-9]\d*$/.test(text) && Number.isSafeInteger(pid);
    return { pid: named ? pid : undefined, ino, mtimeMs: Number(mtimeMs) };
  } finally {
    closeSync(fd);
  }
}

/** Whether a process `pid` runs (EPERM: it runs, as another user). */
function answers(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
