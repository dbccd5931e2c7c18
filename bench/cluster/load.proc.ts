/**
 * The load of the relay-nodes bench, in a process of its own so that it never shares a thread with
 * whoever starts and watches the nodes. Given a job (JSON, the first argument), it times the
 * registration of many framed clients spread over the nodes, then runs a closed and an open loop
 * of 64-byte messages between pairs of clients (each pair split over two nodes where there are two),
 * checks that every message arrived exactly once, prints its result as one JSON line and ends.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { encodeFrame } from '../../src/protocol/frameCodec';
import type { ClientFrame } from '../../src/protocol/frames';
import type { LoadJob, LoadResult } from './job';

type Frame = { type: string; id?: string; from?: string; text?: string; status?: string; code?: string };

const TEXT_BYTES = 64;
/** How long the registered clients stay idle before the nodes' memory is read. */
const IDLE_MS = 3000;
/** How long a loop may take to hear every answer after it stopped sending. */
const DRAIN_MS = 10_000;
const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;

class Client {
  readonly socket: Socket;
  onFrame: (frame: Frame) => void = () => {};
  private pending = '';

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (data: Buffer) => {
      this.pending += data.toString('utf8');
      let end;
      while ((end = this.pending.indexOf('\n')) !== -1) {
        const line = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 1);
        if (line.trim() !== '') this.onFrame(JSON.parse(line) as Frame);
      }
    });
  }

  send(frame: ClientFrame): void {
    this.socket.write(encodeFrame(frame));
  }

  /** Registers as `name`; rejects on a refusal, a close or after `ms`. */
  register(name: string, ms = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no welcome within ${ms} ms`)), ms);
      this.socket.once('error', reject);
      this.socket.once('close', () => reject(new Error(`${name}: closed before its welcome`)));
      this.onFrame = (frame) => {
        if (frame.type === 'welcome') {
          clearTimeout(timer);
          resolve();
        } else if (frame.type === 'error') reject(new Error(`${name}: refused (${frame.code})`));
      };
      this.send({
        type: 'hello',
        protocol: 'classroom-relay',
        versions: [1],
        name,
        features: ['presence-batch'],
      });
    });
  }

  leave(): void {
    this.send({ type: 'bye' });
    this.socket.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (index: number) => job.ports[index % job.ports.length]!;

/** The nodes' resident memory together, in bytes. */
function nodesMemory(): number {
  return job.pids.reduce((sum, pid) => {
    const kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return sum + Number(kilobytes ?? 0) * 1024;
  }, 0);
}

/**
 * `job.registrations` clients registered, `job.concurrency` at a time; the time that took, and
 * what the nodes' memory grew by per client once they were idle a moment; then all of them leave.
 */
async function registerMany(): Promise<{ ms: number; idleBytesPerClient: number }> {
  const before = nodesMemory();
  const clients: Client[] = [];
  let next = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.registrations) {
        const index = next++;
        const client = new Client(portOf(index));
        clients.push(client);
        await client.register(`${job.prefix}-r${index}`);
      }
    }),
  );
  const ms = performance.now() - begin;
  await sleep(IDLE_MS);
  const idleBytesPerClient = (nodesMemory() - before) / job.registrations;
  for (const client of clients) client.leave();
  return { ms, idleBytesPerClient };
}

/** Who received what: `from|id` → how many times. */
class Receipts {
  readonly seen = new Map<string, number>();
  duplicates = 0;
  readonly latenciesMs: number[] = [];

  take(frame: Frame, timed: boolean): void {
    if (frame.type !== 'message' || frame.id === undefined) return;
    const key = `${frame.from}|${frame.id}`;
    const times = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, times);
    if (times > 1) this.duplicates++;
    else if (timed) this.latenciesMs.push(performance.now() - Number(frame.text!.slice(0, frame.text!.indexOf(' '))));
  }
}

/** A loop's account of its messages: every one acknowledged as delivered arrived exactly once, no other did. */
interface Ledger {
  sent: number;
  acked: Map<string, string>;
}

function check(ledger: Ledger, receipts: Receipts, phase: string): string[] {
  const problems: string[] = [];
  let undelivered = 0;
  let missing = 0;
  for (const [key, status] of ledger.acked) {
    if (status !== 'delivered') undelivered++;
    else if (receipts.seen.get(key) !== 1) missing++;
  }
  const unacked = ledger.sent - ledger.acked.size;
  const stray = [...receipts.seen.keys()].filter((key) => ledger.acked.get(key) !== 'delivered').length;
  if (unacked > 0) problems.push(`${phase}: ${unacked} of ${ledger.sent} messages never acknowledged`);
  if (undelivered > 0) problems.push(`${phase}: ${undelivered} messages acknowledged other than delivered`);
  if (missing > 0) problems.push(`${phase}: ${missing} messages acknowledged as delivered did not arrive`);
  if (receipts.duplicates > 0) problems.push(`${phase}: ${receipts.duplicates} messages arrived twice`);
  if (stray > 0) problems.push(`${phase}: ${stray} messages arrived without a delivered acknowledgement`);
  return problems;
}

const text = (stamp: number) => {
  const head = `${stamp.toFixed(3)} `;
  return head + 'x'.repeat(Math.max(0, TEXT_BYTES - head.length));
};

/** The pairs: client 2k and 2k+1, which are on different nodes when there are two. */
async function pairs(): Promise<{ clients: Client[]; names: string[] }> {
  const names = Array.from({ length: job.clients }, (_, index) => `${job.prefix}-c${index}`);
  const clients = names.map((_, index) => new Client(portOf(index)));
  await Promise.all(clients.map((client, index) => client.register(names[index]!)));
  // A member of another node is known here once its claim was watched: each sender waits until its partner is.
  await Promise.all(
    clients.map(async (client, index) => {
      for (let attempt = 0; ; attempt++) {
        const answer = new Promise<Frame>((resolve) => (client.onFrame = (f) => f.type === 'ack' && resolve(f)));
        client.send({ type: 'send', id: `probe${attempt}`, to: names[index ^ 1]!, text: 'probe' });
        if ((await answer).status === 'delivered') return;
        if (attempt > 100) throw new Error(`${names[index]}: its partner stays unknown`);
        await sleep(50);
      }
    }),
  );
  return { clients, names };
}

async function drained(ledger: Ledger): Promise<void> {
  const until = performance.now() + DRAIN_MS;
  while (ledger.acked.size < ledger.sent && performance.now() < until) await sleep(20);
  // The recipient's copy may come a moment after the sender's acknowledgement.
  await sleep(300);
}

interface Loop {
  clients: Client[];
  names: string[];
  ledger: Ledger;
  receipts: Receipts;
}

/** Every acknowledgement into the ledger, every message into the receipts (the probes aside). */
function listen({ clients, names, ledger, receipts }: Loop, timed: boolean, onAck?: (index: number) => void): void {
  clients.forEach((client, index) => {
    client.onFrame = (frame) => {
      if (frame.type === 'ack' && frame.id !== undefined && !frame.id.startsWith('probe')) {
        ledger.acked.set(`${names[index]}|${frame.id}`, frame.status ?? '?');
        onAck?.(index);
      } else if (!frame.id?.startsWith('probe')) receipts.take(frame, timed);
    };
  });
}

async function closedLoop(clients: Client[], names: string[]) {
  const ledger: Ledger = { sent: 0, acked: new Map() };
  const receipts = new Receipts();
  let stopped = false;
  const counters = clients.map(() => 0);
  const sendNext = (index: number) => {
    if (stopped) return;
    ledger.sent++;
    clients[index]!.send({ type: 'send', id: `c${counters[index]!++}`, to: names[index ^ 1]!, text: text(0) });
  };
  listen({ clients, names, ledger, receipts }, false, sendNext);
  const begin = performance.now();
  for (let index = 0; index < clients.length; index++) for (let slot = 0; slot < job.inFlight; slot++) sendNext(index);
  await sleep(job.closedMs);
  stopped = true;
  const ms = performance.now() - begin;
  const deliveredInTime = [...ledger.acked.values()].filter((status) => status === 'delivered').length;
  await drained(ledger);
  return {
    perSecond: deliveredInTime / (ms / 1000),
    messages: ledger.sent,
    problems: check(ledger, receipts, 'closed loop'),
  };
}

async function openLoop(clients: Client[], names: string[]) {
  const ledger: Ledger = { sent: 0, acked: new Map() };
  const receipts = new Receipts();
  listen({ clients, names, ledger, receipts }, true);
  const begin = performance.now();
  const total = Math.round((job.rate * job.openMs) / 1000);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Each message is stamped with the time it was due, so a late send counts in its latency.
      const due = Math.min(total, Math.floor(((performance.now() - begin) * job.rate) / 1000));
      while (ledger.sent < due) {
        const index = ledger.sent % clients.length;
        const stamp = begin + (ledger.sent * 1000) / job.rate;
        clients[index]!.send({ type: 'send', id: `o${ledger.sent}`, to: names[index ^ 1]!, text: text(stamp) });
        ledger.sent++;
      }
      if (ledger.sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  await drained(ledger);
  const sorted = receipts.latenciesMs.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50Ms: at(0.5), p99Ms: at(0.99), messages: ledger.sent, problems: check(ledger, receipts, 'open loop') };
}

async function main(): Promise<void> {
  const { ms: registerMs, idleBytesPerClient } = await registerMany();
  // The registrations' names are given up (in the cluster too) before the loops begin.
  await sleep(1000);
  const { clients, names } = await pairs();
  const closed = await closedLoop(clients, names);
  const open = await openLoop(clients, names);
  for (const client of clients) client.leave();
  const result: LoadResult = {
    registerMs,
    idleBytesPerClient,
    closedPerSecond: closed.perSecond,
    closedMessages: closed.messages,
    openP50Ms: open.p50Ms,
    openP99Ms: open.p99Ms,
    openMessages: open.messages,
    problems: [...closed.problems, ...open.problems],
  };
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.log(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    process.exit(1);
  },
);
