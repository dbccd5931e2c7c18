/**
 * Hostile peers for the network fuzz run, each kind a loop that runs until the run stops:
 * noise, valid frames cut at random boundaries, frames that never finish, peers that never
 * read, floods of `x\n` and of bad frames, connect/disconnect churn, one address holding
 * as many connections as it can. Every connection comes from a loopback address other than
 * 127.0.0.1 (random ones from 127.0.1.1 to 127.0.8.254, and 127.0.0.9 for the hog) and goes to
 * the relay on 127.0.0.1: nothing leaves the machine. Volumes are capped per connection.
 */
import { connect, type Socket } from 'node:net';
import { encodeFrame } from '../../../src/protocol/frameCodec';
import type { ClientFrame } from '../../../src/protocol/frames';
import type { FuzzRandom } from './random';

export interface AttackStats {
  connections: number;
  /** Connections that failed to open (refused, reset, timed out). */
  failedConnects: number;
  bytesSent: number;
  /** Connections the relay closed while the attack was still using them. */
  closedByRelay: number;
}

export interface AttackContext {
  port: number;
  stopped(): boolean;
  /** Names of the well-behaved clients, which some hostile frames address. */
  wellBehaved: readonly string[];
  /** Names of the hostile peers that never read. */
  slowReaders: readonly string[];
  /** Bytes one flooding connection may send; a cap keeps the run bounded. */
  floodBytes: number;
}

export type AttackKind =
  | 'noise'
  | 'split-frames'
  | 'partial-frames'
  | 'slow-readers'
  | 'flood-x'
  | 'flood-bad-frames'
  | 'flood-big-messages'
  | 'churn'
  | 'address-hog';

/** All hostile sockets, so the run can end them together. */
const open = new Set<Socket>();

export function destroyAllHostile(): void {
  for (const socket of open) socket.destroy();
  open.clear();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Hostile {
  socket: Socket;
  closed: boolean;
}

async function dial(
  context: AttackContext,
  random: FuzzRandom,
  stats: AttackStats,
  read: boolean,
  localAddress = random.loopbackAddress(),
): Promise<Hostile | undefined> {
  const socket = connect({ host: '127.0.0.1', port: context.port, localAddress });
  open.add(socket);
  const hostile: Hostile = { socket, closed: false };
  socket.on('error', () => {});
  socket.on('close', () => {
    hostile.closed = true;
    open.delete(socket);
  });
  if (read) socket.resume();
  else socket.pause();
  const connected = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!connected) {
    stats.failedConnects++;
    socket.destroy();
    return undefined;
  }
  stats.connections++;
  socket.setNoDelay(true);
  return hostile;
}

function send(hostile: Hostile, data: Uint8Array | string, stats: AttackStats): boolean {
  if (hostile.closed || hostile.socket.destroyed) return false;
  stats.bytesSent += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  return hostile.socket.write(data);
}

/** Writes `chunk` again and again, as fast as the relay takes it, up to `maxBytes`. */
async function pour(
  hostile: Hostile,
  chunk: Uint8Array,
  maxBytes: number,
  context: AttackContext,
  stats: AttackStats,
): Promise<void> {
  let sent = 0;
  while (sent < maxBytes && !context.stopped() && !hostile.closed) {
    sent += chunk.length;
    if (!send(hostile, chunk, stats)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearInterval(poll);
          hostile.socket.off('drain', done);
          resolve();
        };
        const poll = setInterval(() => (context.stopped() || hostile.closed) && done(), 100);
        hostile.socket.once('drain', done);
      });
    }
  }
  if (hostile.closed && !context.stopped()) stats.closedByRelay++;
}

/** Holds a connection open until the run stops or the relay closes it. */
async function hold(hostile: Hostile, context: AttackContext, stats: AttackStats): Promise<void> {
  while (!context.stopped() && !hostile.closed) await sleep(100);
  if (hostile.closed && !context.stopped()) stats.closedByRelay++;
}

const helloFor = (name: string): Uint8Array =>
  encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name });

function repeatToSize(unit: string, size: number): Uint8Array {
  return Buffer.from(unit.repeat(Math.max(1, Math.floor(size / Buffer.byteLength(unit)))));
}

/** One-line text, so a course client can tell every line's sender. */
function hostileText(random: FuzzRandom, maxLength: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz äöüÄÖÜ€😀"\\{}:;#';
  const chars = [...alphabet];
  let text = '';
  const length = random.int(1, maxLength);
  for (let index = 0; index < length; index++) text += random.pick(chars);
  return text;
}

const attacks: Record<
  AttackKind,
  (context: AttackContext, random: FuzzRandom, stats: AttackStats, worker: number) => Promise<void>
> = {
  /** Random bytes in a few writes, sometimes starting like a frame, then gone. */
  async noise(context, random, stats) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, true);
      if (!hostile) continue;
      for (let write = random.int(1, 5); write > 0 && !context.stopped(); write--) {
        const bytes = random.bytes(random.int(1, 2048));
        if (write === 1 && random.chance(0.5)) bytes[0] = 0x7b;
        send(hostile, bytes, stats);
        await sleep(random.int(0, 50));
      }
      await sleep(random.int(0, 300));
      hostile.socket.destroy();
    }
  },

  /** Registers, then sends valid frames cut at random boundaries with random pauses. */
  async 'split-frames'(context, random, stats, worker) {
    for (let round = 0; !context.stopped(); round++) {
      const hostile = await dial(context, random, stats, true);
      if (!hostile) continue;
      const frames: Uint8Array[] = [helloFor(`Mallory-${worker}-${round}`)];
      for (let index = random.int(20, 120); index > 0; index--) {
        const id = `m${round}-${index}`;
        const target = random.chance(0.1)
          ? random.pick(context.wellBehaved)
          : random.chance(0.5)
            ? random.pick(context.slowReaders)
            : `Nobody${random.int(1, 99)}`;
        const frame: ClientFrame = random.pick<ClientFrame>([
          { type: 'send', id, to: target, text: hostileText(random, 300) },
          {
            type: 'snippet',
            id,
            to: random.pick(context.slowReaders),
            snippet: { code: 'print("hi")\n'.repeat(random.int(1, 50)), language: 'python', file: 'a.py' },
          },
          { type: 'broadcast', id, text: hostileText(random, 200) },
          { type: 'ping', id },
        ]);
        frames.push(encodeFrame(frame));
      }
      const wire = Buffer.concat(frames);
      for (let start = 0; start < wire.length && !context.stopped() && !hostile.closed;) {
        const end = Math.min(wire.length, start + random.int(1, 400));
        send(hostile, wire.subarray(start, end), stats);
        start = end;
        await sleep(random.int(0, 25));
      }
      if (hostile.closed && !context.stopped()) stats.closedByRelay++;
      hostile.socket.end();
    }
  },

  /** Opens connections that stop inside a frame, a name or a character, and holds them. */
  async 'partial-frames'(context, random, stats) {
    const holders: Array<Promise<void>> = [];
    const beginnings = [
      () => '{"type":"hello","protocol":"classroom-relay","versions":[1],"name":"Mall',
      () => `{"type":"send","id":"x","to":"Anna","text":"${'a'.repeat(random.int(1000, 60_000))}`,
      () => Uint8Array.of(0x7b, 0x22, 0xf0, 0x9f),
      () => Uint8Array.of(0x4d, 0xc3), // a course name stopping inside "ä"
      () => 'MalloryPartial',
    ];
    while (!context.stopped() && holders.length < 40) {
      const hostile = await dial(context, random, stats, random.chance(0.5));
      if (hostile) {
        send(hostile, random.pick(beginnings)(), stats);
        holders.push(hold(hostile, context, stats));
      }
      await sleep(random.int(200, 800));
    }
    await Promise.all(holders);
  },

  /** Registers and never reads; some of them flood `x\n` while not reading. */
  async 'slow-readers'(context, random, stats) {
    await Promise.all(
      context.slowReaders.map(async (name, index) => {
        const hostile = await dial(context, random, stats, false);
        if (!hostile) return;
        const framed = index % 2 === 0;
        send(hostile, framed ? helloFor(name) : `${name}\n`, stats);
        await sleep(500);
        if (index % 3 === 0) await pour(hostile, repeatToSize('x\n', 64 * 1024), context.floodBytes, context, stats);
        await hold(hostile, context, stats);
      }),
    );
  },

  /** Registers and pours `x\n` lines; half of them never read the answers. */
  async 'flood-x'(context, random, stats, worker) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, random.chance(0.5));
      if (!hostile) continue;
      const framed = random.chance(0.5);
      send(
        hostile,
        framed ? helloFor(`Mallory-x${worker}-${random.int(0, 1e6)}`) : `Mallory-x${worker}-${random.int(0, 1e6)}\n`,
        stats,
      );
      await pour(hostile, repeatToSize('x\n', 64 * 1024), context.floodBytes, context, stats);
      hostile.socket.destroy();
    }
  },

  /** Pours frames that are bad in every way the decoder knows; half never read the errors. */
  async 'flood-bad-frames'(context, random, stats, worker) {
    const bad = [
      '{"type":"nope"}\n',
      '{}\n',
      '[1,2]\n',
      '{"type":"send","id":1}\n',
      '{"type":"send","id":"a","to":"","text":"x"}\n',
      '{bad json\n',
      '{"type":"hello"}\n',
      '{"type":"ping","id":""}\n',
    ];
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, random.chance(0.5));
      if (!hostile) continue;
      if (random.chance(0.5)) send(hostile, helloFor(`Mallory-b${worker}-${random.int(0, 1e6)}`), stats);
      const chunk = Buffer.concat([
        ...Array.from({ length: 2000 }, () => Buffer.from(random.pick(bad))),
        Buffer.from([0xc3, 0x28, 0x0a]),
      ]);
      await pour(hostile, chunk, context.floodBytes, context, stats);
      hostile.socket.destroy();
    }
  },

  /** Sends 16 KB messages to the peers that never read, without waiting for acks. */
  async 'flood-big-messages'(context, random, stats, worker) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, true);
      if (!hostile) continue;
      send(hostile, helloFor(`Mallory-big${worker}-${random.int(0, 1e6)}`), stats);
      const text = 'Grüezi 👋 '.repeat(1400); // about 16 KB
      const frames = Buffer.concat(
        context.slowReaders.map((to, index) =>
          encodeFrame({ type: 'send', id: `b${index}-${random.int(0, 1e9)}`, to, text }),
        ),
      );
      await pour(hostile, frames, context.floodBytes, context, stats);
      hostile.socket.destroy();
    }
  },

  /** One address opens connections and holds them, sending nothing, up to 200. */
  async 'address-hog'(context, random, stats) {
    const holders: Array<Promise<void>> = [];
    while (!context.stopped() && holders.length < 200) {
      const hostile = await dial(context, random, stats, true, '127.0.0.9');
      if (hostile) holders.push(hold(hostile, context, stats));
      await sleep(random.int(5, 50));
    }
    await Promise.all(holders);
  },

  /** Connects and leaves at once, sometimes after a byte, a hello or a name. */
  async churn(context, random, stats) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, true);
      if (!hostile) {
        await sleep(10);
        continue;
      }
      const what = random.int(0, 3);
      if (what === 1) send(hostile, random.bytes(1), stats);
      if (what === 2) send(hostile, helloFor(`Mallory-c${random.int(0, 1e6)}`), stats);
      if (what === 3) send(hostile, `Mallory-c${random.int(0, 1e6)}\n`, stats);
      await sleep(random.int(0, 30));
      if (random.chance(0.5)) hostile.socket.destroy();
      else hostile.socket.end();
    }
  },
};

export function newStats(): AttackStats {
  return { connections: 0, failedConnects: 0, bytesSent: 0, closedByRelay: 0 };
}

/** Runs `workers` loops of an attack until the context says stop. */
export async function runAttack(
  kind: AttackKind,
  workers: number,
  context: AttackContext,
  random: FuzzRandom,
  stats: AttackStats,
): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, (_, worker) =>
      attacks[kind](context, random.fork(worker), stats, worker).catch(() => {}),
    ),
  );
}
