/**
 * Well-behaved clients for the network fuzz run: framed clients that speak the protocol as
 * the extension does, and course clients that type like netcat users (`Name\n`, then
 * `Peer:text\n`). They send numbered messages at a human pace, and a ledger records what was
 * sent, acknowledged and received, so the run can prove every message arrived once, in order.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { FrameDecoder, encodeFrame } from '../../../src/protocol/frameCodec';
import { parseServerFrame } from '../../../src/protocol/serverFrameParser';
import type { ClientFrame } from '../../../src/protocol/frames';
import type { FuzzRandom } from './random';

export type Dialect = 'framed' | 'course';

interface SentMessage {
  from: string;
  to: string;
  seq: number;
  atMs: number;
  /** The relay's answer: an ack status for framed senders, "written" for course senders. */
  outcome: string | undefined;
  receivedCount: number;
  arrivedAtMs?: number;
}

/** What every well-behaved client sent and received. */
export class DeliveryLedger {
  private readonly sent = new Map<string, SentMessage>();
  /** Per recipient and sender, the sequence numbers in the order they arrived. */
  private readonly arrivals = new Map<string, number[]>();
  private readonly unexpected: string[] = [];
  readonly problems: string[] = [];

  /** `clock`: milliseconds since the run started. */
  constructor(readonly clock: () => number) {}

  static text(from: string, to: string, seq: number, filler: string): string {
    return `#${seq} ${from}→${to} Grüezi ${to}, hier ${from} 👋 ${filler}`;
  }

  static parse(text: string): { seq: number; from: string; to: string } | undefined {
    const match = /^#(\d+) (\S+)→(\S+) /u.exec(text);
    return match ? { seq: Number(match[1]), from: match[2]!, to: match[3]! } : undefined;
  }

  recordSent(from: string, to: string, seq: number): SentMessage {
    const message: SentMessage = { from, to, seq, atMs: this.clock(), outcome: undefined, receivedCount: 0 };
    this.sent.set(`${from}#${seq}`, message);
    return message;
  }

  recordReceived(recipient: string, sender: string, text: string): void {
    const parsed = DeliveryLedger.parse(text);
    const message = parsed && this.sent.get(`${parsed.from}#${parsed.seq}`);
    if (!parsed || !message || parsed.from !== sender || parsed.to !== recipient) {
      this.unexpected.push(`${recipient} got ${JSON.stringify(text.slice(0, 60))} from ${sender}`);
      return;
    }
    message.receivedCount++;
    message.arrivedAtMs ??= this.clock();
    const key = `${sender}→${recipient}`;
    const list = this.arrivals.get(key) ?? [];
    list.push(parsed.seq);
    this.arrivals.set(key, list);
  }

  problem(who: string, what: string): void {
    if (this.problems.length < 200) this.problems.push(`${who}: ${what}`);
  }

  /** Messages the relay accepted that have not arrived yet, and framed sends still waiting for an ack. */
  get outstanding(): number {
    let count = 0;
    for (const message of this.sent.values()) {
      if (message.outcome === undefined || (accepted(message) && message.receivedCount === 0)) count++;
    }
    return count;
  }

  /** Milliseconds from sending to arriving of every message that arrived, shortest first. */
  latencies(): number[] {
    return [...this.sent.values()]
      .flatMap((message) => (message.arrivedAtMs === undefined ? [] : [message.arrivedAtMs - message.atMs]))
      .sort((a, b) => a - b);
  }

  get figures(): { sent: number; accepted: number; received: number; medianLatencyMs: number; maxLatencyMs: number } {
    const all = [...this.sent.values()];
    const latencies = this.latencies();
    return {
      sent: all.length,
      accepted: all.filter(accepted).length,
      received: all.filter((message) => message.receivedCount > 0).length,
      medianLatencyMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
      maxLatencyMs: latencies.at(-1) ?? 0,
    };
  }

  /** Every broken delivery promise, worded with numbers. */
  violations(): string[] {
    const all = [...this.sent.values()];
    const out: string[] = [];
    const list = (messages: SentMessage[], describe: (message: SentMessage) => string) =>
      messages.slice(0, 8).map(describe).join(', ') + (messages.length > 8 ? `, … (${messages.length - 8} more)` : '');
    const refused = all.filter((message) => !accepted(message));
    if (refused.length > 0) {
      const byOutcome = new Map<string, number>();
      for (const message of refused)
        byOutcome.set(message.outcome ?? 'no ack', (byOutcome.get(message.outcome ?? 'no ack') ?? 0) + 1);
      out.push(
        `delivery: ${refused.length} of ${all.length} messages between well-behaved clients were not accepted by the relay (${[...byOutcome].map(([outcome, count]) => `${count}× ${outcome}`).join(', ')}): ${list(refused, (message) => `${message.from}→${message.to} #${message.seq} at ${(message.atMs / 1000).toFixed(1)} s`)}`,
      );
    }
    const missing = all.filter((message) => accepted(message) && message.receivedCount === 0);
    if (missing.length > 0)
      out.push(
        `delivery: ${missing.length} of ${all.filter(accepted).length} accepted messages never arrived: ${list(missing, (message) => `${message.from}→${message.to} #${message.seq} (${message.outcome}) at ${(message.atMs / 1000).toFixed(1)} s`)}`,
      );
    const duplicated = all.filter((message) => message.receivedCount > 1);
    if (duplicated.length > 0)
      out.push(
        `delivery: ${duplicated.length} messages arrived more than once: ${list(duplicated, (message) => `${message.from}→${message.to} #${message.seq} ${message.receivedCount}×`)}`,
      );
    const ghosts = all.filter((message) => !accepted(message) && message.receivedCount > 0);
    if (ghosts.length > 0)
      out.push(
        `delivery: ${ghosts.length} messages arrived although the relay refused them: ${list(ghosts, (message) => `${message.from}→${message.to} #${message.seq} (${message.outcome})`)}`,
      );
    const reordered = [...this.arrivals].filter(([, seqs]) =>
      seqs.some((seq, index) => index > 0 && seq <= seqs[index - 1]!),
    );
    if (reordered.length > 0)
      out.push(
        `order: ${reordered.length} sender→recipient pairs got messages out of order: ${reordered
          .slice(0, 5)
          .map(([pair, seqs]) => `${pair} [${seqs.slice(0, 12).join(',')}${seqs.length > 12 ? ',…' : ''}]`)
          .join('; ')}`,
      );
    if (this.unexpected.length > 0)
      out.push(
        `delivery: ${this.unexpected.length} messages arrived that no well-behaved client sent that way: ${this.unexpected.slice(0, 5).join('; ')}`,
      );
    if (this.problems.length > 0)
      out.push(
        `well-behaved clients: ${this.problems.length} problems: ${this.problems.slice(0, 8).join('; ')}${this.problems.length > 8 ? '; …' : ''}`,
      );
    return out;
  }
}

function accepted(message: SentMessage): boolean {
  return message.outcome === 'delivered' || message.outcome === 'written';
}

export interface WellBehaved {
  readonly name: string;
  readonly dialect: Dialect;
  send(to: string, seq: number, filler: string): void;
  close(): void;
}

const ACK_TIMEOUT_MS = 30_000;

async function open(port: number, localAddress: string): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  return socket;
}

/** A framed client: hello, then `send` frames, each answered by an ack; answers pings. */
export class FramedWellBehaved implements WellBehaved {
  readonly dialect = 'framed';
  private readonly decoder = new FrameDecoder();
  private readonly acks = new Map<string, (status: string) => void>();
  private closing = false;
  private handCount = 0;
  /** Every byte the relay sent this client: messages, acks, presence, pings. */
  bytesReceived = 0;
  private welcomed: ((error?: Error) => void) | undefined;

  private constructor(
    readonly name: string,
    private readonly socket: Socket,
    private readonly ledger: DeliveryLedger,
    private readonly peers: ReadonlySet<string>,
  ) {
    socket.on('data', (data) => this.receive(data));
    socket.on('error', () => {});
    socket.on('close', () => {
      for (const resolve of this.acks.values()) resolve('connection closed before the ack');
      this.acks.clear();
      this.welcomed?.(new Error(`${name}: the relay closed the connection before welcoming`));
      if (!this.closing)
        ledger.problem(name, `the relay closed the connection at ${(ledger.clock() / 1000).toFixed(1)} s`);
    });
  }

  /**
   * `peers`: the well-behaved names, whose messages this client checks; messages from others are ignored.
   * `localAddress`: the host it connects from.
   */
  static async connect(
    port: number,
    name: string,
    ledger: DeliveryLedger,
    peers: ReadonlySet<string>,
    localAddress = '127.0.0.1',
  ): Promise<FramedWellBehaved> {
    const client = new FramedWellBehaved(name, await open(port, localAddress), ledger, peers);
    const welcome = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no welcome within 10 s`)), 10_000);
      client.welcomed = (error) => {
        clearTimeout(timer);
        client.welcomed = undefined;
        if (error) reject(error);
        else resolve();
      };
    });
    client.write({ type: 'hello', protocol: 'classroom-relay', versions: [1], name, client: 'network-fuzz' });
    await welcome;
    return client;
  }

  send(to: string, seq: number, filler: string): void {
    const message = this.ledger.recordSent(this.name, to, seq);
    const id = `${this.name}-${seq}`;
    const timer = setTimeout(() => this.acks.get(id)?.(`no ack within ${ACK_TIMEOUT_MS / 1000} s`), ACK_TIMEOUT_MS);
    this.acks.set(id, (status) => {
      clearTimeout(timer);
      this.acks.delete(id);
      message.outcome = status;
    });
    this.write({ type: 'send', id, to, text: DeliveryLedger.text(this.name, to, seq, filler) });
  }

  /** Raises this client's hand with `question`, for a teacher's roster to show, or lowers it. */
  hand(up: boolean, question?: string): void {
    this.handCount++;
    this.write({ type: 'hand', id: `${this.name}-hand-${this.handCount}`, up, ...(question ? { question } : {}) });
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private write(frame: ClientFrame): void {
    if (!this.socket.destroyed) this.socket.write(encodeFrame(frame));
  }

  private receive(data: Uint8Array): void {
    this.bytesReceived += data.length;
    for (const line of this.decoder.push(data)) {
      if (line.kind !== 'json') {
        this.ledger.problem(this.name, `the relay sent a broken frame (${line.code})`);
        continue;
      }
      const parsed = parseServerFrame(line.value);
      if (!parsed.ok) {
        this.ledger.problem(this.name, `the relay sent an invalid frame: ${parsed.message}`);
        continue;
      }
      const frame = parsed.frame;
      switch (frame.type) {
        case 'welcome':
          this.welcomed?.();
          break;
        case 'message':
          if (this.peers.has(frame.from)) this.ledger.recordReceived(this.name, frame.from, frame.text);
          break;
        case 'ack':
          this.acks.get(frame.id)?.(frame.status === 'rejected' ? `rejected (${frame.reason ?? '?'})` : frame.status);
          break;
        case 'ping':
          this.write(frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id });
          break;
        case 'error':
          this.ledger.problem(this.name, `error frame ${frame.code}: ${frame.message.slice(0, 80)}`);
          break;
        default:
          break; // presence, broadcasts and snippets from others are not part of the ledger
      }
    }
  }
}

/** A course client typing like a netcat user: `Name\n`, then `Peer:text\n`; reads `Sender: text` lines. */
export class CourseWellBehaved implements WellBehaved {
  readonly dialect = 'course';
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private closing = false;

  private constructor(
    readonly name: string,
    private readonly socket: Socket,
    private readonly ledger: DeliveryLedger,
    private readonly peers: ReadonlySet<string>,
  ) {
    socket.on('data', (data) => this.receive(this.decoder.write(data)));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!this.closing)
        ledger.problem(name, `the relay closed the connection at ${(ledger.clock() / 1000).toFixed(1)} s`);
    });
  }

  /**
   * `peers`: the well-behaved names, whose lines this client checks; lines from others are ignored.
   * `localAddress`: the host it connects from.
   */
  static async connect(
    port: number,
    name: string,
    ledger: DeliveryLedger,
    peers: ReadonlySet<string>,
    localAddress = '127.0.0.1',
  ): Promise<CourseWellBehaved> {
    const client = new CourseWellBehaved(name, await open(port, localAddress), ledger, peers);
    client.socket.write(`${name}\n`);
    // The course dialect has no welcome: a refusal would arrive as a line and a close.
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (client.socket.destroyed) throw new Error(`${name}: the relay closed the course connection after the name`);
    return client;
  }

  send(to: string, seq: number, filler: string): void {
    const message = this.ledger.recordSent(this.name, to, seq);
    if (this.socket.destroyed) {
      message.outcome = 'not written: connection closed';
      return;
    }
    this.socket.write(`${to}:${DeliveryLedger.text(this.name, to, seq, filler)}\n`);
    message.outcome = 'written';
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private receive(text: string): void {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop()!;
    if (this.pending.length > 64 * 1024) {
      this.ledger.problem(this.name, 'a line of over 64 KB without a newline');
      this.pending = '';
    }
    for (const line of lines) {
      if (line === '') continue;
      const separator = line.indexOf(': ');
      const sender = separator > 0 ? line.slice(0, separator) : undefined;
      if (sender !== undefined && this.peers.has(sender))
        this.ledger.recordReceived(this.name, sender, line.slice(separator + 2));
      else if (sender === undefined || !HOSTILE_NAME.test(sender))
        this.ledger.problem(this.name, `the relay answered ${JSON.stringify(line.slice(0, 80))}`);
    }
  }
}

/** Names the hostile peers register; their single-line messages to course clients are not checked. */
export const HOSTILE_NAME = /^(Mallory|Slow)[\w-]*$/;

/**
 * Sends numbered messages from `client` to random other well-behaved clients, one every `minGapMs`–`maxGapMs`, until
 * `until()` says stop.
 */
export async function chat(
  client: WellBehaved,
  others: readonly string[],
  random: FuzzRandom,
  until: () => boolean,
  gapMs: [number, number],
): Promise<void> {
  let seq = 0;
  while (!until()) {
    await new Promise((resolve) => setTimeout(resolve, random.int(gapMs[0], gapMs[1])));
    if (until()) break;
    const filler = random.chance(0.2) ? 'äöü ß € '.repeat(random.int(1, 30)) : 'wie geht es?';
    client.send(random.pick(others), ++seq, filler);
  }
}
