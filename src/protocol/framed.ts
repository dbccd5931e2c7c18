/**
 * The framed protocol spoken between the relay and its own clients: one JSON object per
 * LF-terminated line. docs/protocol.md is the specification; this module is its code.
 */
import {
  MAX_ADDRESS_BYTES,
  MAX_CLIENT_LABEL_BYTES,
  MAX_DETAIL_BYTES,
  MAX_ERROR_CODE_BYTES,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_FILE_NAME_LENGTH,
  MAX_FRAME_BYTES,
  MAX_ID_LENGTH,
  MAX_LANGUAGE_LENGTH,
  MAX_MUTE_MINUTES,
  MAX_NAME_BYTES,
  MAX_NAME_LENGTH,
  MAX_QUESTION_BYTES,
  MAX_REASON_BYTES,
  MAX_REJECT_REASON_BYTES,
  MAX_RELAYED_NAME_BYTES,
  MAX_RESUME_TOKEN_BYTES,
  MAX_SERVER_LABEL_BYTES,
  MAX_SNIPPET_BYTES,
  MAX_TEACHER_KEY_BYTES,
  MAX_TEXT_BYTES,
  MAX_TIME_BYTES,
  PROTOCOL_NAME,
} from './limits';
import { ByteBuffer } from './byteBuffer';
import { decodeUtf8Strict, encodeUtf8, utf8Length } from './utf8';
import {
  MODERATION_ACTIONS,
  type Moderation,
  type Muted,
  type RaisedHand,
  type Role,
  type RosterEntry,
} from './classroom';

export interface LineRange {
  start: number;
  end: number;
}

export interface Snippet {
  code: string;
  language: string;
  file?: string;
  lines?: LineRange;
}

export interface Limits {
  frameBytes: number;
  textBytes: number;
  snippetBytes: number;
  nameLength: number;
}

export type ErrorCode =
  | 'bad-frame'
  | 'frame-too-large'
  | 'invalid-utf8'
  | 'unknown-type'
  | 'hello-required'
  | 'already-registered'
  | 'unsupported-version'
  | 'name-invalid'
  | 'name-reserved'
  | 'name-taken'
  | 'registration-timeout'
  | 'server-shutdown'
  | 'too-many-connections'
  | 'too-many-errors'
  | 'replaced'
  | 'teacher-key-invalid'
  | 'disconnected-by-teacher';

/**
 * What a client presents in a later hello to be the same registration again: the token its
 * welcome gave it, and the highest `seq` it received. It takes its name over from a connection
 * the relay still holds, and gets the messages after `lastSeq` it may have missed.
 */
export interface Resume {
  token: string;
  lastSeq: number;
}

export type AckStatus = 'delivered' | 'unknown-peer' | 'rejected';
export type RejectReason =
  'too-large' | 'invalid-recipient' | 'recipient-busy' | 'not-allowed' | 'rate-limited' | 'invalid-snippet' | 'muted';

/**
 * Optional behaviour a client asks for in its hello and the relay grants in its welcome.
 * `presence-batch`: presence arrives as `presence-batch` frames instead of one frame per event.
 */
export type Feature = 'presence-batch';
export const FEATURES: readonly Feature[] = ['presence-batch'];

export type ClientFrame =
  | {
      type: 'hello';
      protocol: typeof PROTOCOL_NAME;
      versions: number[];
      name: string;
      client?: string;
      features?: Feature[];
      resume?: Resume;
      teacherKey?: string;
    }
  | { type: 'send'; id: string; to: string; text: string }
  | { type: 'snippet'; id: string; to: string; snippet: Snippet }
  | { type: 'broadcast'; id: string; text: string; snippet?: Snippet }
  | { type: 'who'; id: string; after?: string }
  | { type: 'hand'; id: string; up: boolean; question?: string }
  | { type: 'clear-hints'; id: string }
  /** The client closes on purpose: its name is free at once, and nothing is kept for a resume. */
  | { type: 'bye' }
  | ({ type: 'moderate'; id: string } & Moderation)
  | { type: 'ping'; id?: string }
  | { type: 'pong'; id?: string };

export type ServerFrame =
  | {
      type: 'welcome';
      version: number;
      name: string;
      online: string[];
      limits: Limits;
      server: string;
      onlineTotal?: number;
      features?: Feature[];
      resume?: string;
      resumed?: boolean;
      role?: Role;
    }
  | ({ type: 'message'; from: string; text: string; at: string } & EnvelopeMeta)
  | ({ type: 'snippet'; from: string; snippet: Snippet; at: string } & EnvelopeMeta)
  /** A broadcast always has `text`; a snippet hint also has `snippet`, and its text is the snippet as a code fence for older clients. */
  | ({ type: 'broadcast'; from: string; text: string; snippet?: Snippet; at: string; earlier?: boolean } & EnvelopeMeta)
  | { type: 'hints-cleared'; by: string; at: string }
  | { type: 'self'; role: Role; hand?: RaisedHand; muted?: Muted }
  | { type: 'roster'; entries: RosterEntry[]; total: number }
  | {
      type: 'ack';
      id: string;
      status: AckStatus;
      reason?: RejectReason;
      detail?: string;
      recipients?: number;
      duplicate?: boolean;
    }
  | { type: 'presence'; event: 'join' | 'leave'; name: string }
  | { type: 'presence-batch'; joined: string[]; left: string[]; online: number; truncated?: boolean }
  | { type: 'online'; id: string; names: string[]; total: number; next?: string }
  | { type: 'error'; code: ErrorCode; message: string; fatal: boolean; supported?: number[] }
  | { type: 'ping'; id?: string }
  | { type: 'pong'; id?: string };

/** Set by the relay on what it forwards: the sender's id, this recipient's sequence number, and whether the sender is a teacher. */
export interface EnvelopeMeta {
  id?: string;
  seq?: number;
  teacher?: boolean;
}

export const DEFAULT_LIMITS: Limits = {
  frameBytes: MAX_FRAME_BYTES,
  textBytes: MAX_TEXT_BYTES,
  snippetBytes: MAX_SNIPPET_BYTES,
  nameLength: MAX_NAME_LENGTH,
};

export function encodeFrame(frame: ClientFrame | ServerFrame): Uint8Array {
  return encodeUtf8(`${JSON.stringify(frame)}\n`);
}

export type ParseResult<T> =
  { ok: true; frame: T } | { ok: false; code: 'bad-frame' | 'unknown-type'; message: string };

/** What one line on the wire turned out to be. */
export type DecodedLine =
  | { kind: 'json'; value: unknown; bytes: number }
  | { kind: 'error'; code: 'frame-too-large' | 'invalid-utf8' | 'bad-frame'; message: string };

/**
 * Cuts a byte stream into LF-terminated frames, whatever the read boundaries. An oversized
 * frame is reported once and skipped up to its LF; the frames around it are kept.
 */
export class FrameDecoder {
  private readonly frame = new ByteBuffer();
  private discarding = false;

  constructor(private readonly maxFrameBytes: number = MAX_FRAME_BYTES) {}

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.frame.length;
  }

  push(data: Uint8Array): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    while (start < data.length) {
      const lf = data.indexOf(0x0a, start);
      const end = lf === -1 ? data.length : lf;
      const piece = data.subarray(start, end);
      if (!this.discarding) {
        if (this.frame.length + piece.length + (lf === -1 ? 0 : 1) > this.maxFrameBytes) {
          out.push({
            kind: 'error',
            code: 'frame-too-large',
            message: `a frame is larger than ${this.maxFrameBytes} bytes; it was discarded`,
          });
          this.discarding = true;
          this.frame.clear();
        } else {
          this.frame.append(piece);
        }
      }
      if (lf === -1) break;
      if (this.discarding) {
        this.discarding = false;
      } else {
        const line = this.takeLine();
        if (line) out.push(line);
      }
      start = lf + 1;
    }
    return out;
  }

  private takeLine(): DecodedLine | undefined {
    const bytes = this.frame.view();
    const length = bytes.length;
    const text = decodeUtf8Strict(bytes);
    this.frame.clear();
    if (text === undefined)
      return { kind: 'error', code: 'invalid-utf8', message: 'a frame is not valid UTF-8; it was discarded' };
    if (text.trim() === '') return undefined;
    try {
      return { kind: 'json', value: JSON.parse(text), bytes: length + 1 };
    } catch {
      return { kind: 'error', code: 'bad-frame', message: 'a frame is not valid JSON; it was discarded' };
    }
  }
}

// ---- validation: everything from the network is checked field by field ----

class FieldError extends Error {}

type Fields = Record<string, unknown>;

function asObject(value: unknown): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FieldError('a frame must be a JSON object');
  return value as Fields;
}

function text(fields: Fields, key: string, maxBytes: number, optional: true): string | undefined;
function text(fields: Fields, key: string, maxBytes: number, optional?: false): string;
function text(fields: Fields, key: string, maxBytes: number, optional = false): string | undefined {
  const value = fields[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw new FieldError(`field "${key}" must be a string`);
  if (utf8Length(value) > maxBytes) throw new FieldError(`field "${key}" is longer than ${maxBytes} bytes`);
  return value;
}

function id(fields: Fields, optional: true): string | undefined;
function id(fields: Fields, optional?: false): string;
function id(fields: Fields, optional = false): string | undefined {
  const value = optional ? text(fields, 'id', MAX_ID_LENGTH, true) : text(fields, 'id', MAX_ID_LENGTH);
  if (value !== undefined && value.length === 0) throw new FieldError('field "id" must not be empty');
  return value;
}

function lineRange(value: unknown): LineRange | undefined {
  if (value === undefined) return undefined;
  const fields = asObject(value);
  const { start, end } = fields;
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    (start as number) < 1 ||
    (end as number) < (start as number)
  ) {
    throw new FieldError('field "lines" must be {"start": n, "end": m} with 1 <= n <= m');
  }
  return { start: start as number, end: end as number };
}

function snippet(value: unknown, codeLimit: number): Snippet {
  const fields = asObject(value);
  const result: Snippet = {
    code: text(fields, 'code', codeLimit),
    language: text(fields, 'language', MAX_LANGUAGE_LENGTH),
  };
  const file = text(fields, 'file', MAX_FILE_NAME_LENGTH, true);
  const lines = lineRange(fields.lines);
  if (file !== undefined) result.file = file;
  if (lines !== undefined) result.lines = lines;
  return result;
}

function role(value: unknown): Role {
  if (value !== 'teacher' && value !== 'student') throw new FieldError('field "role" must be "teacher" or "student"');
  return value;
}

function isoTime(fields: Fields, key: string): string {
  const value = text(fields, key, MAX_TIME_BYTES);
  if (Number.isNaN(Date.parse(value))) throw new FieldError(`field "${key}" must be a time`);
  return value;
}

function raisedHand(value: unknown): RaisedHand {
  const fields = asObject(value);
  const hand: RaisedHand = { at: isoTime(fields, 'at') };
  const question = text(fields, 'question', MAX_QUESTION_BYTES, true);
  if (question !== undefined) hand.question = question;
  return hand;
}

function muted(value: unknown): Muted {
  const fields = asObject(value);
  return fields.until === undefined ? {} : { until: isoTime(fields, 'until') };
}

function rosterEntry(value: unknown): RosterEntry {
  const fields = asObject(value);
  const dialect = fields.dialect;
  if (dialect !== 'relay' && dialect !== 'course') throw new FieldError('field "dialect" must be "relay" or "course"');
  const entry: RosterEntry = {
    name: text(fields, 'name', MAX_RELAYED_NAME_BYTES),
    role: role(fields.role),
    dialect,
    address: text(fields, 'address', MAX_ADDRESS_BYTES),
    since: isoTime(fields, 'since'),
    sent: count(fields, 'sent'),
    received: count(fields, 'received'),
  };
  if (fields.hand !== undefined) entry.hand = raisedHand(fields.hand);
  if (fields.muted !== undefined) entry.muted = muted(fields.muted);
  return entry;
}

function moderation(fields: Fields): Moderation {
  const action = fields.action;
  if (!MODERATION_ACTIONS.includes(action as Moderation['action']))
    throw new FieldError(`field "action" must be one of ${MODERATION_ACTIONS.join(', ')}`);
  const name = text(fields, 'name', MAX_NAME_BYTES);
  switch (action as Moderation['action']) {
    case 'mute': {
      if (fields.minutes === undefined) return { action: 'mute', name };
      const minutes = fields.minutes;
      if (typeof minutes !== 'number' || !(minutes > 0) || minutes > MAX_MUTE_MINUTES)
        throw new FieldError(`field "minutes" must be a number of minutes above 0 and at most ${MAX_MUTE_MINUTES}`);
      return { action: 'mute', name, minutes };
    }
    case 'unmute':
      return { action: 'unmute', name };
    case 'disconnect':
      return { action: 'disconnect', name, reason: text(fields, 'reason', MAX_REASON_BYTES) };
    case 'lower-hand':
      return { action: 'lower-hand', name };
  }
}

function names(fields: Fields, key: string): string[] {
  const value = fields[key];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string'))
    throw new FieldError(`field "${key}" must be an array of names`);
  return value as string[];
}

function count(fields: Fields, key: string): number {
  const value = fields[key];
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw new FieldError(`field "${key}" must be a whole number`);
  return value as number;
}

/** The features this side knows, from an untrusted list; unknown ones are ignored, as unknown fields are. */
function knownFeatures(value: unknown): Feature[] {
  if (!Array.isArray(value)) return [];
  return FEATURES.filter((feature) => value.includes(feature));
}

function guard<T>(build: () => T): ParseResult<T> {
  try {
    return { ok: true, frame: build() };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, code: 'bad-frame', message: error.message };
    throw error;
  }
}

/**
 * Checks a decoded JSON value from a client. Text and code longer than the limits are let
 * through here (up to the frame size) so the relay can answer them with a specific ack.
 */
export function parseClientFrame(value: unknown): ParseResult<ClientFrame> {
  const loose = MAX_FRAME_BYTES;
  return guardTyped(value, (fields, type): ClientFrame | undefined => {
    switch (type) {
      case 'hello': {
        const versions = fields.versions;
        if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => Number.isSafeInteger(v))) {
          throw new FieldError('field "versions" must be a non-empty array of integers');
        }
        if (fields.protocol !== PROTOCOL_NAME) throw new FieldError(`field "protocol" must be "${PROTOCOL_NAME}"`);
        const frame: ClientFrame = {
          type,
          protocol: PROTOCOL_NAME,
          versions: versions as number[],
          name: text(fields, 'name', MAX_NAME_BYTES),
        };
        const client = text(fields, 'client', MAX_CLIENT_LABEL_BYTES, true);
        if (client !== undefined) frame.client = client;
        const features = knownFeatures(fields.features);
        if (features.length > 0) frame.features = features;
        if (fields.resume !== undefined) {
          const resume = asObject(fields.resume);
          const lastSeq = resume.lastSeq;
          if (!Number.isSafeInteger(lastSeq) || (lastSeq as number) < 0)
            throw new FieldError('field "resume.lastSeq" must be a whole number');
          frame.resume = { token: text(resume, 'token', MAX_RESUME_TOKEN_BYTES), lastSeq: lastSeq as number };
        }
        const teacherKey = text(fields, 'teacherKey', MAX_TEACHER_KEY_BYTES, true);
        if (teacherKey !== undefined) frame.teacherKey = teacherKey;
        return frame;
      }
      case 'send':
        return { type, id: id(fields), to: text(fields, 'to', MAX_NAME_BYTES), text: text(fields, 'text', loose) };
      case 'snippet':
        return {
          type,
          id: id(fields),
          to: text(fields, 'to', MAX_NAME_BYTES),
          snippet: snippet(fields.snippet, loose),
        };
      case 'broadcast':
        return fields.snippet === undefined
          ? { type, id: id(fields), text: text(fields, 'text', loose) }
          : {
              type,
              id: id(fields),
              text: text(fields, 'text', loose, true) ?? '',
              snippet: snippet(fields.snippet, loose),
            };
      case 'hand': {
        if (typeof fields.up !== 'boolean') throw new FieldError('field "up" must be true or false');
        const question = text(fields, 'question', MAX_QUESTION_BYTES, true);
        return question === undefined
          ? { type, id: id(fields), up: fields.up }
          : { type, id: id(fields), up: fields.up, question };
      }
      case 'clear-hints':
        return { type, id: id(fields) };
      case 'bye':
        return { type };
      case 'moderate':
        return { type, id: id(fields), ...moderation(fields) };
      case 'who': {
        const after = text(fields, 'after', MAX_RELAYED_NAME_BYTES, true);
        return after === undefined ? { type, id: id(fields) } : { type, id: id(fields), after };
      }
      case 'ping':
      case 'pong': {
        const frameId = id(fields, true);
        return frameId === undefined ? { type } : { type, id: frameId };
      }
      default:
        return undefined;
    }
  });
}

/** Checks a decoded JSON value from the relay. */
export function parseServerFrame(value: unknown): ParseResult<ServerFrame> {
  return guardTyped(value, (fields, type): ServerFrame | undefined => {
    const at = () => text(fields, 'at', MAX_TIME_BYTES);
    const optionalId = () => id(fields, true);
    const withId = <T extends object>(frame: T): T => {
      const frameId = optionalId();
      return frameId === undefined ? frame : { ...frame, id: frameId };
    };
    const withMeta = <T extends object>(frame: T): T & EnvelopeMeta => {
      const seq = fields.seq;
      const withSeq: T & EnvelopeMeta =
        Number.isSafeInteger(seq) && (seq as number) > 0 ? { ...frame, seq: seq as number } : frame;
      return withId(fields.teacher === true ? { ...withSeq, teacher: true } : withSeq);
    };
    switch (type) {
      case 'welcome': {
        const online = fields.online;
        if (!Array.isArray(online) || !online.every((name) => typeof name === 'string'))
          throw new FieldError('field "online" must be an array of names');
        const limits = asObject(fields.limits);
        const number = (key: string): number => {
          const value = limits[key];
          if (!Number.isSafeInteger(value) || (value as number) <= 0)
            throw new FieldError(`field "limits.${key}" must be a positive integer`);
          return value as number;
        };
        const version = fields.version;
        if (!Number.isSafeInteger(version)) throw new FieldError('field "version" must be an integer');
        const welcome: ServerFrame = {
          type,
          version: version as number,
          name: text(fields, 'name', MAX_NAME_BYTES),
          online: online as string[],
          limits: {
            frameBytes: number('frameBytes'),
            textBytes: number('textBytes'),
            snippetBytes: number('snippetBytes'),
            nameLength: number('nameLength'),
          },
          server: text(fields, 'server', MAX_SERVER_LABEL_BYTES),
        };
        if (Number.isSafeInteger(fields.onlineTotal) && (fields.onlineTotal as number) >= 0)
          welcome.onlineTotal = fields.onlineTotal as number;
        const features = knownFeatures(fields.features);
        if (features.length > 0) welcome.features = features;
        const resume = text(fields, 'resume', MAX_RESUME_TOKEN_BYTES, true);
        if (resume !== undefined) welcome.resume = resume;
        if (fields.resumed === true) welcome.resumed = true;
        if (fields.role === 'teacher' || fields.role === 'student') welcome.role = fields.role;
        return welcome;
      }
      case 'message':
        return withMeta({
          type,
          from: text(fields, 'from', MAX_RELAYED_NAME_BYTES),
          text: text(fields, 'text', MAX_FRAME_BYTES),
          at: at(),
        });
      case 'snippet':
        return withMeta({
          type,
          from: text(fields, 'from', MAX_RELAYED_NAME_BYTES),
          snippet: snippet(fields.snippet, MAX_FRAME_BYTES),
          at: at(),
        });
      case 'broadcast': {
        const frame: ServerFrame = withMeta({
          type,
          from: text(fields, 'from', MAX_RELAYED_NAME_BYTES),
          text: text(fields, 'text', MAX_FRAME_BYTES),
          at: at(),
        });
        if (fields.snippet !== undefined) frame.snippet = snippet(fields.snippet, MAX_FRAME_BYTES);
        if (fields.earlier === true) frame.earlier = true;
        return frame;
      }
      case 'hints-cleared':
        return { type, by: text(fields, 'by', MAX_RELAYED_NAME_BYTES), at: at() };
      case 'self': {
        const frame: ServerFrame = { type, role: role(fields.role) };
        if (fields.hand !== undefined) frame.hand = raisedHand(fields.hand);
        if (fields.muted !== undefined) frame.muted = muted(fields.muted);
        return frame;
      }
      case 'roster': {
        if (!Array.isArray(fields.entries)) throw new FieldError('field "entries" must be an array');
        return { type, entries: fields.entries.map(rosterEntry), total: count(fields, 'total') };
      }
      case 'ack': {
        const status = fields.status;
        if (status !== 'delivered' && status !== 'unknown-peer' && status !== 'rejected')
          throw new FieldError('field "status" is not a known status');
        const frame: ServerFrame = { type, id: id(fields), status };
        const reason = text(fields, 'reason', MAX_REJECT_REASON_BYTES, true);
        const detail = text(fields, 'detail', MAX_DETAIL_BYTES, true);
        if (reason !== undefined) frame.reason = reason as RejectReason;
        if (detail !== undefined) frame.detail = detail;
        if (fields.duplicate === true) frame.duplicate = true;
        if (Number.isSafeInteger(fields.recipients)) frame.recipients = fields.recipients as number;
        return frame;
      }
      case 'presence': {
        const event = fields.event;
        if (event !== 'join' && event !== 'leave') throw new FieldError('field "event" must be "join" or "leave"');
        return { type, event, name: text(fields, 'name', MAX_RELAYED_NAME_BYTES) };
      }
      case 'presence-batch': {
        const frame: ServerFrame = {
          type,
          joined: names(fields, 'joined'),
          left: names(fields, 'left'),
          online: count(fields, 'online'),
        };
        if (fields.truncated === true) frame.truncated = true;
        return frame;
      }
      case 'online': {
        const frame: ServerFrame = {
          type,
          id: id(fields),
          names: names(fields, 'names'),
          total: count(fields, 'total'),
        };
        const next = text(fields, 'next', MAX_RELAYED_NAME_BYTES, true);
        if (next !== undefined) frame.next = next;
        return frame;
      }
      case 'error': {
        const frame: ServerFrame = {
          type,
          code: text(fields, 'code', MAX_ERROR_CODE_BYTES) as ErrorCode,
          message: text(fields, 'message', MAX_ERROR_MESSAGE_BYTES),
          fatal: fields.fatal === true,
        };
        if (Array.isArray(fields.supported))
          frame.supported = fields.supported.filter((v): v is number => Number.isSafeInteger(v));
        return frame;
      }
      case 'ping':
      case 'pong':
        return withId({ type });
      default:
        return undefined;
    }
  });
}

/** An unknown frame type is quoted in the error, cut to this many characters. */
const SHOWN_TYPE_CHARACTERS = 40;

function guardTyped<T>(value: unknown, build: (fields: Fields, type: string) => T | undefined): ParseResult<T> {
  const result = guard(() => {
    const fields = asObject(value);
    if (typeof fields.type !== 'string') throw new FieldError('field "type" must be a string');
    return { type: fields.type, frame: build(fields, fields.type) };
  });
  if (!result.ok) return result;
  if (result.frame.frame === undefined) {
    return {
      ok: false,
      code: 'unknown-type',
      message: `unknown frame type "${result.frame.type.slice(0, SHOWN_TYPE_CHARACTERS)}"`,
    };
  }
  return { ok: true, frame: result.frame.frame };
}
