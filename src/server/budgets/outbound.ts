/**
 * Everything the relay writes to one connection goes through here and counts against the
 * connection's output cap: messages for it, and the relay's own replies (acks, errors, pongs,
 * presence, course error lines). Messages are refused past the cap (the sender hears
 * `recipient-busy`); a reply that would pass the cap plus a small headroom means the client
 * does not read what it asks for, and the connection is closed. All connections' output together
 * counts against the relay's budget too (outputPool.ts). What one turn of the event loop writes
 * leaves in one socket write (outputFlush.ts), and counts from the moment it is written here.
 */
import type { Socket } from 'node:net';
import { RELAY_DEFAULTS } from '../policy/defaults';
import type { OutputPool, PooledOutput } from './outputPool';
import { flushAfterTurn, type Flushable } from './outputFlush';

export interface OutputCap {
  /** Bytes waiting for the client beyond which messages for it are refused. */
  messageBytes: number;
  /** Extra room for the relay's replies; past it the connection is closed. */
  headroomBytes: number;
}

export type WriteKind = 'message' | 'reply';

/** Who is told when a client does not read what it asks for (its connection: no closure per connection). */
export interface OverflowListener {
  outputOverflowed(pendingBytes: number): void;
}

interface Queued {
  bytes: Uint8Array;
  sender: string | undefined;
}

/**
 * What a connection is written: bytes, or the text of whole frames or lines (UTF-8 on the wire),
 * which the turn's writes turn into bytes at once.
 */
export type Output = Uint8Array | string;

/** The bytes `output` takes on the wire. */
export function outputSize(output: Output): number {
  return typeof output === 'string' ? Buffer.byteLength(output) : output.length;
}

/**
 * A paced client drains slowly (the course's client: one message per write gap, about 20 KB/s),
 * so one sender may fill at most a share of its queue: others' messages still get through.
 */
const SENDER_SHARE = RELAY_DEFAULTS.senderShare.value;

/**
 * A turn's output this large leaves at once: a write per frame costs little beside frames this
 * size, and the system takes it now, so what waits (and the room a client's cap leaves) stays as
 * if every frame were written at once.
 */
const WRITE_NOW_BYTES = 32 * 1024;

export class Outbound implements PooledOutput, Flushable {
  /** Only a paced client queues: the queue and its count by sender are made when first needed. */
  private queue: Queued[] | undefined;
  private queuedBytes = 0;
  /**
   * Written during this turn, to leave in one socket write when it ends: its text since the last
   * bytes (strings joined as they come, which costs no array), and its bytes, when it wrote any.
   */
  private turnText = '';
  private turnChunks: Uint8Array[] | undefined;
  private turnSize = 0;
  private queuedBySender: Map<string, number> | undefined;
  private gapMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private drained: (() => void) | undefined;
  private overflowed = false;
  private closed = false;
  /** Bytes counted in the pool: written or queued, not yet handed to the system. */
  private counted = 0;

  constructor(
    private readonly socket: Socket,
    private readonly cap: OutputCap,
    private readonly listener: OverflowListener,
    private readonly pool?: OutputPool,
  ) {
    pool?.join(this);
  }

  /** Bytes written but not yet taken by the client, and bytes still queued for the turn's end or for pacing. */
  get pendingBytes(): number {
    return this.socket.writableLength + this.turnSize + this.queuedBytes;
  }

  /**
   * Nothing waiting, queued or counted, and not closed: a new Outbound (paced alike by its owner)
   * would be the same, so this one may go.
   */
  get idle(): boolean {
    return !this.closed && this.counted === 0 && this.timer === undefined && this.pendingBytes === 0;
  }

  /** Whether a message of `bytes` (from `sender`) may still be queued for this client. */
  fits(bytes: number, sender?: string): boolean {
    if (this.closed || this.pendingBytes + bytes > this.cap.messageBytes) return false;
    if (this.pool && !this.pool.fitsMessage(bytes, this.pendingBytes)) return false;
    if (sender === undefined || this.gapMs === 0) return true;
    return (this.queuedBySender?.get(sender) ?? 0) + bytes <= this.cap.messageBytes * SENDER_SHARE;
  }

  /**
   * Course clients that frame by pauses need each message in its own read: one write, then a
   * gap. Everything queued from now on is paced.
   */
  pace(gapMs: number): void {
    // What this turn wrote goes first, so the paced messages cannot overtake it.
    if (gapMs > 0) this.flush();
    this.gapMs = gapMs;
  }

  /**
   * Writes or queues `output` of `size` bytes; false when it was refused (a message over the cap,
   * or the connection is closing).
   */
  write(output: Output, kind: WriteKind, sender?: string, size: number = outputSize(output)): boolean {
    if (this.closed) return false;
    const limit = kind === 'message' ? this.cap.messageBytes : this.cap.messageBytes + this.cap.headroomBytes;
    if (this.pendingBytes + size > limit) {
      if (kind === 'reply') this.overflow();
      return false;
    }
    if (this.pool) {
      const room =
        kind === 'message' ? this.pool.fitsMessage(size, this.pendingBytes) : this.pool.makeRoomForReply(size);
      if (!room || this.closed) return false;
    }
    if (this.gapMs === 0) {
      if (this.socket.writable) this.writeAfterTurn(output, size);
      return true;
    }
    const bytes = typeof output === 'string' ? Buffer.from(output) : output;
    this.count(bytes.length);
    (this.queue ??= []).push({ bytes, sender });
    this.queuedBytes += bytes.length;
    if (sender !== undefined) {
      this.queuedBySender ??= new Map();
      this.queuedBySender.set(sender, (this.queuedBySender.get(sender) ?? 0) + bytes.length);
    }
    if (!this.timer) this.writeNext();
    return true;
  }

  /** Calls `done` once everything queued has been handed to the socket. */
  whenQueueEmpty(done: () => void): void {
    this.flush();
    if (!this.queue?.length && !this.timer) done();
    else this.drained = done;
  }

  /** The relay's output budget is spent and this connection has the most waiting: it is closed. */
  evict(): void {
    this.overflow();
    this.dispose();
  }

  dispose(): void {
    this.closed = true;
    this.pool?.leave(this, this.counted);
    this.counted = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = undefined;
    this.queuedBytes = 0;
    this.queuedBySender = undefined;
    this.turnText = '';
    this.turnChunks = undefined;
    this.turnSize = 0;
    this.drained = undefined;
  }

  /** Hands what this turn wrote to the socket, in one write; the bytes count in the pool until the system took them. */
  flush(): void {
    const bytes = this.turnSize;
    if (bytes === 0) return;
    const text = this.turnText;
    const chunks = this.turnChunks;
    this.turnText = '';
    this.turnChunks = undefined;
    this.turnSize = 0;
    if (this.closed) return;
    if (!this.socket.writable) {
      this.uncount(bytes);
      return;
    }
    if (chunks && text !== '') chunks.push(Buffer.from(text));
    const all = !chunks ? Buffer.from(text) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
    try {
      if (this.pool) this.socket.write(all, () => this.uncount(bytes));
      else this.socket.write(all);
    } catch {
      // A socket that cannot take a write is gone: so is this connection, not the others of the turn.
      this.socket.destroy();
    }
  }

  /** Counts `output` now and writes it with the rest of this turn's output. */
  private writeAfterTurn(output: Output, size: number): void {
    if (size === 0) return;
    this.count(size);
    if (this.turnSize === 0) flushAfterTurn(this);
    this.turnSize += size;
    if (typeof output === 'string') this.turnText += output;
    else {
      // Bytes after text: the text so far becomes bytes, so the turn's output stays in order.
      const chunks = (this.turnChunks ??= []);
      if (this.turnText !== '') chunks.push(Buffer.from(this.turnText));
      this.turnText = '';
      chunks.push(output);
    }
    if (this.turnSize >= WRITE_NOW_BYTES) this.flush();
  }

  private writeNext(): void {
    const next = this.queue?.shift();
    if (next === undefined || this.closed) {
      this.timer = undefined;
      const drained = this.drained;
      this.drained = undefined;
      drained?.();
      return;
    }
    this.queuedBytes -= next.bytes.length;
    if (next.sender !== undefined) {
      const left = (this.queuedBySender?.get(next.sender) ?? 0) - next.bytes.length;
      if (left > 0) this.queuedBySender?.set(next.sender, left);
      else this.queuedBySender?.delete(next.sender);
    }
    this.uncount(next.bytes.length);
    if (this.socket.writable) this.send(next.bytes);
    this.timer = setTimeout(() => this.writeNext(), this.gapMs);
  }

  /** Writes to the socket; the bytes count in the pool until the system has taken them. */
  private send(bytes: Uint8Array): void {
    if (!this.pool) {
      this.socket.write(bytes);
      return;
    }
    this.count(bytes.length);
    this.socket.write(bytes, () => this.uncount(bytes.length));
  }

  private count(bytes: number): void {
    if (!this.pool || this.closed) return;
    this.counted += bytes;
    this.pool.add(bytes);
  }

  private uncount(bytes: number): void {
    if (!this.pool || this.closed) return;
    this.counted -= bytes;
    this.pool.release(bytes);
  }

  private overflow(): void {
    if (this.overflowed) return;
    this.overflowed = true;
    this.listener.outputOverflowed(this.pendingBytes);
  }
}
