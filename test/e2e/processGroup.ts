/** Child processes started in their own process group, so that stopping one stops everything it started. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let started = 0;

const groups = new Set<ChildProcess>();

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Types into the program's standard input (when started with `input`). */
  write(text: string): void;
  stop(): Promise<void>;
}

export function startGroup(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string; input?: boolean } = {},
): Started {
  // The CLI remembers each server's dialect; a run's ports come and go, so each program gets its own memory.
  const env = {
    RELAY_DIALECT_CACHE: join(tmpdir(), `relay-e2e-dialects-${process.pid}-${++started}.json`),
    ...(options.env ?? process.env),
  };
  const child = spawn(command, args, {
    env,
    cwd: options.cwd,
    detached: true,
    stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  child.stdin?.on('error', () => {});
  groups.add(child);
  let output = '';
  const file = options.logFile ? createWriteStream(options.logFile) : undefined;
  const keep = (data: Buffer) => {
    output += data.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
    file?.write(data);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    groups.delete(child);
    file?.end();
  });
  return {
    child,
    output: () => output,
    write(text) {
      child.stdin?.write(text);
    },
    async stop() {
      await killGroup(child, exited);
    },
  };
}

async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return;
  signal(child.pid, 'SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 3000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') signal(child.pid, 'SIGKILL');
  // Helpers the leader left behind (file watcher, agent host) are in the same group.
  signal(child.pid, 'SIGKILL');
  groups.delete(child);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pid, name);
  } catch {
    // The group is already gone.
  }
}

/** Kills every group still running: the last line of defence when a test run is interrupted. */
export function killAllGroups(): void {
  for (const child of groups) if (child.pid !== undefined) signal(child.pid, 'SIGKILL');
  groups.clear();
}

for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.once(name, () => {
    killAllGroups();
    process.exit(130);
  });
}
process.once('exit', killAllGroups);
