/**
 * The sockets of the network fuzz run's hostile peers: dialling the relay from a loopback
 * address (plain, raw TCP to the TLS port, or a finished TLS handshake), writing with
 * backpressure, holding, and ending them all together. Every attack kind is built on these.
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { encodeFrame } from '../../../src/protocol/frameCodec';
import type { FuzzRandom } from './random';

export interface AttackStats {
  connections: number;
  /** Connections that failed to open (refused, reset, timed out). */
  failedConnects: number;
  bytesSent: number;
  /** Connections the relay closed while the attack was still using them. */
  closedByRelay: number;
  /** Lines (frames or course lines) the relay sent to the hostile peers that read. */
  linesReceived: number;
  /** Registrations the relay confirmed (a welcome) to the hostile peers that wait for one. */
  registrations: number;
}

export function newStats(): AttackStats {
  return { connections: 0, failedConnects: 0, bytesSent: 0, closedByRelay: 0, linesReceived: 0, registrations: 0 };
}

export interface AttackContext {
  port: number;
  /** The relay's TLS port, when it has one. */
  tlsPort: number | undefined;
  stopped(): boolean;
  /** Names of the well-behaved clients, which some hostile frames address. */
  wellBehaved: readonly string[];
  /** Names of the hostile peers that never read. */
  slowReaders: readonly string[];
  /** Bytes one flooding connection may send; a cap keeps the run bounded. */
  floodBytes: number;
  /** Connections the relay lets one address hold: what a hoarder of slots takes per address. */
  perAddress: number;
}

/** All hostile sockets, so the run can end them together. */
const open = new Set<Socket>();

export function destroyAllHostile(): void {
  for (const socket of open) socket.destroy();
  open.clear();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sleeps `ms`, or less when the run stops first: long pauses must not keep an attack past its end. */
export async function pause(ms: number, context: AttackContext): Promise<void> {
  const until = Date.now() + ms;
  while (!context.stopped() && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
}

export interface Hostile {
  socket: Socket;
  closed: boolean;
}

/**
 * How a hostile peer reaches the relay: the plain port, the TLS port without ever starting the
 * handshake (`tls-silent`), or the TLS port with the handshake done (`tls`).
 */
export type Wire = 'plain' | 'tls-silent' | 'tls';

export interface DialOptions {
  /** Read what the relay sends (and count its lines), or never read. */
  read: boolean;
  localAddress?: string;
  wire?: Wire;
}

function socketFor(context: AttackContext, wire: Wire, localAddress: string): Socket {
  if (wire === 'plain') return connect({ host: '127.0.0.1', port: context.port, localAddress });
  if (context.tlsPort === undefined) throw new Error('the relay under fuzz has no TLS port');
  if (wire === 'tls-silent') return connect({ host: '127.0.0.1', port: context.tlsPort, localAddress });
  // A self-signed test certificate: the fuzz attacks the relay, not the client's trust decisions.
  const tcp = connect({ host: '127.0.0.1', port: context.tlsPort, localAddress });
  tcp.on('error', () => {});
  return connectTls({ socket: tcp, servername: 'localhost', rejectUnauthorized: false });
}

export async function dial(
  context: AttackContext,
  random: FuzzRandom,
  stats: AttackStats,
  options: DialOptions,
): Promise<Hostile | undefined> {
  const wire = options.wire ?? 'plain';
  const socket = socketFor(context, wire, options.localAddress ?? random.loopbackAddress());
  open.add(socket);
  const hostile: Hostile = { socket, closed: false };
  socket.on('error', () => {});
  socket.on('close', () => {
    hostile.closed = true;
    open.delete(socket);
  });
  if (options.read) socket.on('data', (data: Buffer) => (stats.linesReceived += countLines(data)));
  else socket.pause();
  const connected = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    socket.once(wire === 'tls' ? 'secureConnect' : 'connect', () => {
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

function countLines(data: Buffer): number {
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

export function send(hostile: Hostile, data: Uint8Array | string, stats: AttackStats): boolean {
  if (hostile.closed || hostile.socket.destroyed) return false;
  stats.bytesSent += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  return hostile.socket.write(data);
}

/** Writes `chunk` again and again, as fast as the relay takes it, up to `maxBytes`. */
export async function pour(
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
export async function hold(hostile: Hostile, context: AttackContext, stats: AttackStats): Promise<void> {
  while (!context.stopped() && !hostile.closed) await sleep(100);
  if (hostile.closed && !context.stopped()) stats.closedByRelay++;
}

export const helloFor = (name: string): Uint8Array =>
  encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name });

/** Resolves true when the relay's welcome arrives on a reading connection, false when it closes or 5 s pass. */
export function welcomed(hostile: Hostile): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = '';
    const finish = (result: boolean) => {
      clearTimeout(timer);
      hostile.socket.off('data', look);
      hostile.socket.off('close', closed);
      resolve(result);
    };
    const look = (data: Buffer) => {
      seen = (seen + data.toString('latin1')).slice(-4096);
      if (seen.includes('"type":"welcome"')) finish(true);
      else if (seen.includes('"type":"error"')) finish(false);
    };
    const closed = () => finish(false);
    const timer = setTimeout(() => finish(false), 5000);
    hostile.socket.on('data', look);
    hostile.socket.once('close', closed);
  });
}
