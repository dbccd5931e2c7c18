/** What a relay is made with (relayServer.ts): where it listens, its TLS, teachers, kept lesson and limits. */
import type { TlsListenerOptions } from './connections/listeners';
import type { LogSink } from './log';
import { RELAY_DEFAULTS } from './policy/defaults';
import type { PolicyOverrides } from './policy/policy';
import type { CourseTiming } from './sessions/courseSession';
import type { ClusterOptions } from './cluster/natsLink';

export interface RelayServerOptions extends PolicyOverrides {
  host?: string;
  port?: number;
  log?: LogSink;
  course?: Partial<CourseTiming>;
  maxCourseMessageBytes?: number;
  /** A TLS listener beside the plain one (its own port, 12346 by default); both feed this relay. */
  tls?: TlsListenerOptions;
  /** false: only the TLS listener. */
  plain?: boolean;
  /** A framed client presenting this key is a teacher. Without one, nobody is, unless a lesson is kept (below). */
  teacherKey?: string;
  /**
   * Where the lesson is kept across restarts (state/keptLesson.ts: hints, hands, mutes, counts, and
   * the key the relay made: without `teacherKey`, the kept key or a new one is used; a `teacherKey`
   * given is never written there); undefined: nothing is kept.
   */
  stateDir?: string;
  /** With `stateDir` and without `teacherKey`: a new key is made and kept instead of the kept one. */
  newTeacherKey?: boolean;
  /**
   * Who may make classes beside the default class: anyone (`open`), holders of `adminKey` (`key`,
   * the default when an admin key is given) or nobody (`off`, the default without one: the relay
   * is one room, as it always was).
   */
  classCreation?: 'open' | 'key' | 'off';
  /** Whoever presents this key may make, list and end classes. */
  adminKey?: string;
  /**
   * This relay as one node of several, joined through NATS (docs/scale-out.md); undefined: a relay
   * alone, which loads nothing of NATS.
   */
  cluster?: ClusterOptions;
}

export const DEFAULT_COURSE_TIMING: CourseTiming = {
  pauseMs: RELAY_DEFAULTS.coursePauseMs.value,
  writeGapMs: RELAY_DEFAULTS.courseWriteGapMs.value,
  characterWaitMs: RELAY_DEFAULTS.courseCharacterWaitMs.value,
};
