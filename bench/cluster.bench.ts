/**
 * Relay nodes joined through NATS against one relay alone, in one run: (a) one node without NATS
 * (the baseline), (b) one node with NATS, all clients on it, (c) two nodes with NATS, the clients
 * split so that every message goes to a client of the other node. NATS is three servers on this
 * machine, as in production (scripts/natsCluster.mjs); the nodes are `serve` with its limits raised
 * as in the side-by-side suite; the load comes from a process of its own (cluster/load.proc.ts).
 * For each: delivered messages a second in a closed loop, p50/p99 of sender → recipient in an open
 * loop at a fixed rate, and the time for many clients to register. A message lost, refused or
 * delivered twice fails the bench. `BENCH_QUICK=1` makes a short pass.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { findNatsServer, startNatsServers, type NatsServers } from '../scripts/natsCluster.mjs';
import type { LoadJob, LoadResult } from './cluster/job';
import { RELAY_RAISED, TEACHER_KEY } from './sideBySide/servers';
import { stop } from './sideBySide/spawn';

const ROOT = join(__dirname, '..', '..');
/** The machine is shared: how busy it was when the bench began is part of its figures. */
const LOAD_AT_START = loadavg()[0]!.toFixed(2);
const CLI = join(ROOT, 'dist', 'cli.js');
const LOAD = join(__dirname, 'cluster', 'load.proc.js');
const QUICK = process.env.BENCH_QUICK === '1';
/** The load process ends by itself; this is for one that hangs. */
const LOAD_TIMEOUT_MS = 120_000;

const WORK: Omit<LoadJob, 'ports' | 'pids' | 'prefix'> = {
  registrations: QUICK ? 200 : 1000,
  concurrency: 50,
  clients: 50,
  inFlight: 4,
  closedMs: QUICK ? 1500 : 5000,
  rate: 1000,
  openMs: QUICK ? 1500 : 5000,
};

/** A short pass before the measured ones. */
const WARM_UP: Partial<LoadJob> = { registrations: 100, clients: 4, closedMs: 300, openMs: 300 };

interface Setup {
  id: 'a' | 'b' | 'c' | 'w';
  label: string;
  nodes: number;
  nats: boolean;
}

const SETUPS: Setup[] = [
  { id: 'a', label: '(a) one node, no NATS', nodes: 1, nats: false },
  { id: 'b', label: '(b) one node, NATS', nodes: 1, nats: true },
  { id: 'c', label: '(c) two nodes, NATS, across', nodes: 2, nats: true },
];

interface Node {
  child: ChildProcess;
  port: number;
}

/** `serve` on a free port, alone or as node `name` of the cluster; resolves once it takes clients. */
function startNode(name: string, nats: NatsServers | undefined): Promise<Node> {
  const cluster = nats ? ['--nats', nats.urls.join(','), '--node', name] : [];
  const args = [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', '--state', 'none', '--teacher-key', TEACHER_KEY];
  const child = spawn(process.execPath, [...args, ...RELAY_RAISED, ...cluster], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) nats?.adopt(child.pid);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${name} did not start: ${output}`));
    }, 30_000);
    const read = (data: Buffer) => {
      output = (output + data.toString('utf8')).slice(-4000);
      const port = /listening on port (\d+)/.exec(output)?.[1];
      if (port && output.includes('Stop with Ctrl+C.')) {
        clearTimeout(timer);
        // Its log is not read any further, but must not fill the pipe.
        child.stdout?.removeListener('data', read);
        child.stdout?.resume();
        resolve({ child, port: Number(port) });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (data: Buffer) => (output = (output + data.toString('utf8')).slice(-4000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node ${name} exited (${code}): ${output}`));
    });
  });
}

function runLoad(job: LoadJob): Promise<LoadResult> {
  const child = spawn(process.execPath, [LOAD, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => (output += data));
  const timer = setTimeout(() => child.kill('SIGKILL'), LOAD_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = output.trim().split('\n').pop() ?? '';
      try {
        const answer = JSON.parse(last) as LoadResult | { error: string };
        if ('error' in answer) reject(new Error(`load of ${job.prefix}: ${answer.error}`));
        else resolve(answer);
      } catch {
        reject(new Error(`load of ${job.prefix} ended (${code ?? signal}) without a result: ${output.slice(-500)}`));
      }
    });
  });
}

async function measure(setup: Setup, nats: NatsServers, work: Partial<LoadJob> = {}): Promise<LoadResult> {
  const nodes: Node[] = [];
  try {
    for (let index = 0; index < setup.nodes; index++)
      nodes.push(await startNode(`bench-${setup.id}${index}`, setup.nats ? nats : undefined));
    const pids = nodes.map((node) => node.child.pid!);
    return await runLoad({ ...WORK, ...work, ports: nodes.map((node) => node.port), pids, prefix: setup.id });
  } finally {
    await Promise.all(nodes.map((node) => stop(node.child)));
  }
}

const fixed = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** How a setup compares with the baseline, as a factor of the baseline's figure. */
const ratio = (value: number, baseline: number) => `×${fixed(value / baseline, 2)}`;

function table(columns: string[], rows: string[][]): string {
  const widths = columns.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(columns), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function natsVersion(command: string): string {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

async function main(): Promise<void> {
  const command = findNatsServer();
  if (!command) throw new Error('nats-server is not installed (Debian: apt-get install nats-server)');
  const nats = await startNatsServers({ count: 3 });
  const results = new Map<Setup['id'], LoadResult>();
  try {
    // The nodes make the buckets when the first of them joins, and the engine elects their leaders then:
    // a short pass first, unmeasured, so that (b) does not pay for it.
    await measure({ id: 'w', label: 'warm-up', nodes: 1, nats: true }, nats, WARM_UP);
    for (const setup of SETUPS) {
      console.log(`${setup.label} …`);
      results.set(setup.id, await measure(setup, nats));
    }
  } finally {
    await nats.stop();
  }
  const [a, b, c] = SETUPS.map((setup) => results.get(setup.id)!) as [LoadResult, LoadResult, LoadResult];
  const measures: Array<[string, (result: LoadResult) => number, number]> = [
    ['messages delivered per second (closed loop)', (result) => result.closedPerSecond, 0],
    [`latency p50, ms (open loop, ${WORK.rate} msg/s)`, (result) => result.openP50Ms, 2],
    [`latency p99, ms (open loop, ${WORK.rate} msg/s)`, (result) => result.openP99Ms, 2],
    [`${WORK.registrations} clients registered, s`, (result) => result.registerMs / 1000, 2],
    ['memory per idle registered client, KB (all nodes)', (result) => result.idleBytesPerClient / 1024, 1],
  ];
  const columns = ['measure', ...SETUPS.map((setup) => setup.label), '(b) / (a)', '(c) / (a)'];
  const rows = measures.map(([what, figure, digits]) => [
    what,
    ...[a, b, c].map((result) => fixed(figure(result), digits)),
    ratio(figure(b), figure(a)),
    ratio(figure(c), figure(a)),
  ]);
  const cpu = cpus();
  const title = 'Relay nodes joined through NATS, against one relay alone';
  const notes = [
    `All on this machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${natsVersion(command)}; three NATS servers with JetStream (claims kept with three replicas), the relay nodes, and one load process${QUICK ? '; a quick pass' : ''}. The setups run one after another, after an unmeasured short pass with NATS that makes the buckets; load average (1 min) at the start ${LOAD_AT_START}.`,
    `Closed loop: ${WORK.clients} framed clients in pairs, each with ${WORK.inFlight} messages of ${64} bytes unacknowledged, for ${WORK.closedMs / 1000} s; a message counts once its sender has the acknowledgement "delivered". In (c) the two of a pair are on different nodes, so every message crosses NATS.`,
    `Open loop: ${WORK.rate} messages a second over the same pairs for ${WORK.openMs / 1000} s; latency from the moment a message was due to its arrival at the recipient (one clock: the load process holds both ends).`,
    `Registrations: ${WORK.registrations} framed clients, ${WORK.concurrency} at a time, from the connection to the welcome (with NATS: the name claimed in the relay_names bucket); in (c) half on each node.`,
    `Memory: what the nodes' resident sets grew by while the ${WORK.registrations} registered clients were connected and idle for 3 s, per client (garbage of the registrations included, so an upper bound; docs/benchmarks.md measures one relay's idle memory over 30 s). With NATS, a registration also keeps its claim and its record in the engine.`,
    'Every message acknowledged as delivered arrived exactly once, and no other arrived (the bench fails otherwise).',
  ];
  console.log(`\n${title}\n${table(columns, rows)}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`);
  const out = join(ROOT, 'out', 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'cluster.json'), `${JSON.stringify({ title, columns, rows, notes }, null, 2)}\n`);
  const problems = SETUPS.flatMap((setup) =>
    results.get(setup.id)!.problems.map((problem) => `${setup.label}: ${problem}`),
  );
  if (problems.length > 0) {
    console.error(`FAILED:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
