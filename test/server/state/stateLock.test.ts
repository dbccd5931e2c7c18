/**
 * One relay per state folder (src/server/state/stateLock.ts): a lock naming this very process
 * that it does not hold, or made before the machine started, is stale whatever process now has
 * its id; a lock is there only whole, with its process id; taking a stale lock over never removes
 * a lock another relay made in the meantime; nothing of an attempt is left in the folder.
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs, { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, uptime } from 'node:os';
import { join, resolve } from 'node:path';
import { LOCK_FILE, lockState, StateLocked } from '../../../src/server/state/stateLock';

/** A process id no process has (above any system's pid_max). */
const GONE = 2_147_483_646;

const folders: string[] = [];
after(() => {
  for (const made of folders) rmSync(made, { recursive: true, force: true });
});
const folder = () => {
  const made = mkdtempSync(join(tmpdir(), 'relay-lock-'));
  folders.push(made);
  return made;
};

const lockedBy = (pid: number | undefined) => (error: unknown) => error instanceof StateLocked && error.pid === pid;

type FsCall = (...args: unknown[]) => unknown;
type FsName =
  'openSync' | 'writeSync' | 'closeSync' | 'linkSync' | 'renameSync' | 'writeFileSync' | 'rmSync' | 'unlinkSync';

/** Runs `before` (with the call's arguments) and `afterwards` around each of these fs functions the relay calls. */
function around(
  t: TestContext,
  names: readonly FsName[],
  before: (args: unknown[]) => void,
  afterwards: () => void = () => {},
): void {
  let inside = false;
  for (const name of names) {
    const original = fs[name] as FsCall;
    t.mock.method(fs, name, (...args: unknown[]) => {
      // What `before` and `afterwards` call themselves is not looked at.
      if (inside) return original.apply(fs, args);
      inside = true;
      try {
        before(args);
      } finally {
        inside = false;
      }
      const result = original.apply(fs, args);
      inside = true;
      try {
        afterwards();
      } finally {
        inside = false;
      }
      return result;
    });
  }
}

test('a lock naming this process, which does not hold it, is taken over: its id came again after a reboot', () => {
  const dir = folder();
  const file = join(dir, LOCK_FILE);
  writeFileSync(file, String(process.pid));
  const lock = lockState(dir);
  assert.equal(readFileSync(file, 'utf8'), String(process.pid));
  assert.throws(() => lockState(dir), lockedBy(process.pid), 'held by this process now, it refuses a second relay');
  lock.release();
  assert.deepEqual(readdirSync(dir), [], 'released, the folder is empty');
  lock.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('a lock made before the machine started is taken over, even when a process with its id runs now', () => {
  const dir = folder();
  const file = join(dir, LOCK_FILE);
  // The parent (the test runner) runs: its id answers.
  writeFileSync(file, String(process.ppid));
  assert.throws(() => lockState(dir), lockedBy(process.ppid), 'made since the start, its running process holds it');
  assert.equal(readFileSync(file, 'utf8'), String(process.ppid));
  const beforeBoot = (Date.now() - uptime() * 1000 - 3_600_000) / 1000;
  utimesSync(file, beforeBoot, beforeBoot);
  const lock = lockState(dir);
  assert.equal(readFileSync(file, 'utf8'), String(process.pid));
  lock.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('a lock of a process that is gone, or naming none, is taken over', () => {
  for (const content of [String(GONE), '', 'not a process']) {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), content);
    const lock = lockState(dir);
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), String(process.pid), JSON.stringify(content));
    lock.release();
    assert.deepEqual(readdirSync(dir), []);
  }
});

test('a lock is never there without its process id: it is made whole, at once', (t) => {
  const dir = folder();
  const file = join(dir, LOCK_FILE);
  const seen: string[] = [];
  const names: FsName[] = ['openSync', 'writeSync', 'closeSync', 'linkSync', 'renameSync', 'writeFileSync'];
  around(
    t,
    names,
    () => {},
    () => {
      if (existsSync(file)) seen.push(readFileSync(file, 'utf8'));
    },
  );
  const lock = lockState(dir);
  t.mock.restoreAll();
  assert.ok(seen.length > 0, 'the lock was looked at');
  assert.deepEqual([...new Set(seen)], [String(process.pid)], 'each time it was there, it named its process');
  lock.release();
});

test('taking a stale lock over never removes the lock another relay made in its place meanwhile', (t) => {
  const dir = folder();
  const file = resolve(dir, LOCK_FILE);
  writeFileSync(file, String(GONE));
  let raced = false;
  // Just before the stale lock is removed or moved, another relay takes it over: its lock stands there now.
  around(t, ['rmSync', 'unlinkSync', 'renameSync'], ([path]) => {
    if (raced || typeof path !== 'string' || resolve(path) !== file) return;
    raced = true;
    fs.unlinkSync(file);
    fs.writeFileSync(join(dir, 'other.new'), String(process.ppid));
    fs.linkSync(join(dir, 'other.new'), file);
    fs.unlinkSync(join(dir, 'other.new'));
  });
  assert.throws(() => lockState(dir), lockedBy(process.ppid));
  t.mock.restoreAll();
  assert.ok(raced, 'the race was run');
  assert.equal(readFileSync(file, 'utf8'), String(process.ppid), 'the other relay keeps its lock');
  assert.deepEqual(readdirSync(dir), [LOCK_FILE], 'nothing of the attempt is left');
});

test('on a file system without hard links the lock is made all the same', (t) => {
  const dir = folder();
  t.mock.method(fs, 'linkSync', () => {
    throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
  });
  writeFileSync(join(dir, LOCK_FILE), String(GONE));
  const lock = lockState(dir);
  assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), String(process.pid));
  assert.throws(() => lockState(dir), lockedBy(process.pid));
  assert.deepEqual(readdirSync(dir), [LOCK_FILE]);
  lock.release();
  assert.deepEqual(readdirSync(dir), []);
});
