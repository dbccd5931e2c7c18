/**
 * Starts each kind of server fresh on 127.0.0.1, on a free port, pinned to the server's core, and
 * stops it: our relay (`serve --state none`, every limit that would interfere raised), the course
 * relay re-creation, ngircd and the floor.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { Dialect } from './jobs';
import type { FloorFault, ServerKind } from './plan';
import { SERVER_CORE, spawnPinned, stop } from './spawn';
import { writeNgircdConfig } from './ngircd';
import { sleep } from './window';

export const TEACHER_KEY = 'bench-teacher-key-0123';

/**
 * Our relay's limits raised so that they do not interfere: connections, per address (all clients
 * come from 127.0.0.1), registrations, unregistered connections, message and input rates.
 */
export const RELAY_RAISED = [
  ...['--max-connections', '20000', '--max-per-address', '20000'],
  ...['--max-unregistered', '20000', '--max-unregistered-per-address', '20000'],
  ...['--registrations-per-minute', '1000000', '--registration-burst', '100000'],
  ...['--rate', '1000000', '--rate-burst', '100000'],
  ...['--input-rate', '1000000', '--input-rate-per-address', '10000000'],
];

export const DIALECTS: Record<ServerKind, Dialect> = {
  course: 'course-python',
  ngircd: 'irc',
  floor: 'floor',
  'relay-line': 'course-line',
  'relay-pause': 'course-pause',
  'relay-framed': 'framed',
};

export interface ServerContext {
  root: string;
  /** Where the generator and forwarder bundles are. */
  bundles: string;
  tmp: string;
  ngircd?: string;
  floorFault: FloorFault;
  /** Clock ticks per second of /proc's CPU times. */
  ticks: number;
}

export interface RunningServer {
  pid: number;
  port: number;
  /** Its listen backlog (connections the kernel queues for it to accept), when `ss` could tell. */
  backlog?: number;
  /** The last of what it printed, for an error message. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function command(kind: ServerKind, port: number, context: ServerContext): string[] {
  switch (kind) {
    case 'course':
      return ['python3', join(context.root, 'test', 'fixtures', 'course_server.py'), String(port), '127.0.0.1'];
    case 'ngircd':
      if (!context.ngircd) throw new Error('ngircd is not available');
      return [context.ngircd, '-n', '-f', writeNgircdConfig(context.ngircd, context.tmp, port)];
    case 'floor':
      return [process.execPath, join(context.bundles, 'forwarder.proc.js'), String(port), context.floorFault];
    case 'relay-line':
    case 'relay-pause':
    case 'relay-framed':
      return [
        process.execPath,
        join(context.root, 'dist', 'cli.js'),
        'serve',
        ...['--host', '127.0.0.1', '--port', String(port), '--state', 'none', '--teacher-key', TEACHER_KEY],
        ...RELAY_RAISED,
      ];
  }
}

/**
 * The listen backlog of whatever listens on `port`: for a listening socket, `ss` shows it as the
 * send queue (the third column). ngircd listens with 10, Node with 511, Python with 128.
 */
export function listenBacklog(port: number): number | undefined {
  const listed = spawnSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
  const backlog = Number(listed.stdout?.trim().split(/\s+/)[2]);
  return listed.status === 0 && Number.isInteger(backlog) && backlog > 0 ? backlog : undefined;
}

/** Whether something accepts connections on the port yet. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startServer(kind: ServerKind, context: ServerContext): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawnPinned(SERVER_CORE, command(kind, port, context), ['ignore', 'pipe', 'pipe']);
  let output = '';
  const keep = (data: Buffer) => (output = (output + data.toString('utf8')).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = performance.now() + 15_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || performance.now() > deadline) {
      await stop(child);
      throw new Error(`${kind} did not start: ${output.trim()}`);
    }
    await sleep(50);
  }
  // Let the probe connection's traces (a log line, the course relay's empty name) pass before measuring.
  await sleep(200);
  return { pid: child.pid!, port, backlog: listenBacklog(port), output: () => output, stop: () => stop(child) };
}
