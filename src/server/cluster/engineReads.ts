/** What comes from the engine, written by other nodes: read as untrusted bytes, checked field by field. */
import { MAX_MUTE_MINUTES, MAX_NAME_LENGTH, MAX_REASON_BYTES, ROSTER_QUESTION_CHARACTERS } from '../../protocol/limits';
import type { Moderation } from '../../protocol/classroom';
import type { KeptStanding, ModerationResult } from '../classroom/classroom';
import type { MemberEntry, RemoteDelivery } from '../routing/clusterLink';
import type { Envelope } from '../routing/peer';
import { parseServerFrame } from '../../protocol/serverFrameParser';
import { NODE_ID } from './clusterKeys';
import { readClassCode } from '../../protocol/classCode';
import type { KeptClass } from '../classes/classRegistry';

const text = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

function readObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const time = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A registration's id (registration.ts): a subject token of the kept messages' stream. */
const REGISTRATION_ID = /^[A-Za-z0-9_-]{16,40}$/;

export function readMemberEntry(bytes: Uint8Array): MemberEntry | undefined {
  const entry = readObject(bytes);
  if (!entry) return undefined;
  if (!text(entry.node, 64) || !NODE_ID.test(entry.node)) return undefined;
  if (!text(entry.name, MAX_NAME_LENGTH * 4) || entry.name === '') return undefined;
  if (entry.dialect !== 'relay' && entry.dialect !== 'course') return undefined;
  if (entry.role !== 'teacher' && entry.role !== 'student') return undefined;
  if (!text(entry.address, 100) || !text(entry.remote, 120)) return undefined;
  if (!time(entry.connectedAt)) return undefined;
  if (
    entry.registration !== undefined &&
    (typeof entry.registration !== 'string' || !REGISTRATION_ID.test(entry.registration))
  )
    return undefined;
  return {
    ...(entry.registration === undefined ? {} : { registration: entry.registration }),
    node: entry.node,
    name: entry.name,
    dialect: entry.dialect,
    role: entry.role,
    address: entry.address,
    remote: entry.remote,
    connectedAt: entry.connectedAt,
  };
}

/** A class as another node wrote it, under its code's key. */
export function readClassEntry(code: string, bytes: Uint8Array): KeptClass | undefined {
  const entry = readObject(bytes);
  const read = readClassCode(code);
  if (!entry || !read.ok || read.code !== code || entry.code !== code) return undefined;
  if (typeof entry.keyDigest !== 'string' || !SHA256_HEX.test(entry.keyDigest)) return undefined;
  if (!text(entry.madeBy, 100) || !time(entry.madeAt) || !time(entry.usedAt)) return undefined;
  return { code, keyDigest: entry.keyDigest, madeBy: entry.madeBy, madeAt: entry.madeAt, usedAt: entry.usedAt };
}

function readEnvelope(value: unknown): Envelope | undefined {
  const parsed = parseServerFrame(value);
  if (!parsed.ok) return undefined;
  const frame = parsed.frame;
  return frame.type === 'message' || frame.type === 'snippet' || frame.type === 'broadcast' ? frame : undefined;
}

export function readDeliverRequest(data: Uint8Array): { room: string; key: string; envelope: Envelope } | undefined {
  const request = readObject(data);
  if (!request || typeof request.room !== 'string' || typeof request.key !== 'string') return undefined;
  const envelope = readEnvelope(request.envelope);
  return envelope ? { room: request.room, key: request.key, envelope } : undefined;
}

/** A hint another node published (`self`: this node's, which it delivered itself; undefined: any node's). */
export function readHint(
  data: Uint8Array,
  self: string | undefined,
): Extract<Envelope, { type: 'broadcast' }> | undefined {
  const hint = readObject(data);
  if (!hint || (self !== undefined && hint.node === self)) return undefined;
  const envelope = readEnvelope(hint.envelope);
  return envelope?.type === 'broadcast' ? envelope : undefined;
}

export function readDelivery(data: Uint8Array): RemoteDelivery | undefined {
  const reply = readObject(data);
  if (reply?.status === 'delivered' || reply?.status === 'unknown-peer') return { status: reply.status };
  if (reply?.status === 'rejected' && (reply.reason === 'recipient-busy' || reply.reason === 'too-large'))
    return { status: 'rejected', reason: reply.reason };
  return undefined;
}

/** Another node's teacher cleared a class's hints: who, and when. */
export function readHintsCleared(data: Uint8Array, self: string): { by: string; at: string } | undefined {
  const cleared = readObject(data);
  if (!cleared || cleared.node === self) return undefined;
  if (!text(cleared.by, MAX_NAME_LENGTH * 4) || !text(cleared.at, 40)) return undefined;
  return { by: cleared.by, at: cleared.at };
}

/** A teacher's moderation another node asks this one to carry out for a member here. */
export function readModerateRequest(data: Uint8Array): { room: string; key: string; action: Moderation } | undefined {
  const request = readObject(data);
  const action = request && typeof request.action === 'object' && request.action !== null ? request.action : undefined;
  if (!request || !text(request.room, 40) || !text(request.key, MAX_NAME_LENGTH * 8) || !action) return undefined;
  const { action: kind, name, minutes, reason } = action as Record<string, unknown>;
  if (!text(name, MAX_NAME_LENGTH * 4)) return undefined;
  const base = { room: request.room, key: request.key };
  if (kind === 'unmute' || kind === 'lower-hand') return { ...base, action: { action: kind, name } };
  if (kind === 'disconnect' && text(reason, MAX_REASON_BYTES))
    return { ...base, action: { action: kind, name, reason } };
  if (
    kind === 'mute' &&
    (minutes === undefined || (typeof minutes === 'number' && minutes > 0 && minutes <= MAX_MUTE_MINUTES))
  )
    return { ...base, action: minutes === undefined ? { action: kind, name } : { action: kind, name, minutes } };
  return undefined;
}

/** How another node fared with a moderation. */
export function readModerationResult(data: Uint8Array): ModerationResult | undefined {
  const reply = readObject(data);
  if (reply?.status === 'delivered' || reply?.status === 'unknown-peer') return { status: reply.status };
  if (reply?.status === 'rejected' && reply.reason === 'not-allowed' && text(reply.detail, 400))
    return { status: 'rejected', reason: 'not-allowed', detail: reply.detail };
  return undefined;
}

/** A framed client's registration as its node wrote it (resumeStore.ts). */
export interface ResumeRecord {
  node: string;
  /** The registration's id: the subject its kept messages are under. */
  id: string;
  /** SHA-256 of the resume token, hex. */
  digest: string;
  teacher: boolean;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function readResumeRecord(bytes: Uint8Array): ResumeRecord | undefined {
  const entry = readObject(bytes);
  if (!entry || !text(entry.node, 64) || !NODE_ID.test(entry.node)) return undefined;
  if (typeof entry.id !== 'string' || !REGISTRATION_ID.test(entry.id)) return undefined;
  if (typeof entry.digest !== 'string' || !SHA256_HEX.test(entry.digest)) return undefined;
  if (typeof entry.teacher !== 'boolean') return undefined;
  return { node: entry.node, id: entry.id, digest: entry.digest, teacher: entry.teacher };
}

/** A message kept for a registration's resume: its number and the envelope its client was handed. */
export function readKeptMessage(bytes: Uint8Array): { seq: number; envelope: Envelope } | undefined {
  const kept = readObject(bytes);
  if (!kept || !Number.isSafeInteger(kept.seq) || (kept.seq as number) < 1) return undefined;
  const envelope = readEnvelope(kept.envelope);
  return envelope ? { seq: kept.seq as number, envelope } : undefined;
}

/** A count another node wrote: a whole number a roster can show. */
const count = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** A student's standing as the student's node wrote it (standingBoard.ts), with that node. */
export function readStandingEntry(bytes: Uint8Array): { node: string; standing: KeptStanding } | undefined {
  const entry = readObject(bytes);
  if (!entry || !text(entry.node, 64) || !NODE_ID.test(entry.node)) return undefined;
  if (!count(entry.sent) || !count(entry.received)) return undefined;
  const standing: KeptStanding = { sent: entry.sent, received: entry.received };
  if (entry.hand !== undefined) {
    const hand = record(entry.hand);
    // A question as the student's node escaped and cut it: so many code points, two UTF-16 units each at most.
    const question = hand?.question;
    if (!text(hand?.at, 40) || (question !== undefined && !text(question, ROSTER_QUESTION_CHARACTERS * 2)))
      return undefined;
    standing.hand = question === undefined ? { at: hand.at } : { at: hand.at, question };
  }
  if (entry.muted !== undefined) {
    const until = record(entry.muted)?.until;
    if (!record(entry.muted) || (until !== undefined && !text(until, 40))) return undefined;
    standing.muted = until === undefined ? {} : { until };
  }
  return { node: entry.node, standing };
}

/** Another node's request to hand over a registration of this node, whose client resumed there. */
export function readHandoffRequest(data: Uint8Array): { room: string; key: string; id: string } | undefined {
  const request = readObject(data);
  if (!request || !text(request.room, 40) || !text(request.key, MAX_NAME_LENGTH * 8)) return undefined;
  if (typeof request.id !== 'string' || !REGISTRATION_ID.test(request.id)) return undefined;
  return { room: request.room, key: request.key, id: request.id };
}

/** The number the handed-over registration's next message takes; none when the node kept no such registration. */
export function readHandoffAnswer(data: Uint8Array): { nextSeq?: number } | undefined {
  const answer = readObject(data);
  if (!answer) return undefined;
  const nextSeq = answer.nextSeq;
  return Number.isSafeInteger(nextSeq) && (nextSeq as number) >= 1 ? { nextSeq: nextSeq as number } : {};
}
