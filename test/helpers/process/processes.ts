/** Real child processes for tests: the relay CLI, the Python course re-creations, netcat. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT } from '../paths';
import { Waiters } from '../time/wait';

export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** The arguments that run `classroom-relay serve` on 127.0.0.1:`port` with `flags` (for start or run). */
export function serveArgs(port: number | string, ...flags: string[]): string[] {
  return [CLI, 'serve', '--host', '127.0.0.1', '--port', String(port), ...flags];
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Everything printed so far on stdout. */
  readonly stdout: string;
  readonly stderr: string;
  /** Waits until stdout has matched `pattern` (beyond what was consumed by earlier waits when `fresh`). */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  write(text: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const running = new Set<Child>();

/**
 * Every child gets its own (absent) dialect cache unless a test names one: what one test's CLI
 * learnt about a port must not steer another test's CLI on a reused port.
 */
let children = 0;
const ownDialectCache = () => join(tmpdir(), `relay-test-dialects-${globalThis.process.pid}-${++children}.json`);
/**
 * Every child gets its own state folder too (XDG_STATE_HOME): a relay started by a test keeps its
 * lesson there, never in the home of whoever runs the tests, and no two tests share one.
 */
const stateHomes = new Set<string>();
const ownStateHome = () => {
  const home = join(tmpdir(), `relay-test-state-${globalThis.process.pid}-${children}`);
  stateHomes.add(home);
  return home;
};

export function start(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Child {
  const process = spawn(command, args, {
    env: {
      ...globalThis.process.env,
      RELAY_DIALECT_CACHE: ownDialectCache(),
      XDG_STATE_HOME: ownStateHome(),
      ...options.env,
    },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Waiters();
  process.stdout.setEncoding('utf8').on('data', (data: string) => {
    stdout += data;
    waiters.notify();
  });
  process.stderr.setEncoding('utf8').on('data', (data: string) => {
    stderr += data;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    process.on('exit', (code, signal) => {
      waiters.notify();
      resolve({ code, signal });
    });
  });
  process.stdin.on('error', () => {});
  const child: Child = {
    process,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitFor(pattern, timeoutMs = 10_000) {
      return waiters.until(
        () => {
          const match =
            typeof pattern === 'string' ? (stdout.includes(pattern) ? pattern : undefined) : pattern.exec(stdout)?.[0];
          if (match !== undefined) return match;
          if (process.exitCode !== null || process.signalCode !== null)
            throw new Error(`${command} exited before printing ${pattern}; stdout: ${stdout}\nstderr: ${stderr}`);
          return undefined;
        },
        () => `${pattern} from ${command}; stdout: ${JSON.stringify(stdout)}\nstderr: ${stderr}`,
        timeoutMs,
      );
    },
    write(text) {
      process.stdin.write(text);
    },
    exited,
    async stop() {
      running.delete(child);
      if (process.exitCode === null && process.signalCode === null) {
        process.kill('SIGKILL');
        await exited;
      }
    },
  };
  running.add(child);
  return child;
}

/** Stops every child a test file started, and removes the state folders they were given; call from `after`. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
  for (const home of stateHomes) rmSync(home, { recursive: true, force: true });
  stateHomes.clear();
}

export async function run(
  command: string,
  args: string[],
  input?: string,
  timeoutMs = 20_000,
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(command, args, { env });
  if (input !== undefined) child.process.stdin.end(input);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  const { code } = await child.exited;
  clearTimeout(timer);
  running.delete(child);
  return { code, stdout: child.stdout, stderr: child.stderr };
}

export const runCli = (args: string[], input?: string) => run(process.execPath, [CLI, ...args], input);

/** One of the Python re-creations of the course's programs, from test/fixtures. */
export function python(script: string, args: Array<string | number>): Child {
  return start('python3', ['-u', join(FIXTURES, script), ...args.map(String)]);
}

/** Starts a Python course server on a free port and waits until it listens. */
export async function courseServer(
  script: 'course_server.py' | 'course_lan_server.py',
  port = 0,
): Promise<{ child: Child; port: number }> {
  const child = python(script, [port, '127.0.0.1']);
  const line = await child.waitFor(/Server läuft auf Port (\d+)/);
  return { child, port: Number(/(\d+)/.exec(line)![1]) };
}

/** The course client re-creation, registered as `name` on 127.0.0.1:`port` and waiting at its first prompt. */
export async function courseClient(port: number, name: string): Promise<Child> {
  const client = python('course_client.py', ['127.0.0.1', port]);
  client.write(`${name}\n`);
  await client.waitFor('Empfänger: ');
  return client;
}
