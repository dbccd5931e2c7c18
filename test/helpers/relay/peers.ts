/** Raw TCP peers on 127.0.0.1, as a course client or netcat would be, but scriptable. */
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { Waiters } from '../time/wait';
import { RelayServer, type RelayServerOptions } from '../../../src/server';
import { FrameDecoder, encodeFrame } from '../../../src/protocol/frameCodec';
import { parseServerFrame } from '../../../src/protocol/serverFrameParser';
import type { ClientFrame, ServerFrame } from '../../../src/protocol/frames';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TestRelay {
  relay: RelayServer;
  port: number;
  logs: string[];
  close(): Promise<void>;
}

export async function startRelay(options: RelayServerOptions = {}): Promise<TestRelay> {
  const logs: string[] = [];
  const relay = new RelayServer({ host: '127.0.0.1', port: 0, log: (line) => logs.push(line), ...options });
  const address = await relay.listen();
  return { relay, port: address.port, logs, close: () => relay.close() };
}

/** A peer that reads raw bytes: what netcat or the course client would see. */
export class RawPeer {
  readonly socket: Socket;
  private received = Buffer.alloc(0);
  private readonly waiters = new Waiters();
  closed = false;
  /** The relay ended its side (FIN received). */
  ended = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('end', () => {
      this.ended = true;
      this.waiters.notify();
    });
    socket.on('data', (data) => {
      this.received = Buffer.concat([this.received, data]);
      this.waiters.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.notify();
    });
    socket.on('error', () => {});
  }

  /**
   * `from` is the local address (another 127.x.y.z plays another host); `halfOpen` keeps the
   * socket open after the relay ends its side, as a peer that never closes would.
   */
  static async connect(port: number, options: { from?: string; halfOpen?: boolean } = {}): Promise<RawPeer> {
    const socket = connect({
      host: '127.0.0.1',
      port,
      localAddress: options.from,
      allowHalfOpen: options.halfOpen ?? false,
    });
    await once(socket, 'connect');
    socket.setNoDelay(true);
    return new RawPeer(socket);
  }

  get text(): string {
    return this.received.toString('utf8');
  }

  get bytes(): Buffer {
    return this.received;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Waits until the received text contains `expected` (or satisfies it); returns the text so far. */
  waitFor(expected: string | RegExp | ((text: string) => boolean), timeoutMs = 5000): Promise<string> {
    const found = () =>
      typeof expected === 'string'
        ? this.text.includes(expected)
        : typeof expected === 'function'
          ? expected(this.text)
          : expected.test(this.text);
    return this.waiters.until(
      () => (found() ? this.text : undefined),
      () => `${String(expected)}; received ${JSON.stringify(this.text)}${this.closed ? ' (closed)' : ''}`,
      timeoutMs,
    );
  }

  waitClosed(timeoutMs = 5000): Promise<string> {
    return this.waiters.until(
      () => (this.closed ? this.text : undefined),
      () => `close; received ${JSON.stringify(this.text)}`,
      timeoutMs,
    );
  }

  close(): void {
    this.socket.destroy();
  }
}

/** What a relay answers a hello: its welcome or its refusal. */
export type HelloAnswer = Extract<ServerFrame, { type: 'welcome' | 'error' }>;

/** A course-dialect peer: name sent alone, then a pause, as the course client does. */
export async function coursePeer(port: number, name: string, newline = false): Promise<RawPeer> {
  const peer = await RawPeer.connect(port);
  peer.write(newline ? `${name}\n` : name);
  await sleep(120);
  return peer;
}

/** A framed-protocol peer that decodes what it gets. */
export class FramedPeer {
  readonly frames: ServerFrame[] = [];
  private readonly decoder = new FrameDecoder();
  private readonly waiters = new Waiters();
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (data) => {
      for (const line of this.decoder.push(data)) {
        if (line.kind !== 'json') throw new Error(`relay sent a bad frame: ${line.message}`);
        const parsed = parseServerFrame(line.value);
        if (!parsed.ok) throw new Error(`relay sent an invalid frame: ${parsed.message}`);
        // Like every client of the framed protocol, answer keepalive pings.
        if (parsed.frame.type === 'ping') this.send({ type: 'pong' });
        else this.frames.push(parsed.frame);
      }
      this.waiters.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.notify();
    });
    socket.on('error', () => {});
  }

  /** `from` is the local address: another 127.x.y.z plays another host. */
  static async connect(
    port: number,
    name?: string,
    options: { teacherKey?: string; from?: string; class?: string } = {},
  ): Promise<FramedPeer> {
    const { from, ...hello } = options;
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    await once(socket, 'connect');
    const peer = new FramedPeer(socket);
    if (name !== undefined) {
      peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name, ...hello });
      await peer.next('welcome');
    }
    return peer;
  }

  /**
   * A hello that may be refused: the peer with the relay's answer, a welcome or an error. `from`
   * is the local address (another 127.x.y.z plays another host).
   */
  static async hello(
    port: number,
    name: string,
    options: { teacherKey?: string; resume?: string; from?: string; class?: string } = {},
  ): Promise<{ peer: FramedPeer; answer: HelloAnswer }> {
    const peer = await FramedPeer.connect(port, undefined, { from: options.from });
    peer.send({
      type: 'hello',
      protocol: 'classroom-relay',
      versions: [1],
      name,
      teacherKey: options.teacherKey,
      class: options.class,
      resume: options.resume === undefined ? undefined : { token: options.resume, lastSeq: 0 },
    });
    const outcomes = [peer.next('welcome'), peer.next('error')] as const;
    // The other one never comes: its wait ends in a rejection nobody needs.
    for (const outcome of outcomes) outcome.catch(() => undefined);
    return { peer, answer: await Promise.race(outcomes) };
  }

  send(frame: ClientFrame): void {
    this.socket.write(encodeFrame(frame));
  }

  /** The first frame of `type` (matching `where`) not yet taken by an earlier call. */
  next<T extends ServerFrame['type']>(
    type: T,
    where: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    type Wanted = Extract<ServerFrame, { type: T }>;
    return this.waiters.until(
      () => {
        const index = this.frames.findIndex((frame) => frame.type === type && where(frame as Wanted));
        if (index !== -1) return this.frames.splice(index, 1)[0] as Wanted;
        if (this.closed) throw new Error(`closed before a "${type}" frame arrived; got ${JSON.stringify(this.frames)}`);
        return undefined;
      },
      () => `a "${type}" frame; got ${JSON.stringify(this.frames)}`,
      timeoutMs,
    );
  }

  waitClosed(timeoutMs = 5000): Promise<true> {
    return this.waiters.until(
      () => (this.closed ? true : undefined),
      () => 'the relay to close the connection',
      timeoutMs,
    );
  }

  /**
   * Leaves as our clients do: goodbye, then the end of the connection, so the name is free at
   * once. Resolves when the relay has closed its side too.
   */
  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    this.socket.end(encodeFrame({ type: 'bye' }));
    return this.waitClosed().then(() => undefined);
  }

  /** Vanishes without goodbye, as a crashed client or a dead network would: the relay holds the name for a resume. */
  drop(): void {
    this.socket.destroy();
  }
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
