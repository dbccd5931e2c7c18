/**
 * The memory of a code-server window's extension host, read from /proc after its garbage is collected: resident
 * memory alone would mostly tell where V8's heap was between two collections (it swings by tens of MB while VS
 * Code's built-in extensions start). The collection goes through the process's inspector, which Node opens on
 * SIGUSR1 on its default port; the port is checked to be that process's own before anything is sent to it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { get } from 'node:http';
import { sleep } from '../test/helpers/relay/peers';

/** Where Node opens the inspector on SIGUSR1 (VS Code starts the extension host without NODE_OPTIONS). */
const INSPECTOR_PORT = 9229;

export interface HostMemory {
  /** Resident set (VmRSS), in KB. */
  rssKb: number;
  /** The JavaScript heap in use, in bytes. */
  heapBytes: number;
}

/** The extension host of the window whose profile is `home`: found by its arguments and its environment. */
export function extensionHostPid(home: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--type=extensionHost')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`HOME=${home}`)) return Number(entry);
    } catch {
      // The process ended while it was read.
    }
  }
  throw new Error(`no extension host runs for ${home}`);
}

/** The TCP ports `pid` itself listens on. */
function listeningPorts(pid: number): number[] {
  const sockets = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) sockets.add(inode);
    } catch {
      // Closed while it was read.
    }
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDRESS:PORT in hex; state 0A is LISTEN; the tenth field is the socket's inode.
      if (fields[3] === '0A' && sockets.has(fields[9]!)) ports.push(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

function getJson(port: number, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    }).on('error', reject);
  });
}

/**
 * Collects garbage twice in the process at the inspector `url`, then prints its heap use. Run by a Node of its own,
 * which has WebSocket (Node 20 behind a flag).
 */
const COLLECT = `
const socket = new WebSocket(process.argv[1]);
const pending = new Map();
let id = 0;
const call = (method) => new Promise((resolve) => {
  pending.set(++id, resolve);
  socket.send(JSON.stringify({ id, method }));
});
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  pending.get(message.id)?.(message.result);
};
socket.onopen = async () => {
  await call('HeapProfiler.collectGarbage');
  await call('HeapProfiler.collectGarbage');
  console.log(JSON.stringify(await call('Runtime.getHeapUsage')));
  socket.close();
};`;

function collectGarbage(url: string): number {
  const flags = typeof WebSocket === 'function' ? [] : ['--experimental-websocket'];
  const ran = spawnSync(process.execPath, [...flags, '-e', COLLECT, url], { encoding: 'utf8', timeout: 30_000 });
  const used = (JSON.parse(ran.stdout || '{}') as { usedSize?: number }).usedSize;
  if (ran.status !== 0 || used === undefined) throw new Error(`collecting garbage failed: ${ran.stderr}`);
  return used;
}

const residentKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

/** `pid`'s memory once its garbage is collected: two rounds a second apart, the second one counts. */
export async function settledMemory(pid: number): Promise<HostMemory> {
  process.kill(pid, 'SIGUSR1');
  for (let wait = 0; !listeningPorts(pid).includes(INSPECTOR_PORT); wait++) {
    if (wait === 50)
      throw new Error(`the extension host opened no inspector on port ${INSPECTOR_PORT}: is the port in use?`);
    await sleep(100);
  }
  const [target] = (await getJson(INSPECTOR_PORT, '/json/list')) as Array<{ webSocketDebuggerUrl: string }>;
  if (!target) throw new Error(`the inspector on port ${INSPECTOR_PORT} lists no target`);
  let memory: HostMemory | undefined;
  for (let round = 0; round < 2; round++) {
    if (memory) await sleep(1000);
    const heapBytes = collectGarbage(target.webSocketDebuggerUrl);
    await sleep(300);
    memory = { rssKb: residentKb(pid), heapBytes };
  }
  return memory!;
}
