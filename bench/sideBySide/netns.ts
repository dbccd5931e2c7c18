/**
 * The suite measures in a network namespace of its own where the machine allows it (`unshare -n`
 * and `ip`, as root): its loopback is the same kernel on the same cores, but the kernel's TCP
 * counters (/proc/net/netstat, /proc/net/snmp) then count the suite's connections only, not the
 * rest of a shared machine's. The suite runs itself again inside one and passes its exit code on.
 * `BENCH_NETNS=0` keeps it in the machine's namespace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';

const INSIDE = 'BENCH_NETNS_INSIDE';

export function inOwnNamespace(): boolean {
  return process.env[INSIDE] === '1';
}

/** How the report names the network the counters come from. */
export function networkNote(): string {
  return inOwnNamespace()
    ? "loopback in a network namespace of its own (unshare -n): the TCP counters are the suite's alone"
    : "the machine's loopback: the TCP counters include other work on the machine";
}

function canUnshare(): boolean {
  if (process.env.BENCH_NETNS === '0') return false;
  return spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs this script again in a network namespace of its own, with `env` added, and resolves with
 * its exit code; undefined when the suite is inside one already or none can be made.
 */
export async function rerunInOwnNamespace(env: Record<string, string>): Promise<number | undefined> {
  if (inOwnNamespace() || !canUnshare()) return undefined;
  const script = 'ip link set lo up && exec "$@"';
  const command = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const child = spawn('unshare', ['-n', 'sh', '-c', script, 'sh', ...command], {
    stdio: 'inherit',
    env: { ...process.env, ...env, [INSIDE]: '1' },
  });
  const pass = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, pass(signal)] as const);
  // Before spawn.ts's own handlers, which end this process.
  for (const [signal, handler] of handlers) process.prependListener(signal, handler);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  for (const [name, handler] of handlers) process.off(name, handler);
  return code ?? (signal ? 128 : 1);
}
