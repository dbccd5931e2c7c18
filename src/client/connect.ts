/**
 * Opens a session with a relay, in a chosen dialect or by detection. Detection says hello in
 * the framed protocol and reads the answer: our relay welcomes; the course-lan server takes
 * the hello as a message to `{"type"` and answers "not found"; the course server says nothing,
 * so after a short wait the connection is opened again in the course dialect.
 */
import type { Socket } from 'node:net';
import { formatServerAddress, type ServerAddress, type Transport } from '../protocol/address';
import { encodeFrame } from '../protocol/frameCodec';
import type { Resume } from '../protocol/frames';
import { parseIncoming } from '../protocol/course';
import { CourseClient, type CourseClientTiming } from './courseClient';
import { FramedClient, type FramedTiming } from './framedClient';
import { connectTcp } from './tcp';
import { connectTls } from './tls';
import { RelayError, type Dialect, type DialectChoice, type RelaySession, type WireTrace } from './types';

export interface OpenOptions {
  host: string;
  port: number;
  name: string;
  dialect?: DialectChoice;
  /** Identifies the client program to the relay: its name, a slash and its version. */
  client?: string;
  /** `tls` for the relay's TLS listener (an address written tls://host:port); default `tcp`. */
  transport?: Transport;
  /**
   * The class of the relay to join (ServerAddress's `classCode`, from `HOST:PORT/CODE`): in the
   * framed hello, or as `CODE/Name` on the course dialect; undefined: the default class.
   */
  classCode?: string;
  /** For `tls`: the SHA-256 fingerprint the relay's certificate must have (then it may be self-signed). */
  fingerprint?: string;
  /** For TCP and, with TLS, the handshake too. */
  connectTimeoutMs?: number;
  /** How long detection waits for an answer to its hello before it decides on the course dialect. */
  detectTimeoutMs?: number;
  framed?: Partial<FramedTiming>;
  course?: Partial<CourseClientTiming>;
  trace?: WireTrace;
  /** The registration to resume on our relay (from a previous session's `resume`). */
  resume?: Resume;
  /**
   * With dialect `auto`: what this server spoke last time. It is tried first, and detection (a
   * probe that costs a course server about a second and a stray name) runs only when it fails.
   */
  remembered?: Dialect;
  /** Our relay only: the teacher key, which makes this client a teacher. Never traced. */
  teacherKey?: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_DETECT_TIMEOUT_MS = 1200;

export async function openSession(options: OpenOptions): Promise<RelaySession> {
  const dialect = options.dialect ?? 'auto';
  const client = options.client ?? `classroom-relay/${__VERSION__}`;
  const connect = () => connectSocket(options, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  switch (dialect) {
    case 'relay': {
      const socket = await connect();
      // A teacher key or resume token goes out only once the server has answered as a relay.
      if (options.teacherKey === undefined && options.resume === undefined)
        return FramedClient.start(socket, framedOptions(options, client));
      const first = await probe(socket, options, options.framed?.welcomeTimeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS);
      if (first instanceof Uint8Array && first[0] === 0x7b)
        return FramedClient.start(socket, { ...framedOptions(options, client), initial: first });
      socket.destroy();
      throw new RelayError(
        'protocol',
        `${formatServerAddress(addressOf(options))} did not answer as a Classroom Relay; the teacher key and resume token were not sent`,
      );
    }
    case 'course':
    case 'course-lan':
      return CourseClient.start(await connect(), {
        dialect,
        name: options.name,
        classCode: options.classCode,
        timing: options.course,
        trace: options.trace,
      });
    case 'auto':
      // A teacher key, resume token or class is for our relay: a remembered course dialect (our
      // relay speaks it too) would leave the first two unsent and hear an unknown class as a message.
      if (
        options.remembered === 'relay' ||
        (options.remembered &&
          options.teacherKey === undefined &&
          options.resume === undefined &&
          options.classCode === undefined)
      ) {
        try {
          const timeoutMs = options.detectTimeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS;
          return await openSession({
            ...options,
            dialect: options.remembered,
            remembered: undefined,
            framed: {
              ...options.framed,
              welcomeTimeoutMs: Math.min(options.framed?.welcomeTimeoutMs ?? Infinity, timeoutMs),
            },
          });
        } catch (error) {
          if (!(error instanceof RelayError) || !DIALECT_MISMATCH.has(error.code)) throw error;
        }
      }
      return detect(options, client, connect);
  }
}

/** Failures that may mean the server now speaks another dialect than remembered: detection finds out. */
const DIALECT_MISMATCH: ReadonlySet<string> = new Set(['timeout', 'closed', 'protocol']);

/** Plain TCP, or TLS checked against the system's CAs or the pinned fingerprint. */
function connectSocket(options: OpenOptions, timeoutMs: number): Promise<Socket> {
  return options.transport === 'tls'
    ? connectTls(options.host, options.port, timeoutMs, options.fingerprint)
    : connectTcp(options.host, options.port, timeoutMs);
}

function framedOptions(options: OpenOptions, client: string): Parameters<typeof FramedClient.start>[1] {
  return {
    name: options.name,
    client,
    timing: options.framed,
    trace: options.trace,
    resume: options.resume,
    teacherKey: options.teacherKey,
    classCode: options.classCode,
  };
}

function addressOf(options: OpenOptions): ServerAddress {
  const address: ServerAddress = { transport: options.transport ?? 'tcp', host: options.host, port: options.port };
  if (options.classCode !== undefined) address.classCode = options.classCode;
  return address;
}

/**
 * Asks the server to show what it speaks, with a ping frame that carries nothing of the
 * client's: our relay answers it before any hello; a course server takes it for a name (and
 * prints it); the course-lan server answers that `{"type"` is not found.
 */
async function probe(
  socket: Socket,
  options: OpenOptions,
  timeoutMs: number,
): Promise<Uint8Array | 'silent' | 'closed'> {
  const ping = encodeFrame({ type: 'ping', id: 'probe' });
  options.trace?.('out', ping);
  socket.write(ping);
  return firstBytes(socket, timeoutMs);
}

async function detect(options: OpenOptions, client: string, connect: () => Promise<Socket>): Promise<RelaySession> {
  const socket = await connect();
  const first = await probe(socket, options, options.detectTimeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS);
  if (first === 'closed') {
    const hint =
      options.transport === 'tls'
        ? ''
        : ` (a TLS port closes on a client without TLS: if this is one, connect to ${formatServerAddress({ transport: 'tls', host: options.host, port: options.port })})`;
    throw new RelayError('closed', `the server closed the connection before answering${hint}`);
  }
  if ((first === 'silent' || first[0] !== 0x7b) && options.classCode !== undefined) {
    // Classes are our relay's: a course server would take CODE/Name for a name.
    socket.destroy();
    throw new RelayError(
      'protocol',
      `${formatServerAddress(addressOf(options))} did not answer as a Classroom Relay, so it has no class ${options.classCode}: it is a course server (which has no classes), or a relay too busy to answer`,
    );
  }
  if (first === 'silent') {
    // A course server took the probe as a name: leave that connection and register properly.
    socket.destroy();
    return CourseClient.start(await connect(), {
      dialect: 'course',
      name: options.name,
      timing: options.course,
      trace: options.trace,
    });
  }
  if (first[0] === 0x7b) return FramedClient.start(socket, { ...framedOptions(options, client), initial: first });
  options.trace?.('in', first);
  const answer = parseIncoming(Buffer.from(first).toString('utf8'));
  if (answer.kind === 'not-found') {
    return CourseClient.start(socket, {
      dialect: 'course-lan',
      name: options.name,
      timing: options.course,
      trace: options.trace,
    });
  }
  socket.destroy();
  throw new RelayError(
    'protocol',
    `the server answered in an unknown way: ${JSON.stringify(Buffer.from(first).toString('utf8').slice(0, 80))}`,
  );
}

function firstBytes(socket: Socket, timeoutMs: number): Promise<Uint8Array | 'silent' | 'closed'> {
  return new Promise((resolve) => {
    const done = (result: Uint8Array | 'silent' | 'closed') => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
      socket.pause();
      resolve(result);
    };
    const onData = (data: Buffer) => done(data);
    const onClose = () => done('closed');
    const timer = setTimeout(() => done('silent'), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
  });
}
