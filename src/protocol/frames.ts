/**
 * The frames of the framed protocol (docs/protocol.md, "The framed protocol"): what a client
 * and the relay send each other, as discriminated unions on `type`. Types and the welcome's
 * limits only, no bytes and no I/O, so that the chat panel's webview imports them too.
 */
import { MAX_FRAME_BYTES, MAX_NAME_LENGTH, MAX_SNIPPET_BYTES, MAX_TEXT_BYTES, PROTOCOL_NAME } from './limits';
import type { Moderation, Role, Roster, Standing } from './classroom';

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
  | 'teacher-key-locked'
  | 'disconnected-by-teacher'
  /** The hello names a class this relay does not have (never made, or ended). */
  | 'unknown-class'
  /** The client's class ended while it was connected. */
  | 'class-ended'
  /** A class request was refused: not allowed, too many classes, or a wrong admin key. */
  | 'class-refused'
  /**
   * This relay is one node of several and cannot reach the others: it registers nobody and closes
   * its clients, which connect to another node.
   */
  | 'node-unavailable';

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
      /** The class's code (`4kx-92m`); absent: the relay's default class. */
      class?: string;
    }
  /** Class requests come on a fresh connection instead of a hello: one answer, then the relay closes. */
  | { type: 'class-create'; id: string; adminKey?: string }
  | { type: 'class-list'; id: string; adminKey: string }
  | { type: 'class-end'; id: string; code: string; adminKey: string }
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
      /** The class joined, as people read its code; absent: the default class. */
      class?: string;
    }
  | ({ type: 'message'; from: string; text: string; at: string } & EnvelopeMeta)
  | ({ type: 'snippet'; from: string; snippet: Snippet; at: string } & EnvelopeMeta)
  /**
   * A broadcast always has `text`; a snippet hint also has `snippet`, and its text is a one-line
   * summary for clients that know no snippet hints.
   */
  | ({ type: 'broadcast'; from: string; text: string; snippet?: Snippet; at: string; earlier?: boolean } & EnvelopeMeta)
  | { type: 'hints-cleared'; by: string; at: string }
  | ({ type: 'self'; role: Role } & Standing)
  | ({ type: 'roster' } & Roster)
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
  | { type: 'class-created'; id: string; code: string; teacherKey: string }
  | { type: 'classes'; id: string; classes: ClassSummary[] }
  | { type: 'class-ended'; id: string; code: string }
  | { type: 'ping'; id?: string }
  | { type: 'pong'; id?: string };

/** A class as the admin's list shows it: times in ISO 8601, `online` its members now. */
export interface ClassSummary {
  code: string;
  madeAt: string;
  usedAt: string;
  online: number;
}

/**
 * Set by the relay on what it forwards: the sender's id, this recipient's sequence number, and
 * whether the sender is a teacher.
 */
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
