/**
 * The checks every frame from the network goes through, field by field: a field of the wrong
 * type, or longer than its limit (limits.ts), makes the frame `bad-frame`, and nothing in it is
 * trusted before it passed. The parsers of each direction build on these.
 */
import {
  MAX_ADDRESS_BYTES,
  MAX_FILE_NAME_LENGTH,
  MAX_ID_LENGTH,
  MAX_LANGUAGE_LENGTH,
  MAX_MUTE_MINUTES,
  MAX_NAME_BYTES,
  MAX_REASON_BYTES,
  MAX_QUESTION_BYTES,
  MAX_RELAYED_NAME_BYTES,
  MAX_TIME_BYTES,
} from './limits';
import {
  MODERATION_ACTIONS,
  type Moderation,
  type Muted,
  type RaisedHand,
  type Role,
  type RosterEntry,
} from './classroom';
import { FEATURES, type Feature, type LineRange, type Snippet } from './frames';
import { utf8Length } from './utf8';

export type ParseResult<T> =
  { ok: true; frame: T } | { ok: false; code: 'bad-frame' | 'unknown-type'; message: string };

export class FieldError extends Error {}

export type Fields = Record<string, unknown>;

export function asObject(value: unknown): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FieldError('a frame must be a JSON object');
  return value as Fields;
}

export function text(fields: Fields, key: string, maxBytes: number, optional: true): string | undefined;
export function text(fields: Fields, key: string, maxBytes: number, optional?: false): string;
export function text(fields: Fields, key: string, maxBytes: number, optional = false): string | undefined {
  const value = fields[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw new FieldError(`field "${key}" must be a string`);
  // A UTF-16 unit takes at most 3 bytes: most fields are within their limit without counting them.
  if (3 * value.length > maxBytes && utf8Length(value) > maxBytes)
    throw new FieldError(`field "${key}" is longer than ${maxBytes} bytes`);
  return value;
}

export function id(fields: Fields, optional: true): string | undefined;
export function id(fields: Fields, optional?: false): string;
export function id(fields: Fields, optional = false): string | undefined {
  const value = optional ? text(fields, 'id', MAX_ID_LENGTH, true) : text(fields, 'id', MAX_ID_LENGTH);
  if (value !== undefined && value.length === 0) throw new FieldError('field "id" must not be empty');
  return value;
}

export function lineRange(value: unknown): LineRange | undefined {
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

export function snippet(value: unknown, codeLimit: number): Snippet {
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

export function role(value: unknown): Role {
  if (value !== 'teacher' && value !== 'student') throw new FieldError('field "role" must be "teacher" or "student"');
  return value;
}

export function isoTime(fields: Fields, key: string): string {
  const value = text(fields, key, MAX_TIME_BYTES);
  if (Number.isNaN(Date.parse(value))) throw new FieldError(`field "${key}" must be a time`);
  return value;
}

export function raisedHand(value: unknown): RaisedHand {
  const fields = asObject(value);
  const hand: RaisedHand = { at: isoTime(fields, 'at') };
  const question = text(fields, 'question', MAX_QUESTION_BYTES, true);
  if (question !== undefined) hand.question = question;
  return hand;
}

export function muted(value: unknown): Muted {
  const fields = asObject(value);
  return fields.until === undefined ? {} : { until: isoTime(fields, 'until') };
}

export function rosterEntry(value: unknown): RosterEntry {
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

export function moderation(fields: Fields): Moderation {
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

export function names(fields: Fields, key: string): string[] {
  const value = fields[key];
  if (!Array.isArray(value) || !value.every((name): name is string => typeof name === 'string'))
    throw new FieldError(`field "${key}" must be an array of names`);
  return value;
}

export function count(fields: Fields, key: string): number {
  const value = fields[key];
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw new FieldError(`field "${key}" must be a whole number`);
  return value as number;
}

/** The features this side knows, from an untrusted list; unknown ones are ignored, as unknown fields are. */
export function knownFeatures(value: unknown): Feature[] {
  if (!Array.isArray(value)) return [];
  return FEATURES.filter((feature) => value.includes(feature));
}

/** An unknown frame type is quoted in the error, cut to this many characters. */
const SHOWN_TYPE_CHARACTERS = 40;

/** A frame checked by `build`. Every frame is read here: it makes no objects but the frame and its result. */
export function guardTyped<T>(value: unknown, build: (fields: Fields, type: string) => T | undefined): ParseResult<T> {
  let type: string;
  let frame: T | undefined;
  try {
    const fields = asObject(value);
    if (typeof fields.type !== 'string') throw new FieldError('field "type" must be a string');
    type = fields.type;
    frame = build(fields, type);
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, code: 'bad-frame', message: error.message };
    throw error;
  }
  if (frame === undefined)
    return { ok: false, code: 'unknown-type', message: `unknown frame type "${type.slice(0, SHOWN_TYPE_CHARACTERS)}"` };
  return { ok: true, frame };
}
