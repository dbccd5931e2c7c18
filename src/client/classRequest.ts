/**
 * Class requests to a relay (docs/protocol.md, "Classes"): make a class, list the classes, end
 * one. Each goes on a connection of its own instead of a hello: one request, one answer, and the
 * relay closes. A refusal is a RelayError `class-refused` with the relay's reason.
 */
import type { Socket } from 'node:net';
import { formatServerAddress, nodesOf, relayOf, type RelayNode, type ServerAddress } from '../protocol/address';
import { FrameDecoder, encodeFrame } from '../protocol/frameCodec';
import type { ClassSummary, ClientFrame, ServerFrame } from '../protocol/frames';
import { parseServerFrame } from '../protocol/serverFrameParser';
import { newMessageId } from './events';
import { PERMANENT } from './failover';
import { connectTcp, endSoon } from './tcp';
import { connectTls } from './tls';
import { RelayError, type WireTrace } from './types';

export type ClassRequest =
  | { type: 'create'; adminKey?: string }
  | { type: 'list'; adminKey: string }
  | { type: 'end'; code: string; adminKey: string };

/**
 * `address`: the relay's address with the class's code, to give the class. The teacher key is
 * the class's own; the relay keeps only its digest and never says it again.
 */
export interface ClassMade {
  type: 'created';
  code: string;
  teacherKey: string;
  address: ServerAddress;
}

export type ClassAnswer = ClassMade | { type: 'list'; classes: ClassSummary[] } | { type: 'ended'; code: string };

export type ClassAnswerFor<R extends ClassRequest> = R extends { type: 'create' }
  ? ClassMade
  : R extends { type: 'list' }
    ? Extract<ClassAnswer, { type: 'list' }>
    : Extract<ClassAnswer, { type: 'ended' }>;

export interface ClassRequestOptions {
  /** For a tls:// relay: the SHA-256 fingerprint its certificate must have (then it may be self-signed). */
  fingerprint?: string;
  /** For the connection and, separately, for the answer. */
  timeoutMs?: number;
  /** The admin key and the teacher key are hidden in what it sees. */
  trace?: WireTrace;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Sends one class request to the relay of `server` (a class code in it is left aside) and
 * resolves with the relay's answer. Rejects with a RelayError: `class-refused` (the relay's
 * reason; see classRefusalOf), `relay-busy`, `protocol` (not a Classroom Relay), or the
 * connection's own (`refused`, `timeout`, TLS …).
 */
export async function classRequest<R extends ClassRequest>(
  server: ServerAddress,
  request: R,
  options: ClassRequestOptions = {},
): Promise<ClassAnswerFor<R>> {
  const relay = relayOf(server);
  const nodes = nodesOf(relay);
  // A node that cannot reach the other nodes refuses: the next one is asked.
  let apart: RelayError | undefined;
  for (let from = 0; ;) {
    // Past a node that refused as apart, the nodes that do not answer say less than its refusal.
    const { socket, index } = await connectToSomeNode(nodes, from, options).catch((error: unknown) => {
      throw apart ?? error;
    });
    try {
      return await askNode(socket, request, options, relay);
    } catch (error) {
      if (!(error instanceof RelayError) || classRefusalOf(error) !== 'apart' || index === nodes.length - 1)
        throw error;
      apart = error;
      from = index + 1;
    }
  }
}

async function askNode<R extends ClassRequest>(
  socket: Socket,
  request: R,
  options: ClassRequestOptions,
  relay: ServerAddress,
): Promise<ClassAnswerFor<R>> {
  const id = newMessageId();
  const frame = requestFrame(request, id);
  const bytes = encodeFrame(frame);
  options.trace?.('out', 'adminKey' in frame ? encodeFrame({ ...frame, adminKey: '(hidden)' }) : bytes);
  socket.write(bytes);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const answer = await firstAnswer(socket, id, timeoutMs, formatServerAddress(relay), options.trace);
  switch (answer.type) {
    case 'class-created':
      return {
        type: 'created',
        code: answer.code,
        teacherKey: answer.teacherKey,
        address: { ...relay, classCode: answer.code },
      } as ClassAnswerFor<R>;
    case 'classes':
      return { type: 'list', classes: answer.classes } as ClassAnswerFor<R>;
    case 'class-ended':
      return { type: 'ended', code: answer.code } as ClassAnswerFor<R>;
  }
}

/**
 * The first node of the relay, from `from` on, that takes the connection; a certificate to decide
 * about ends the search.
 */
async function connectToSomeNode(
  nodes: RelayNode[],
  from: number,
  options: ClassRequestOptions,
): Promise<{ socket: Socket; index: number }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (let index = from; index < nodes.length; index++) {
    const node = nodes[index]!;
    try {
      const socket =
        node.transport === 'tls'
          ? await connectTls(node.host, node.port, timeoutMs, options.fingerprint)
          : await connectTcp(node.host, node.port, timeoutMs);
      return { socket, index };
    } catch (error) {
      if (!(error instanceof RelayError) || PERMANENT.has(error.code) || index === nodes.length - 1) throw error;
    }
  }
  throw new RelayError('refused', 'the relay has no address');
}

/**
 * Why a class request was refused, from the relay's reason: `off` (the relay makes no classes),
 * `admin-key` (needed, or wrong), `locked` (too many wrong admin keys lately: none is checked for
 * a while), `full` (too many classes, in all or from this address), `no-such-class`, `apart` (a
 * relay node that cannot reach the others), or `other`.
 */
export type ClassRefusal = 'off' | 'admin-key' | 'locked' | 'full' | 'no-such-class' | 'apart' | 'other';

export function classRefusalOf(error: RelayError): ClassRefusal | undefined {
  if (error.code !== 'class-refused') return undefined;
  const reason = error.message;
  if (/makes no classes|knows no classes/.test(reason)) return 'off';
  if (/needs the admin key/.test(reason)) return 'admin-key';
  if (/wrong admin keys/.test(reason)) return 'locked';
  if (/classes at most/.test(reason)) return 'full';
  if (/there is no class/.test(reason)) return 'no-such-class';
  if (/cannot reach the other nodes/.test(reason)) return 'apart';
  return 'other';
}

function requestFrame(request: ClassRequest, id: string): ClientFrame {
  switch (request.type) {
    case 'create':
      return request.adminKey === undefined
        ? { type: 'class-create', id }
        : { type: 'class-create', id, adminKey: request.adminKey };
    case 'list':
      return { type: 'class-list', id, adminKey: request.adminKey };
    case 'end':
      return { type: 'class-end', id, code: request.code, adminKey: request.adminKey };
  }
}

type Answer = Extract<ServerFrame, { type: 'class-created' | 'classes' | 'class-ended' }>;

/** The relay's answer to request `id`, or the RelayError that says why none came. */
function firstAnswer(socket: Socket, id: string, timeoutMs: number, where: string, trace?: WireTrace): Promise<Answer> {
  const decoder = new FrameDecoder();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { answer: Answer } | { error: RelayError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      endSoon(socket);
      if ('answer' in outcome) resolve(outcome.answer);
      else reject(outcome.error);
    };
    const timer = setTimeout(
      () =>
        settle({
          error: new RelayError(
            'timeout',
            `${where} did not answer the class request within ${Math.round(timeoutMs / 1000)} s; is it a Classroom Relay?`,
          ),
        }),
      timeoutMs,
    );
    let first = true;
    socket.on('data', (data: Buffer) => {
      trace?.('in', hideTeacherKey(data));
      // Our relay's every frame is a JSON object; a course-lan server answers in text.
      if (first && data[0] !== 0x7b)
        return settle({ error: new RelayError('protocol', `${where} did not answer as a Classroom Relay`) });
      first = false;
      for (const line of decoder.push(data)) {
        const parsed = line.kind === 'error' ? undefined : parseServerFrame(line.value);
        // A newer relay may send frames this client does not know; anything else unreadable is no relay.
        if (parsed !== undefined && !parsed.ok && parsed.code === 'unknown-type') continue;
        if (!parsed?.ok)
          return settle({ error: new RelayError('protocol', `${where} did not answer as a Classroom Relay`) });
        const error = answerOf(parsed.frame, id);
        if (error !== undefined) return settle(error);
      }
    });
    socket.on('error', (error) =>
      settle({ error: new RelayError('closed', `the connection broke: ${error.message}`) }),
    );
    socket.on('close', () =>
      settle({ error: new RelayError('closed', `${where} closed the connection without answering the class request`) }),
    );
  });
}

function answerOf(frame: ServerFrame, id: string): { answer: Answer } | { error: RelayError } | undefined {
  switch (frame.type) {
    case 'class-created':
    case 'classes':
    case 'class-ended':
      return frame.id === id ? { answer: frame } : undefined;
    case 'error':
      switch (frame.code) {
        case 'class-refused':
          return { error: new RelayError('class-refused', frame.message) };
        case 'too-many-connections':
          return { error: new RelayError('relay-busy', frame.message) };
        // A relay older than classes knows no class requests and waits for a hello.
        case 'unknown-type':
        case 'hello-required':
          return { error: new RelayError('class-refused', 'this relay knows no classes: it is older than classes') };
        default:
          return { error: new RelayError('protocol', `the relay answered ${frame.code}: ${frame.message}`) };
      }
    default:
      return undefined;
  }
}

function hideTeacherKey(data: Buffer): Uint8Array {
  const text = data.toString('latin1');
  return text.includes('"teacherKey"')
    ? Buffer.from(text.replace(/"teacherKey":"[^"]*"/g, '"teacherKey":"(hidden)"'), 'latin1')
    : data;
}
