/**
 * The generator's clients of one run: connects them (at most `window` registering at once),
 * registers each in its dialect, and hands every item they read to the workload's handlers.
 * Counts the clients the server dropped and the messages it refused.
 */
import { connect, type Socket } from 'node:net';
import { CODECS, type Codec, type Incoming } from './codecs';
import type { Job } from './jobs';
import { nowUs } from './window';

/** `BENCH_DEBUG=1`: the generator prints what its clients read apart from messages. */
const DEBUG = process.env.BENCH_DEBUG === '1';

export interface FleetHandlers {
  /**
   * A message read by `recipient`, with the sender the server named (undefined: none), and when the
   * read that brought its end returned, in microseconds of the generator's clock (taken before any
   * of the read is parsed, so that the messages after it in one read do not wait for its checks).
   */
  message(recipient: number, from: number | undefined, text: string, readUs: number): void;
  garbled?(recipient: number, text: string): void;
  /** The server acknowledged a message `sender` sent with `id` (framed only), in a read that returned at `readUs`. */
  acked?(sender: number, id: string, readUs: number): void;
}

export interface FleetOptions {
  count: number;
  /** Registrations under way at once at most. */
  window: number;
  /** The client that registers with the teacher key (the broadcast's sender). */
  teacher?: number;
  /** Join the broadcast channel too (IRC). */
  channel?: boolean;
  /** The longest to wait for all to register. */
  timeoutMs: number;
}

interface Slot {
  /** A place in the window is free: the next client may start. */
  free(): void;
  /** One client is registered, or gave up. */
  done(): void;
}

export class Fleet {
  readonly codec: Codec;
  readonly sockets: Socket[] = [];
  dropped = 0;
  refused = 0;
  registered = 0;
  private closing = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly job: Job,
    private readonly handlers: FleetHandlers,
  ) {
    this.codec = CODECS[job.dialect];
  }

  /**
   * Connects and registers every client; resolves with the time it took, in microseconds. A client
   * holds one of the `window` places until it is registered, or, when its registration waits a
   * pause (a course client's name, then its probe), until it has written its name.
   */
  async register(options: FleetOptions): Promise<number> {
    const started = performance.now();
    let next = 0;
    let settled = 0;
    await new Promise<void>((resolve) => {
      const timeout = setTimeout(resolve, options.timeoutMs);
      const slot: Slot = {
        free: () => {
          if (next < options.count) this.open(next++, options, slot);
        },
        done: () => {
          if (++settled < options.count) return;
          clearTimeout(timeout);
          resolve();
        },
      };
      while (next < Math.min(options.window, options.count)) this.open(next++, options, slot);
    });
    return (performance.now() - started) * 1000;
  }

  write(index: number, bytes: string | Buffer): void {
    const socket = this.sockets[index];
    if (socket && !socket.destroyed) socket.write(bytes);
  }

  close(): void {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket?.destroy();
  }

  private open(index: number, options: FleetOptions, slot: Slot): void {
    const socket = connect({ host: '127.0.0.1', port: this.job.port });
    socket.setNoDelay(true);
    this.sockets[index] = socket;
    let settled = false;
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      slot.free();
    };
    const finish = (registered: boolean) => {
      if (settled) return;
      settled = true;
      if (registered) this.registered++;
      free();
      slot.done();
    };
    let readUs = 0;
    const parser = this.codec.parser(index, { channel: options.channel }, (item: Incoming) => {
      if (DEBUG && item.kind !== 'message' && item.kind !== 'registered') console.error(`client ${index}:`, item);
      switch (item.kind) {
        case 'registered':
          return finish(true);
        case 'message':
          return this.handlers.message(index, item.from, item.text, readUs);
        case 'acked':
          return this.handlers.acked?.(index, item.id, readUs);
        case 'refused':
          this.refused++;
          return;
        case 'garbled':
          return this.handlers.garbled?.(index, item.text);
        case 'reply':
          return void socket.write(item.bytes);
        case 'closing':
          return;
      }
    });
    socket.on('data', (chunk: Buffer) => {
      readUs = nowUs();
      parser.push(chunk);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      parser.end();
      if (!this.closing) this.dropped++;
      // A client that never registers must not hold up the others until the timeout.
      finish(false);
    });
    const teacherKey = index === options.teacher ? this.job.teacherKey : undefined;
    socket.once('connect', () => {
      const steps = this.codec.register(index, { teacherKey, channel: options.channel });
      this.steps(socket, steps);
      if (steps.length > 1) free();
    });
  }

  private steps(socket: Socket, steps: ReturnType<Codec['register']>): void {
    const [step, ...rest] = steps;
    if (!step || socket.destroyed) return;
    const run = () => {
      socket.write(step.bytes);
      this.steps(socket, rest);
    };
    if (step.afterMs === 0) return run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, step.afterMs);
    this.timers.add(timer);
  }
}

/** A small fast random generator (xorshift32), seeded so that runs choose the same recipients. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

/** A random recipient other than `from`, among `count` clients. */
export function peer(next: () => number, from: number, count: number): number {
  const pick = Math.floor(next() * (count - 1));
  return pick >= from ? pick + 1 : pick;
}
