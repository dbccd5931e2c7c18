// NATS servers on 127.0.0.1 for the tests and for `npm run cluster`: one server, or several joined by routes into a
// JetStream cluster. Plain ESM with node's built-ins only, so that `node scripts/cluster.mjs` runs without a build and
// the tests bundle it as it is (no import.meta, no top-level await: esbuild turns it into CommonJS there).
//
//   const nats = await startNatsServers({ count: 3 });
//   nats.urls            // ['nats://127.0.0.1:41231', …]
//   nats.servers[0].kill('SIGKILL');
//   await nats.stop();   // every server ended, the folder removed when the module made it
//
// Client and monitoring ports are chosen by nats-server itself (`-p -1 -m -1`, read back from its ports file), so tests
// running in parallel never collide there. The cluster ports must be known before the servers start (each lists all
// routes); the module picks free ones and starts over with new ones should another process take one meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { URL } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

/** Debian installs nats-server in /usr/sbin, which is not on the PATH of users other than root. */
const DEBIAN_PATH = '/usr/sbin/nats-server';

/** The nats-server to run: $NATS_SERVER, else the one on the PATH, else Debian's; undefined when there is none. */
export function findNatsServer() {
  const candidates = [
    process.env.NATS_SERVER,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, 'nats-server')),
    DEBIAN_PATH,
  ];
  return candidates.find((path) => path && existsSync(path) && spawnSync(path, ['--version']).status === 0);
}

/** A port free on 127.0.0.1 at this moment. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** What a server printed last, for an error that says why it did not come up. */
function logTail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** GET of a monitoring endpoint as JSON; undefined while it does not answer. */
function monitor(base, path) {
  return new Promise((resolve) => {
    const request = get(`${base}${path}`, { timeout: 1000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(response.statusCode === 200 ? JSON.parse(body) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * A detached process that outlives this one by a moment: it is told every server's pid and ends them when its pipe
 * from us closes, which also happens when this process is killed outright (SIGKILL, a runner's timeout). Without it a
 * test process that dies leaves nats-servers behind holding ports and disk.
 */
const WATCHDOG = `
const pids = new Set();
let folder;
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\\n');
  pending = lines.pop();
  for (const line of lines) {
    if (line[0] === '+') pids.add(Number(line.slice(1)));
    else if (line[0] === '-') pids.delete(Number(line.slice(1)));
    else if (line[0] === 'd') folder = line.slice(1);
  }
});
process.stdin.on('close', () => {
  for (const pid of pids) try { process.kill(pid, 'SIGKILL'); } catch {}
  // The killed servers may still be closing their files for a moment.
  if (folder) setTimeout(() => require('node:fs').rmSync(folder, { recursive: true, force: true, maxRetries: 5 }), 300);
});
`;

function startWatchdog() {
  const child = spawn(process.execPath, ['-e', WATCHDOG], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.on('error', () => {});
  child.stdin.on('error', () => {});
  // Neither the watchdog nor its pipe may keep this process alive.
  child.unref();
  child.stdin.unref?.();
  return {
    watch: (pid) => child.stdin.write(`+${pid}\n`),
    forget: (pid) => child.stdin.write(`-${pid}\n`),
    /** A folder to remove after the servers, made by this module and so no one else's. */
    owns: (folder) => child.stdin.write(`d${folder}\n`),
    end: () => child.stdin.end(),
  };
}

/** Every server still running in this process, ended synchronously when the process exits. */
const live = new Set();
let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Starts one nats-server process; resolves once its ports file names the client and monitoring ports. */
function launch({ command, name, dir, port, cluster, noAdvertise, watchdog }) {
  const storeDir = join(dir, name);
  const portsDir = join(storeDir, 'ports');
  const log = join(dir, `${name}.log`);
  rmSync(portsDir, { recursive: true, force: true });
  mkdirSync(portsDir, { recursive: true });
  const args = ['-a', '127.0.0.1', '-p', String(port ?? -1), '-m', '-1', '-js', '-sd', storeDir];
  args.push('-server_name', name, '--ports_file_dir', portsDir, '-l', log);
  if (cluster) args.push('-cluster_name', cluster.name, '-cluster', cluster.listen, '-routes', cluster.routes);
  if (cluster && noAdvertise) args.push('--no_advertise');
  const child = spawn(command, args, { stdio: 'ignore' });
  live.add(child);
  hookExit();
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (child.pid !== undefined) watchdog.forget(child.pid);
      resolve({ code, signal });
    });
  });
  child.once('error', () => {});
  if (child.pid !== undefined) watchdog.watch(child.pid);
  const server = {
    name,
    pid: child.pid,
    url: '',
    port: 0,
    monitorUrl: '',
    clusterUrl: cluster?.listen,
    storeDir,
    log,
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    /** Sends `signal` (SIGKILL unless said otherwise); resolves when the process has ended. */
    async kill(signal = 'SIGKILL') {
      if (server.running) child.kill(signal);
      await exited;
    },
    /** Ends it as an operator would (SIGTERM), and outright if it has not ended within 5 s. */
    async stop() {
      if (!server.running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  return server;
}

/** Waits until `server` wrote its ports file and accepts connections; throws when it ended first. */
async function untilListening(server, deadline) {
  const portsDir = join(server.storeDir, 'ports');
  while (Date.now() < deadline) {
    if (!server.running) throw new Error(`nats-server ${server.name} ended while starting:\n${logTail(server.log)}`);
    const file = existsSync(portsDir) && readdirSync(portsDir).find((entry) => entry.endsWith('.ports'));
    if (file) {
      try {
        const ports = JSON.parse(readFileSync(join(portsDir, file), 'utf8'));
        server.url = ports.nats[0];
        server.port = Number(new URL(server.url).port);
        server.monitorUrl = ports.monitoring[0];
        if (await accepts(server.port)) return;
      } catch {
        // Written but not yet whole: read it again.
      }
    }
    await sleep(50);
  }
  throw new Error(`nats-server ${server.name} did not listen in time:\n${logTail(server.log)}`);
}

/**
 * Whether the servers form one JetStream cluster: each has its routes to all others, each knows the same meta leader,
 * and the leader sees every other server as current. Only then does a stream with one replica per server find its
 * peers (a bucket with replicas 3 made earlier is refused for want of them).
 */
async function clusterFormed(servers) {
  const views = await Promise.all(
    servers.map(async (server) => ({
      jsz: await monitor(server.monitorUrl, '/jsz'),
      routez: await monitor(server.monitorUrl, '/routez'),
    })),
  );
  const leaders = new Set(views.map(({ jsz }) => jsz?.meta_cluster?.leader));
  if (leaders.size !== 1 || leaders.has(undefined) || leaders.has('')) return false;
  if (
    !views.every(
      ({ routez, jsz }) =>
        routez?.num_routes >= servers.length - 1 && jsz?.meta_cluster?.cluster_size === servers.length,
    )
  )
    return false;
  const leader = views.find(({ jsz }) => jsz.meta_cluster.replicas !== undefined)?.jsz.meta_cluster;
  return leader?.replicas?.length === servers.length - 1 && leader.replicas.every((peer) => peer.current);
}

async function untilClustered(servers, deadline) {
  while (Date.now() < deadline) {
    const ended = servers.find((server) => !server.running);
    if (ended) throw new Error(`nats-server ${ended.name} ended while the cluster formed:\n${logTail(ended.log)}`);
    if (await clusterFormed(servers)) return;
    await sleep(100);
  }
  throw new Error(
    `the NATS cluster did not form in time:\n${servers.map((s) => `${s.name}: ${logTail(s.log, 5)}`).join('\n')}`,
  );
}

/** Another process took a cluster port between our probe and nats-server's bind: worth starting over. */
const portTaken = (servers) => servers.some((server) => /address already in use/i.test(logTail(server.log, 40)));

/**
 * Starts `count` nats-servers with JetStream on 127.0.0.1 and waits until they are ready (for more than one: until
 * they formed a cluster named `relay`). `dir` holds each server's store (`dir/n1` …) and log (`dir/n1.log`); without
 * it a temporary folder is made and removed by stop(). `ports` fixes the client ports (by default nats-server chooses
 * free ones). With `noAdvertise` the servers of a cluster tell their clients nothing of each other: a client reaches
 * only the servers it was given. Throws, leaving no process behind, when the servers are not ready within `timeoutMs`.
 */
export async function startNatsServers({ count = 1, dir, ports, timeoutMs = 30_000, command, noAdvertise } = {}) {
  const natsServer = command ?? findNatsServer();
  if (!natsServer) throw new Error('nats-server is not installed (Debian: apt-get install nats-server)');
  const ownDir = dir === undefined;
  const base = dir ?? mkdtempSync(join(tmpdir(), 'relay-nats-'));
  mkdirSync(base, { recursive: true });
  const watchdog = startWatchdog();
  if (ownDir) watchdog.owns(base);
  const deadline = Date.now() + timeoutMs;
  let servers = [];
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  for (let attempt = 1; ; attempt++) {
    const names = Array.from({ length: count }, (_, index) => `n${index + 1}`);
    const clusterPorts = count > 1 ? await Promise.all(names.map(() => freePort())) : [];
    const routes = clusterPorts.map((port) => `nats://127.0.0.1:${port}`).join(',');
    servers = names.map((name, index) =>
      launch({
        command: natsServer,
        name,
        dir: base,
        port: ports?.[index],
        cluster: count > 1 ? { name: 'relay', listen: `nats://127.0.0.1:${clusterPorts[index]}`, routes } : undefined,
        noAdvertise,
        watchdog,
      }),
    );
    try {
      for (const server of servers) await untilListening(server, deadline);
      if (count > 1) await untilClustered(servers, deadline);
      break;
    } catch (error) {
      const retry = attempt < 3 && count > 1 && portTaken(servers);
      await stopAll();
      if (!retry) {
        watchdog.end();
        if (ownDir) rmSync(base, { recursive: true, force: true });
        throw error;
      }
      for (const name of names) rmSync(join(base, name), { recursive: true, force: true });
    }
  }
  let stopped;
  return {
    dir: base,
    servers,
    urls: servers.map((server) => server.url),
    /** Has `pid` (a process that uses these servers) ended too should this process die before stop(). */
    adopt(pid) {
      watchdog.watch(pid);
    },
    /** Ends every server (and removes the folder when the module made it); safe to call more than once. */
    stop() {
      stopped ??= (async () => {
        await stopAll();
        watchdog.end();
        if (ownDir) rmSync(base, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
