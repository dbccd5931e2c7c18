/**
 * Starts the suite's processes: pinned to a core with taskset where the machine has two (the
 * server to core 0, the generators to core 1), with the open-file limit raised for thousands of
 * connections, and stopped when the suite ends however it ends.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;
const OPEN_FILES = 20_000;

const canPin = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const children = new Set<ChildProcess>();

/** Whether the server and the generators run each on a core of its own. */
export const pinned = (): boolean => canPin;

export function pinning(): string {
  return canPin ? 'server on core 0, generator on core 1 (taskset)' : 'not pinned (taskset missing or one core)';
}

/** Runs `command` through sh, which raises the open-file limit and then becomes it (exec): the pid is the command's. */
export function spawnPinned(core: number, command: string[], stdio: StdioOptions, cwd?: string): ChildProcess {
  const pin = canPin ? ['taskset', '-c', String(core)] : [];
  const script = `ulimit -n ${OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`;
  const child = spawn('sh', ['-c', script, 'sh', ...pin, ...command], { stdio, cwd });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Stops a child: SIGTERM, then SIGKILL if it has not gone after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
