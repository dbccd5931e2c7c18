/**
 * The classroom's roles on the wire (docs/protocol.md, "Teachers"): who is a teacher, what a
 * teacher sees of the class (the roster), what a teacher may do to a student (moderation), and
 * what a student learns of its own standing (hand up, muted). Types only; no I/O.
 */
export type Role = 'teacher' | 'student';

export interface RaisedHand {
  /** When it went up, ISO 8601 UTC. */
  at: string;
  question?: string;
}

export interface Muted {
  /** Until when, ISO 8601 UTC; absent: until a teacher unmutes. */
  until?: string;
}

/** One connected client as a teacher's roster shows it. */
export interface RosterEntry {
  name: string;
  role: Role;
  dialect: 'relay' | 'course';
  /** Remote address and port. */
  address: string;
  /** When it registered, ISO 8601 UTC. */
  since: string;
  /** Messages it sent through the relay, and messages the relay handed to it. */
  sent: number;
  received: number;
  hand?: RaisedHand;
  muted?: Muted;
}

/**
 * The class as a roster frame carries it: the students listed, how many there are in all, and
 * how many raised hands did not fit the frame (absent when every raised hand is listed).
 */
export interface Roster {
  entries: readonly RosterEntry[];
  total: number;
  handsLeftOut?: number;
}

/** A student's standing with the teacher, as a `self` frame carries it: a raised hand, a mute. */
export interface Standing {
  hand?: RaisedHand;
  muted?: Muted;
}

export type Moderation =
  | { action: 'mute'; name: string; minutes?: number }
  | { action: 'unmute'; name: string }
  | { action: 'disconnect'; name: string; reason: string }
  | { action: 'lower-hand'; name: string };

export const MODERATION_ACTIONS: ReadonlyArray<Moderation['action']> = ['mute', 'unmute', 'disconnect', 'lower-hand'];
