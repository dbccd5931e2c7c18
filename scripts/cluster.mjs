// `npm run cluster`: a cluster of relay nodes on this machine, to try what docs/scale-out.md describes. Three
// nats-server processes on 127.0.0.1 joined by routes, with JetStream, and two relay nodes (relay-a, relay-b) joined
// through them, on ports 12345 and 12347 when those are free. Prints the addresses, stays in the foreground with the
// relays' log lines, and stops everything on Ctrl+C.
//
// Usage: node scripts/cluster.mjs [--no-build] [--keep] [--ports A,B]
//   --no-build  start dist/cli.js as it is (by default it is built first, so that it knows --nats)
//   --keep      leave the folder with the NATS stores, the logs and the relays' lessons when stopping
//   --ports A,B the relay nodes' ports (by default 12345 and 12347, or free ones where those are taken)
// RELAY_CLI=FILE starts another build of the CLI than dist/cli.js (with --no-build).
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { freePort, startNatsServers } from './natsCluster.mjs';

const root = join(import.meta.dirname, '..');
const cli = process.env.RELAY_CLI ?? join(root, 'dist', 'cli.js');
const argv = process.argv.slice(2);
const args = new Set(argv);
const portsFlag = argv[argv.indexOf('--ports') + 1];
const ports = args.has('--ports') ? (portsFlag ?? '').split(',').map(Number) : [];
if (
  args.has('--ports') &&
  (ports.length !== 2 || !ports.every((port) => Number.isInteger(port) && port > 0 && port < 65536))
) {
  console.error('--ports takes two ports, e.g. --ports 12345,12347');
  process.exit(2);
}
const RELAY_NODES = [
  { node: 'relay-a', port: ports[0] ?? 12345 },
  // 12346 is a relay's TLS port beside 12345; the second node leaves it alone.
  { node: 'relay-b', port: ports[1] ?? 12347 },
];

/** Whether 127.0.0.1:`port` can be listened on now. */
function portFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A teacher key shaped like the relay's own (four groups of four, no look-alikes), the same for both nodes. */
function teacherKey() {
  const alphabet = '23456789abcdefghjkmnpqrstuvwxyz';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

/** Hands a child's output to `write` line by line, behind `prefix`. */
function forwardLines(stream, prefix, write) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) write(`${prefix} ${line}`);
  });
}

/** Starts one relay node; resolves once it listens, rejects with its output when it ends first. */
function startRelay({ node, port, nats, state, key }) {
  const child = spawn(
    process.execPath,
    [
      cli,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--nats',
      nats.join(','),
      '--node',
      node,
      '--state',
      state,
    ],
    {
      cwd: root,
      // In the environment, not on the command line, where every user of the machine could read it.
      env: { ...process.env, RELAY_TEACHER_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const relay = { node, port, child, started: false, stopping: false, output: [] };
  const prefix = `[${node}]`;
  // Until it listens its lines are kept (the summary says what matters); afterwards they are the log to follow.
  const write = (line) => (relay.started ? console.log(line) : relay.output.push(line));
  forwardLines(child.stdout, prefix, write);
  forwardLines(child.stderr, prefix, write);
  relay.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${node} did not start within 30 s:\n${relay.output.join('\n')}`)),
      30_000,
    );
    child.stdout.on('data', () => {
      if (!relay.started && relay.output.some((line) => line.includes('Stop with Ctrl+C.'))) {
        relay.started = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!relay.started)
        reject(new Error(`${node} ended while starting (${signal ?? `exit ${code}`}):\n${relay.output.join('\n')}`));
      else if (!relay.stopping) console.log(`${prefix} ended (${signal ?? `exit ${code}`}); the other node goes on.`);
    });
  });
  relay.exited = new Promise((resolve) => child.once('exit', resolve));
  return relay;
}

async function stopRelay(relay) {
  relay.stopping = true;
  if (relay.child.exitCode !== null || relay.child.signalCode !== null) return;
  relay.child.kill('SIGTERM');
  const timer = setTimeout(() => relay.child.kill('SIGKILL'), 5000);
  await relay.exited;
  clearTimeout(timer);
}

if (!args.has('--no-build')) {
  console.log('Building dist/cli.js …');
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build first.`);
  process.exit(1);
}

// With --keep a folder of our own; else the NATS module's, which goes with the servers even should this process be
// killed outright.
let folder = args.has('--keep') ? mkdtempSync(join(tmpdir(), 'relay-cluster-')) : undefined;
const relays = [];
let nats;
let stopping;
const stop = (code) => {
  stopping ??= (async () => {
    console.log('\nStopping the relay nodes and the NATS servers …');
    await Promise.all(relays.map(stopRelay));
    await nats?.stop();
    if (args.has('--keep') && folder) console.log(`Kept: ${folder}`);
    process.exit(code);
  })();
  return stopping;
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  console.log('Starting three NATS servers with JetStream …');
  nats = await startNatsServers({ count: 3, dir: folder && join(folder, 'nats') });
  folder ??= nats.dir;
  const key = teacherKey();
  // One after the other: the first node makes the buckets, the second finds them.
  for (const { node, port } of RELAY_NODES) {
    const chosen = (await portFree(port)) ? port : await freePort();
    const relay = startRelay({ node, port: chosen, nats: nats.urls, state: join(folder, node), key });
    relays.push(relay);
    // Ended with the NATS servers should this process be killed outright (SIGKILL), rather than left on its port.
    if (relay.child.pid !== undefined) nats.adopt(relay.child.pid);
    await relay.ready;
  }
  const addresses = relays.map((relay) => `127.0.0.1:${relay.port}`);
  const lines = [
    '',
    'A cluster of Classroom Relay nodes on this machine (docs/scale-out.md):',
    '',
    'NATS servers (JetStream, cluster "relay"):',
    ...nats.servers.map((server) => `  ${server.name}  ${server.url.padEnd(24)} pid ${server.pid}`),
    '',
    'Relay nodes, each speaking both dialects on its port (VS Code and classroom-relay; the course client and netcat):',
    ...relays.map((relay) => `  ${relay.node}  127.0.0.1:${relay.port}`.padEnd(28) + `pid ${relay.child.pid}`),
    `  e.g. nc 127.0.0.1 ${relays[0].port}, then a name, then Recipient:Text`,
    '',
    'In VS Code, relay.server (both nodes; the extension moves to the other when one fails):',
    `  ${addresses.join(',')}`,
    'On the command line:',
    `  node dist/cli.js chat --server ${addresses.join(',')} --name Alice`,
    '',
    `Teacher key, the same on both nodes: ${key}`,
    `Stores, logs and lessons: ${folder}${args.has('--keep') ? ' (kept)' : ' (removed when stopping; --keep keeps it)'}`,
    `To try a failure: kill -9 a relay node's pid (its clients move to the other) or one NATS server's (traffic goes on).`,
    'Stop everything with Ctrl+C. The relay nodes log here:',
    '',
  ];
  for (const line of lines) console.log(line);
  for (const relay of relays)
    for (const line of relay.output.filter((l) => /^\[\S+\] \d{4}-/.test(l))) console.log(line);
} catch (error) {
  console.error(`The cluster did not start: ${error.message}`);
  await stop(1);
}
