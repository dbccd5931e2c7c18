/**
 * How a generator client speaks each dialect: what it writes to register and to send, and how it
 * cuts what it reads into items (registered, a message with its claimed sender, a refusal, bytes it
 * could not make sense of, a reply it owes the server). Clients are named `c<index>`, short enough
 * for IRC's nine characters.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Dialect } from './jobs';

export type Incoming =
  | { kind: 'registered' }
  | { kind: 'message'; from: number | undefined; text: string }
  | { kind: 'refused'; detail: string }
  /** The server took a message of this client's on (framed: an `ack` saying delivered), by the id it was sent with. */
  | { kind: 'acked'; id: string }
  | { kind: 'garbled'; text: string }
  | { kind: 'reply'; bytes: string }
  | { kind: 'closing'; detail: string };

export type Emit = (item: Incoming) => void;

export interface Parser {
  push(chunk: Buffer): void;
  /** The connection ended: whatever is left over is garbled. */
  end(): void;
}

/** Bytes to write once `afterMs` have passed since the previous step. */
export interface Step {
  afterMs: number;
  bytes: string | Buffer;
}

export interface Codec {
  /** The steps that register client `index`; `channel`: also join the broadcast channel (IRC). */
  register(index: number, options: { teacherKey?: string; channel?: boolean }): Step[];
  message(from: number, to: number, body: string, id: number): string | Buffer;
  /** A broadcast to all, or undefined when the dialect has none. */
  broadcast: ((from: number, body: string, id: number) => string | Buffer) | undefined;
  parser(index: number, options: { channel?: boolean }, emit: Emit): Parser;
  /** The largest message text the dialect carries. */
  maxText: number;
  /** Messages one client may have on their way at once at most (a pause-mode client: one). */
  maxInFlight: number;
  /** Least time between two messages of one client, in ms (a pause-mode client must pause between them). */
  minGapMs: number;
  /**
   * The time each client leaves between its messages in the open loop, in ms: when it is longer than
   * the rate allows with the usual clients, more clients share the rate (0: no pace of its own).
   */
  paceMs: number;
}

/** What a course client sends itself to learn it is registered (the course dialect answers nothing to a name). */
export const PROBE = 'probe';
/**
 * How long a course client waits after its name before its first message, so that the name arrives
 * alone, as the course client does: the course relay takes one read as the name, and our relay in
 * pause mode ends the name at a pause of 40 ms, later when its event loop is busy.
 */
export const NAME_PAUSE_MS = 1000;
const CHANNEL = '#bench';

export const name = (index: number): string => `c${index}`;

function nameIndex(text: string): number | undefined {
  return /^c\d+$/.test(text) ? Number(text.slice(1)) : undefined;
}

/** Cuts a byte stream at a delimiter, decoding UTF-8 across chunk edges. */
class Lines {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');
  constructor(private readonly delimiter: string) {}

  push(chunk: Buffer, line: (text: string) => void, prefilter?: (pending: string) => string): void {
    this.pending += this.decoder.write(chunk);
    if (prefilter) this.pending = prefilter(this.pending);
    let end;
    while ((end = this.pending.indexOf(this.delimiter)) !== -1) {
      line(this.pending.slice(0, end));
      this.pending = this.pending.slice(end + this.delimiter.length);
    }
  }

  rest(): string {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest;
  }
}

interface ServerFrame {
  type?: string;
  id?: string;
  from?: string;
  text?: string;
  status?: string;
  reason?: string;
  code?: string;
  fatal?: boolean;
}

const framed: Codec = {
  register: (index, { teacherKey }) => [
    {
      afterMs: 0,
      bytes: `${JSON.stringify({
        type: 'hello',
        protocol: 'classroom-relay',
        versions: [1],
        name: name(index),
        client: 'bench',
        features: ['presence-batch'],
        ...(teacherKey !== undefined ? { teacherKey } : {}),
      })}\n`,
    },
  ],
  message: (_from, to, body, id) => `{"type":"send","id":"m${id}","to":"${name(to)}","text":"${body}"}\n`,
  broadcast: (_from, body, id) => `{"type":"broadcast","id":"b${id}","text":"${body}"}\n`,
  parser(_index, _options, emit) {
    const lines = new Lines('\n');
    const frame = (line: string) => {
      let parsed: ServerFrame;
      try {
        parsed = JSON.parse(line) as ServerFrame;
      } catch {
        emit({ kind: 'garbled', text: line });
        return;
      }
      switch (parsed.type) {
        case 'welcome':
          return emit({ kind: 'registered' });
        case 'message':
        case 'broadcast':
          return emit({ kind: 'message', from: nameIndex(parsed.from ?? ''), text: parsed.text ?? '' });
        case 'ack':
          if (parsed.status === 'delivered') return emit({ kind: 'acked', id: parsed.id ?? '' });
          return emit({ kind: 'refused', detail: `${parsed.status} ${parsed.reason}` });
        case 'ping':
          return emit({ kind: 'reply', bytes: '{"type":"pong"}\n' });
        case 'error':
          return emit({ kind: parsed.fatal ? 'closing' : 'refused', detail: parsed.code ?? line });
      }
    };
    return { push: (chunk) => lines.push(chunk, frame), end: () => void (lines.rest() && emit(garbled)) };
  },
  maxText: 16_384,
  maxInFlight: Infinity,
  minGapMs: 0,
  paceMs: 0,
};

const garbled: Incoming = { kind: 'garbled', text: '(a partial frame at the end)' };

/**
 * Takes the course servers' error answers out of the stream: the course relay sends
 * `Empfänger X nicht gefunden.` without a newline, so it may stand in front of the next message.
 */
function courseReplies(emit: Emit): (pending: string) => string {
  return (pending) => {
    let start;
    while ((start = pending.search(/Empfänger |Fehler/)) !== -1) {
      const error = pending.startsWith('Fehler', start);
      const close = error ? pending.indexOf('\n', start) : pending.indexOf(' nicht gefunden.', start);
      if (close === -1) break;
      const end = close + (error ? 1 : ' nicht gefunden.'.length);
      emit({ kind: 'refused', detail: pending.slice(start, end).trim() });
      pending = pending.slice(0, start) + pending.slice(end);
    }
    return pending;
  };
}

/** A course line `c<N>: TEXT`: a message, or the client's own probe. */
function courseItem(index: number, from: string, text: string, emit: Emit): void {
  const sender = nameIndex(from);
  if (sender === index && text === PROBE) emit({ kind: 'registered' });
  else emit({ kind: 'message', from: sender, text });
}

function lineParser(index: number, emit: Emit): Parser {
  const lines = new Lines('\n');
  const filter = courseReplies(emit);
  const line = (text: string) => {
    const colon = text.indexOf(': ');
    if (colon === -1) emit({ kind: 'garbled', text });
    else courseItem(index, text.slice(0, colon), text.slice(colon + 2), emit);
  };
  return { push: (chunk) => lines.push(chunk, line, filter), end: () => lines.rest() && emit(garbled) };
}

const courseLine: Codec = {
  register: (index) => [{ afterMs: 0, bytes: `${name(index)}\n${name(index)}:${PROBE}\n` }],
  message: (_from, to, body) => `${name(to)}:${body}\n`,
  broadcast: undefined,
  parser: (index, _options, emit) => lineParser(index, emit),
  maxText: 16_384,
  maxInFlight: Infinity,
  minGapMs: 0,
  paceMs: 0,
};

/** The course relay takes the first read as the name: the name goes alone, and the probe after a pause. */
const coursePython: Codec = {
  ...courseLine,
  register: (index) => [
    { afterMs: 0, bytes: name(index) },
    { afterMs: NAME_PAUSE_MS, bytes: `${name(index)}:${PROBE}\n` },
  ],
  // One recv(1024) is one message on the course relay: the name, a colon, the text and the newline must fit.
  maxText: 1024 - 'c9999:'.length - 1,
};

/**
 * Pause mode has no delimiter: each item starts with `c<N>: ` (bodies hold no colon), and the last
 * one in the buffer is taken once it is a whole body or the probe.
 */
function pauseParser(index: number, emit: Emit): Parser {
  const decoder = new StringDecoder('utf8');
  const filter = courseReplies(emit);
  let pending = '';
  const starts = /c(\d+): /g;
  const take = (final: boolean) => {
    pending = filter(pending);
    const found = [...pending.matchAll(starts)];
    if (found.length === 0) return;
    if (found[0]!.index > 0) emit({ kind: 'garbled', text: pending.slice(0, found[0]!.index) });
    for (const [position, match] of found.entries()) {
      const textStart = match.index + match[0].length;
      const next = found[position + 1]?.index;
      const text = pending.slice(textStart, next);
      if (next === undefined && !final && text !== PROBE && !/\.[0-9A-F]{8}$/.test(text)) {
        pending = pending.slice(match.index);
        return;
      }
      courseItem(index, `c${match[1]}`, text, emit);
    }
    pending = '';
  };
  return {
    push(chunk) {
      pending += decoder.write(chunk);
      take(false);
    },
    end() {
      pending += decoder.end();
      take(true);
      if (pending) emit(garbled);
    },
  };
}

const coursePause: Codec = {
  register: (index) => [
    { afterMs: 0, bytes: name(index) },
    { afterMs: NAME_PAUSE_MS, bytes: `${name(index)}:${PROBE}` },
  ],
  message: (_from, to, body) => `${name(to)}:${body}`,
  broadcast: undefined,
  parser: (index, _options, emit) => pauseParser(index, emit),
  maxText: 16_384,
  // The relay ends a message at a pause of 40 ms: a second message sent before then would join the first.
  maxInFlight: 1,
  // Even a generator catching up on its schedule leaves this much, so that only a relay kept from
  // its core for over 200 ms could join two messages.
  minGapMs: 250,
  // A course client sends one message per input, seconds apart: half a second is a fast typist, and far
  // from the pause that ends a message.
  paceMs: 500,
};

const irc: Codec = {
  register: (index) => [{ afterMs: 0, bytes: `NICK ${name(index)}\r\nUSER ${name(index)} 0 * :bench\r\n` }],
  message: (_from, to, body) => `PRIVMSG ${name(to)} :${body}\r\n`,
  broadcast: (_from, body) => `PRIVMSG ${CHANNEL} :${body}\r\n`,
  parser(index, { channel }, emit) {
    const lines = new Lines('\n');
    const own = name(index);
    const line = (raw: string) => {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (text.startsWith('PING')) return emit({ kind: 'reply', bytes: `PONG${text.slice(4)}\r\n` });
      if (text.startsWith('ERROR')) return emit({ kind: 'closing', detail: text });
      const match = /^:([^! ]+)\S* (\S+) (\S+)(?: :?(.*))?$/.exec(text);
      if (!match) return emit({ kind: 'garbled', text });
      const [, source, command, target, rest] = match;
      if (command === 'PRIVMSG') return emit({ kind: 'message', from: nameIndex(source!), text: rest ?? '' });
      if (command === '001')
        return channel ? emit({ kind: 'reply', bytes: `JOIN ${CHANNEL}\r\n` }) : emit({ kind: 'registered' });
      if (command === 'JOIN' && source === own) return emit({ kind: 'registered' });
      if (/^[45]\d\d$/.test(command!)) emit({ kind: 'refused', detail: text });
      void target;
    };
    return { push: (chunk) => lines.push(chunk, line), end: () => lines.rest() && emit(garbled) };
  },
  // An IRC line is at most 512 bytes with its CR LF; the prefix ngircd adds takes some of that.
  maxText: 400,
  maxInFlight: Infinity,
  minGapMs: 0,
  paceMs: 0,
};

/** The floor's record: recipient index (0xFFFF: all, 0xFFFE: register/welcome), length, then the body. */
export const FLOOR_ALL = 0xffff;
export const FLOOR_HELLO = 0xfffe;

export function floorRecord(to: number, payload: string): Buffer {
  const record = Buffer.allocUnsafe(4 + payload.length);
  record.writeUInt16BE(to, 0);
  record.writeUInt16BE(payload.length, 2);
  record.write(payload, 4, 'latin1');
  return record;
}

const floor: Codec = {
  register: (index) => [{ afterMs: 0, bytes: floorRecord(FLOOR_HELLO, String(index)) }],
  message: (_from, to, body) => floorRecord(to, body),
  broadcast: (_from, body) => floorRecord(FLOOR_ALL, body),
  parser(_index, _options, emit) {
    let pending: Buffer = Buffer.alloc(0);
    return {
      push(chunk) {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        let offset = 0;
        while (pending.length - offset >= 4) {
          const length = pending.readUInt16BE(offset + 2);
          if (pending.length - offset < 4 + length) break;
          const to = pending.readUInt16BE(offset);
          const text = pending.toString('latin1', offset + 4, offset + 4 + length);
          emit(to === FLOOR_HELLO ? { kind: 'registered' } : { kind: 'message', from: undefined, text });
          offset += 4 + length;
        }
        pending = pending.subarray(offset);
      },
      end: () => void (pending.length > 0 && emit(garbled)),
    };
  },
  maxText: 0xfff0,
  maxInFlight: Infinity,
  minGapMs: 0,
  paceMs: 0,
};

export const CODECS: Record<Dialect, Codec> = {
  framed,
  'course-line': courseLine,
  'course-pause': coursePause,
  'course-python': coursePython,
  irc,
  floor,
};
