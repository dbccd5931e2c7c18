/**
 * Where the relay's state lives in the engine: bucket keys and subjects. A NATS key or subject
 * token allows only [-/_=.a-zA-Z0-9]; a name key (any script) and a class code are written so.
 */
import { KEPT_HINTS } from '../../protocol/limits';

export const BUCKETS = {
  /** Node id → its heartbeat; a node whose key aged out of the bucket is dead. */
  nodes: 'relay_nodes',
  /** `<room>.<name key>` → the member holding the name, claimed atomically. */
  names: 'relay_names',
  /** Class code → the class (its teacher key's digest, who made it, when, when last used). */
  classes: 'relay_classes',
  /** `<room>.<name key>` → a framed client's registration: its node, id, token digest, teacher or not. */
  resume: 'relay_resume',
  /** `<room>.<name key>` → a student's standing (hand, mute, counts), written by the student's node. */
  standing: 'relay_standing',
} as const;

/** The default class's token in keys and subjects ('' cannot be a token). */
const DEFAULT_ROOM = '_';

export function roomToken(room: string): string {
  return room === '' ? DEFAULT_ROOM : room;
}

export function roomOfToken(token: string): string {
  return token === DEFAULT_ROOM ? '' : token;
}

/** The bucket key of a name in a room: the name key in base64url, which has no dots. */
export function nameEntryKey(room: string, key: string): string {
  return `${roomToken(room)}.${Buffer.from(key, 'utf8').toString('base64url')}`;
}

/** The room and name key of a bucket key, or undefined for a key the relay did not write. */
export function readNameEntryKey(entryKey: string): { room: string; key: string } | undefined {
  const dot = entryKey.indexOf('.');
  if (dot <= 0 || dot === entryKey.length - 1) return undefined;
  const encoded = entryKey.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  return { room: roomOfToken(entryKey.slice(0, dot)), key: Buffer.from(encoded, 'base64url').toString('utf8') };
}

/** The stream that keeps every class's hints for later joiners: the last 50 per class. */
export const HINTS_STREAM = { name: 'RELAY_HINTS', subjects: ['relay.hints.>'], perClass: KEPT_HINTS } as const;

/** The stream that keeps the messages handed to each framed client, for a resume on another node. */
export const KEPT_STREAM = { name: 'RELAY_KEPT', subjects: ['relay.kept.>'] } as const;

export const subjects = {
  /** The messages handed to the client of registration `id`, kept in the KEPT stream. */
  kept: (id: string) => `relay.kept.${id}`,
  /** Requests to hand a message to a member of `node`. */
  deliver: (node: string) => `relay.node.${node}.deliver`,
  /** Requests to hand a registration of `node` over to the node where its client resumed. */
  handoff: (node: string) => `relay.node.${node}.handoff`,
  /** Requests of a teacher to moderate a member of `node`. */
  moderate: (node: string) => `relay.node.${node}.moderate`,
  /** A teacher's hint for every node's members of a room, kept in the HINTS stream. */
  hint: (room: string) => `relay.hints.${roomToken(room)}`,
  /** A teacher cleared a room's hints. */
  hintsCleared: (room: string) => `relay.room.${roomToken(room)}.hints-cleared`,
};

/** A node id: letters, digits, `_` and `-`, as a subject token and a key allow. */
export const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
