/**
 * 5,000 framed clients register with the relay, each staying connected and reading what the
 * relay sends (welcome, presence). Baseline: a bare Node server in its own process that answers
 * every hello with one line and nothing else, the floor any relay on this machine stands on.
 * Target: the relay registers 5,000 clients in under 5 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFrame } from '../src/protocol/frameCodec';
import { printTable, type BenchRow } from './table';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const CONCURRENCY = 250;
const ROOT = join(__dirname, '..', '..');

const BARE_SERVER = `
const net = require('node:net');
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  socket.once('data', () => socket.write('{"type":"welcome"}\\n'));
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

function startServer(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      output += data;
      const match = /port (\d+)|listening on port (\d+)/.exec(output) ?? /127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1] ?? match[2]) });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
}

function register(port: number, index: number, sockets: Socket[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    let seen = '';
    const onData = (data: Buffer) => {
      seen += data.toString('latin1');
      if (seen.includes('"welcome"')) {
        socket.off('data', onData);
        socket.on('data', () => {}); // keeps reading presence, as a client does
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        encodeFrame({
          type: 'hello',
          protocol: 'classroom-relay',
          versions: [1],
          name: `Student ${index}`,
          features: ['presence-batch'],
        }),
      ),
    );
  });
}

async function registerAll(port: number): Promise<{ seconds: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CLIENTS) await register(port, next++, sockets);
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, sockets };
}

/** CPU seconds (user + system) a process has used: less sensitive than wall time to what else the machine runs. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function run(args: string[]): Promise<{ seconds: number; cpu: number }> {
  const { child, port } = await startServer(args);
  try {
    const before = cpuSeconds(child.pid!);
    const { seconds, sockets } = await registerAll(port);
    const cpu = cpuSeconds(child.pid!) - before;
    for (const socket of sockets) socket.destroy();
    return { seconds, cpu };
  } finally {
    child.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const baseline = await run(['-e', BARE_SERVER]);
  const relay = await run([
    join(ROOT, 'dist', 'cli.js'),
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--max-connections',
    String(CLIENTS + 100),
    '--max-per-address',
    String(CLIENTS + 100),
    '--registration-burst',
    String(CLIENTS + 100),
  ]);
  const row = (operation: string, seconds: number, what: string, base?: BenchRow): BenchRow => ({
    operation,
    input: `${CLIENTS.toLocaleString('en-US')} clients, ${seconds.toFixed(2)} s ${what}`,
    microsPerCall: (seconds * 1e6) / CLIENTS,
    ...(base ? { baseline: base } : {}),
  });
  const bare = row('bare Node server: one line per hello', baseline.seconds, 'in all');
  printTable('Registering framed clients, wall time (ops/s = registrations per second; target: 5,000 in under 5 s)', [
    bare,
    row('classroom-relay serve', relay.seconds, 'in all', bare),
  ]);
  const bareCpu = row('bare Node server: one line per hello', baseline.cpu, 'of server CPU');
  printTable('The same, CPU time of the server process only', [
    bareCpu,
    row('classroom-relay serve', relay.cpu, 'of server CPU', bareCpu),
  ]);
  if (relay.seconds >= 5)
    console.log(
      `The relay took ${relay.seconds.toFixed(2)} s for ${CLIENTS} clients: over the 5 s target (load average now ${loadavg()[0]!.toFixed(1)}).`,
    );
}

void main();
