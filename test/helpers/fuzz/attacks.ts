/**
 * Hostile peers for the network fuzz run, each kind a loop that runs until the run stops:
 * noise, valid frames cut at random boundaries, frames that never finish, peers that never
 * read, floods of `x\n` and of bad frames, connect/disconnect churn, one address holding
 * as many connections as it can. Every connection comes from a loopback address other than
 * 127.0.0.1 (random ones from 127.0.1.1 to 127.0.8.254, and 127.0.0.9 for the hog) and goes to
 * the relay on 127.0.0.1: nothing leaves the machine. Volumes are capped per connection. The
 * kinds of attacksRoundTwo.ts run through the same `runAttack`.
 */
import { encodeFrame } from '../../../src/protocol/frameCodec';
import type { ClientFrame } from '../../../src/protocol/frames';
import type { FuzzRandom } from './random';
import { ROUND_TWO_ATTACKS, type RoundTwoKind } from './attacksRoundTwo';
import { dial, helloFor, hold, pour, send, sleep, type AttackContext, type AttackStats } from './hostileSockets';

export type AttackKind =
  | 'noise'
  | 'split-frames'
  | 'partial-frames'
  | 'slow-readers'
  | 'flood-x'
  | 'flood-bad-frames'
  | 'flood-big-messages'
  | 'churn'
  | 'address-hog'
  | RoundTwoKind;

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

type Attack = (context: AttackContext, random: FuzzRandom, stats: AttackStats, worker: number) => Promise<void>;

const attacks: Record<
  Exclude<AttackKind, RoundTwoKind>,
  (context: AttackContext, random: FuzzRandom, stats: AttackStats, worker: number) => Promise<void>
> = {
  /** Random bytes in a few writes, sometimes starting like a frame, then gone. */
  async noise(context, random, stats) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, { read: true });
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
      const hostile = await dial(context, random, stats, { read: true });
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
      const hostile = await dial(context, random, stats, { read: random.chance(0.5) });
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
        const hostile = await dial(context, random, stats, { read: false });
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
      const hostile = await dial(context, random, stats, { read: random.chance(0.5) });
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
      const hostile = await dial(context, random, stats, { read: random.chance(0.5) });
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
      const hostile = await dial(context, random, stats, { read: true });
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
      const hostile = await dial(context, random, stats, { read: true, localAddress: '127.0.0.9' });
      if (hostile) holders.push(hold(hostile, context, stats));
      await sleep(random.int(5, 50));
    }
    await Promise.all(holders);
  },

  /** Connects and leaves at once, sometimes after a byte, a hello or a name. */
  async churn(context, random, stats) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, { read: true });
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
      attackOf(kind)(context, random.fork(worker), stats, worker).catch(() => {}),
    ),
  );
}

function attackOf(kind: AttackKind): Attack {
  return kind in ROUND_TWO_ATTACKS
    ? ROUND_TWO_ATTACKS[kind as RoundTwoKind]
    : attacks[kind as Exclude<AttackKind, RoundTwoKind>];
}
