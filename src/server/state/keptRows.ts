/**
 * Rows read back from the store are input like any other: each is checked against the wire's
 * limits (src/protocol/limits.ts) before the relay takes it, and a bad one is left out.
 */
import type { RaisedHand, Muted } from '../../protocol/classroom';
import {
  MAX_ADDRESS_BYTES,
  MAX_CLASS_CODE_BYTES,
  MAX_FRAME_BYTES,
  MAX_RELAYED_NAME_BYTES,
  MAX_SNIPPET_BYTES,
  MAX_TEXT_BYTES,
  MAX_TIME_BYTES,
  ROSTER_QUESTION_CHARACTERS,
} from '../../protocol/limits';
import { parseServerFrame } from '../../protocol/serverFrameParser';
import { hasControls } from '../../protocol/sanitize';
import { utf8Length } from '../../protocol/utf8';
import type { KeptStanding } from '../classroom/classroom';
import type { Envelope } from '../routing/peer';
import type { KeptClass } from '../classes/classRegistry';
import { readClassCode } from '../../protocol/classCode';

export type Hint = Extract<Envelope, { type: 'broadcast' }>;

/** A standing row as the table holds it (schema.ts). */
export interface StandingRow {
  key: unknown;
  hand_at: unknown;
  question: unknown;
  muted: unknown;
  muted_until: unknown;
  sent: unknown;
  received: unknown;
}

/** The standing a row holds, with its name key; undefined when any of it is not what the relay writes. */
export function standingOfRow(row: StandingRow): [string, KeptStanding] | undefined {
  const { key, sent, received } = row;
  if (typeof key !== 'string' || key === '' || utf8Length(key) > MAX_RELAYED_NAME_BYTES || hasControls(key))
    return undefined;
  if (!isCount(sent) || !isCount(received)) return undefined;
  const standing: KeptStanding = { sent, received };
  if (row.hand_at !== null) {
    const hand = handOf(row.hand_at, row.question);
    if (!hand) return undefined;
    standing.hand = hand;
  } else if (row.question !== null) return undefined;
  if (row.muted === 1) {
    const muted = mutedOf(row.muted_until);
    if (!muted) return undefined;
    standing.muted = muted;
  } else if (row.muted !== 0 || row.muted_until !== null) return undefined;
  return [key, standing];
}

/** A kept hint, from its JSON; undefined when it is not a teacher's broadcast within the wire's limits. */
export function hintOfRow(json: unknown): Hint | undefined {
  if (typeof json !== 'string' || utf8Length(json) > MAX_FRAME_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = parseServerFrame(value);
  if (!parsed.ok || parsed.frame.type !== 'broadcast' || parsed.frame.teacher !== true) return undefined;
  const { earlier: _earlier, seq: _seq, ...hint } = parsed.frame;
  if (utf8Length(hint.text) > MAX_TEXT_BYTES) return undefined;
  if (hint.snippet && utf8Length(hint.snippet.code) > MAX_SNIPPET_BYTES) return undefined;
  return hint;
}

/** A class row as the table holds it (schema.ts). */
export interface ClassRow {
  code: unknown;
  key_digest: unknown;
  made_by: unknown;
  made_at: unknown;
  used_at: unknown;
}

/** The class a row holds; undefined when any of it is not what the relay writes. */
export function classOfRow(row: ClassRow): KeptClass | undefined {
  const { code, key_digest: keyDigest, made_by: madeBy, made_at: madeAt, used_at: usedAt } = row;
  if (typeof code !== 'string' || utf8Length(code) > MAX_CLASS_CODE_BYTES) return undefined;
  const read = readClassCode(code);
  if (!read.ok || read.code !== code) return undefined;
  if (typeof keyDigest !== 'string' || !/^[0-9a-f]{64}$/.test(keyDigest)) return undefined;
  if (typeof madeBy !== 'string' || utf8Length(madeBy) > MAX_ADDRESS_BYTES || hasControls(madeBy)) return undefined;
  if (!isCount(madeAt) || !isCount(usedAt)) return undefined;
  return { code, keyDigest, madeBy, madeAt, usedAt };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && utf8Length(value) <= MAX_TIME_BYTES && !Number.isNaN(Date.parse(value));
}

function handOf(at: unknown, question: unknown): RaisedHand | undefined {
  if (!isTime(at)) return undefined;
  if (question === null) return { at };
  if (typeof question !== 'string' || question === '' || hasControls(question)) return undefined;
  if ([...question].length > ROSTER_QUESTION_CHARACTERS) return undefined;
  return { at, question };
}

function mutedOf(until: unknown): Muted | undefined {
  if (until === null) return {};
  return isTime(until) ? { until } : undefined;
}
