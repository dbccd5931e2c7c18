/**
 * The second round of hostile peers: work the relay refuses but must still pay for (refused
 * messages, pings nobody reads), sockets that take a slot and say nothing (plain, and TLS before
 * and after the handshake), names registered and dropped as fast as one address can, and raised
 * hands with long questions from many names of one address. Each kind comes from loopback
 * addresses of its own (127.0.9.x, 127.0.10.x, 127.0.11.x: outside the other attacks' random
 * 127.0.1.x–127.0.8.x), so what one address may do is what it gets; every loop ends with the run.
 */
import { encodeFrame } from '../../../src/protocol/frameCodec';
import { MAX_NAME_LENGTH, MAX_QUESTION_BYTES } from '../../../src/protocol/limits';
import type { ClientFrame } from '../../../src/protocol/frames';
import type { FuzzRandom } from './random';
import {
  dial,
  helloFor,
  hold,
  pause,
  pour,
  send,
  sleep,
  welcomed,
  type AttackContext,
  type AttackStats,
  type Wire,
} from './hostileSockets';

export type RoundTwoKind =
  'refused-flood' | 'ping-flood' | 'silent-plain' | 'silent-tls' | 'registration-churn' | 'hand-flood';

/** One address per kind: the workers of a kind are connections of one host. */
const ADDRESS = {
  refused: '127.0.9.1',
  ping: '127.0.9.2',
  churn: '127.0.9.3',
  hands: '127.0.9.4',
  /** Silent sockets: one address per worker, as many hosts each taking its per-address share. */
  silentPlain: (worker: number) => `127.0.10.${worker + 1}`,
  silentTls: (worker: number) => `127.0.11.${worker + 1}`,
};

/** Connections of the one address that the hand flood leaves free: all but two of its slots raise hands. */
const HAND_SLOTS_LEFT = 2;

type Attack = (context: AttackContext, random: FuzzRandom, stats: AttackStats, worker: number) => Promise<void>;

/** Frames the relay refuses or answers without counting an error: unknown peers, past the rate, hands, who. */
function refusedFrames(random: FuzzRandom, worker: number): Uint8Array {
  const frames: ClientFrame[] = [];
  for (let index = 0; index < 1000; index++) {
    const id = `r${worker}-${random.int(0, 1e9)}`;
    frames.push(
      random.pick<ClientFrame>([
        { type: 'send', id, to: `Nobody${random.int(1, 99)}`, text: 'hallo' },
        { type: 'send', id, to: `Nobody${random.int(1, 99)}`, text: 'hallo' },
        { type: 'hand', id, up: random.chance(0.5), question: 'warum?' },
        { type: 'who', id },
        { type: 'pong', id },
      ]),
    );
  }
  return Buffer.concat(frames.map((frame) => encodeFrame(frame)));
}

/** Course lines the relay refuses without counting an error: unknown peers, past the rate, hands. */
function refusedLines(random: FuzzRandom): Uint8Array {
  const lines: string[] = [];
  for (let index = 0; index < 2000; index++)
    lines.push(random.pick([`Nobody${random.int(1, 99)}:hallo\n`, '!hand warum?\n', '!hand ab\n']));
  return Buffer.from(lines.join(''));
}

function pings(count: number): Uint8Array {
  const lines: string[] = [];
  for (let index = 0; index < count; index++)
    lines.push(index % 2 === 0 ? `{"type":"ping","id":"p${index}"}\n` : '{"type":"ping"}\n');
  return Buffer.from(lines.join(''));
}

/**
 * A question as long as a hand may carry, of four-byte characters, so that the part a roster
 * shows (its first characters) takes as many bytes as it can.
 */
function longQuestion(random: FuzzRandom): string {
  const pieces = ['🤔', '🐍', '💻', '📡', '🧵', '🔌'];
  let text = '';
  while (Buffer.byteLength(text) + 4 <= MAX_QUESTION_BYTES) text += random.pick(pieces);
  return text;
}

/** A name as long as a name may be, in two-byte letters, so that a roster's entry of it takes many bytes. */
function longName(worker: number, index: number): string {
  return `Mallory-h${worker}-${index}-`.padEnd(MAX_NAME_LENGTH, 'ä');
}

/** Keeps one slot of `localAddress` taken by a socket that never sends: when the relay closes it, another. */
async function keepSilentSlot(
  context: AttackContext,
  random: FuzzRandom,
  stats: AttackStats,
  localAddress: string,
  wire: Wire,
): Promise<void> {
  while (!context.stopped()) {
    const hostile = await dial(context, random, stats, { read: true, localAddress, wire });
    if (hostile) await hold(hostile, context, stats);
    await pause(random.int(300, 1000), context);
  }
}

/** Takes every slot one address may hold with silent sockets; `wireOf(slot)` says how each connects. */
async function silentAddress(
  context: AttackContext,
  random: FuzzRandom,
  stats: AttackStats,
  localAddress: string,
  wireOf: (slot: number) => Wire,
): Promise<void> {
  await Promise.all(
    Array.from({ length: context.perAddress }, async (_, slot) => {
      await sleep(slot * 5);
      await keepSilentSlot(context, random.fork(slot), stats, localAddress, wireOf(slot));
    }),
  );
}

/**
 * One name of the hand flood: registers, then raises its hand with a long question, keeps it up
 * for a while (so that hands raised later queue behind it), lowers it, raises it again.
 */
async function raiseAndLower(context: AttackContext, random: FuzzRandom, stats: AttackStats, name: string) {
  while (!context.stopped()) {
    const hostile = await dial(context, random, stats, { read: true, localAddress: ADDRESS.hands });
    if (!hostile) {
      await sleep(200);
      continue;
    }
    send(hostile, helloFor(name), stats);
    if (await welcomed(hostile)) stats.registrations++;
    for (let round = 0; !context.stopped() && !hostile.closed; round++) {
      send(hostile, encodeFrame({ type: 'hand', id: `h${round}`, up: true, question: longQuestion(random) }), stats);
      await pause(random.int(15_000, 30_000), context);
      if (context.stopped()) break;
      send(hostile, encodeFrame({ type: 'hand', id: `l${round}`, up: false }), stats);
      await sleep(random.int(20, 200));
    }
    if (hostile.closed && !context.stopped()) stats.closedByRelay++;
    hostile.socket.destroy();
    await pause(random.int(200, 500), context);
  }
}

export const ROUND_TWO_ATTACKS: Record<RoundTwoKind, Attack> = {
  /** Registers and pours what the relay refuses without counting an error, reading every answer. */
  async 'refused-flood'(context, random, stats, worker) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, { read: true, localAddress: ADDRESS.refused });
      if (!hostile) {
        await sleep(50);
        continue;
      }
      const name = `Mallory-r${worker}-${random.int(0, 1e6)}`;
      const framed = worker % 2 === 0;
      send(hostile, framed ? helloFor(name) : `${name}\n`, stats);
      const chunk = framed ? refusedFrames(random, worker) : refusedLines(random);
      await pour(hostile, chunk, context.floodBytes, context, stats);
      hostile.socket.destroy();
    }
  },

  /** Registers and pours pings; all but the fourth worker never read the pongs (it counts them). */
  async 'ping-flood'(context, random, stats, worker) {
    const chunk = pings(2000);
    while (!context.stopped()) {
      const read = worker % 4 === 3;
      const hostile = await dial(context, random, stats, { read, localAddress: ADDRESS.ping });
      if (!hostile) {
        await sleep(50);
        continue;
      }
      send(hostile, helloFor(`Mallory-p${worker}-${random.int(0, 1e6)}`), stats);
      await pour(hostile, chunk, context.floodBytes, context, stats);
      hostile.socket.destroy();
    }
  },

  /** One address per worker holds as many plain connections as it may, none of them ever sending. */
  async 'silent-plain'(context, random, stats, worker) {
    await silentAddress(context, random, stats, ADDRESS.silentPlain(worker), () => 'plain');
  },

  /**
   * One address per worker holds as many TLS connections as it may: half never start the
   * handshake, half finish it and say nothing.
   */
  async 'silent-tls'(context, random, stats, worker) {
    if (context.tlsPort === undefined) return;
    await silentAddress(context, random, stats, ADDRESS.silentTls(worker), (slot) =>
      slot % 2 === 0 ? 'tls-silent' : 'tls',
    );
  },

  /** Registers a fresh name and drops it without a goodbye, as fast as one address can; framed and course. */
  async 'registration-churn'(context, random, stats, worker) {
    while (!context.stopped()) {
      const hostile = await dial(context, random, stats, { read: true, localAddress: ADDRESS.churn });
      if (!hostile) {
        await sleep(20);
        continue;
      }
      const name = `Mallory-n${worker}-${random.int(0, 1e9)}`;
      if (worker % 2 === 0) {
        send(hostile, helloFor(name), stats);
        if (await welcomed(hostile)) stats.registrations++;
      } else {
        send(hostile, `${name}\n`, stats);
        await sleep(5);
      }
      hostile.socket.destroy();
    }
  },

  /** Many names of one address raise their hands with the longest questions, lower them, raise them again. */
  async 'hand-flood'(context, random, stats, worker) {
    const names = context.perAddress - HAND_SLOTS_LEFT;
    await Promise.all(
      Array.from({ length: names }, async (_, index) => {
        await sleep(index * 10);
        await raiseAndLower(context, random.fork(index), stats, longName(worker, index));
      }),
    );
  },
};
