/**
 * The classroom on the relay: who is a teacher (by the teacher key), the hints of the lesson,
 * each student's standing (raised hand, mute, messages counted), the roster teachers see, and
 * what teachers may do to students. Roles and standing are the relay's: nothing a client says
 * about itself makes it a teacher or lifts a mute. Standing is kept by name key, so leaving and
 * coming back neither lowers a hand nor ends a mute.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Moderation, Muted, Roster, RosterEntry, Standing } from '../../protocol/classroom';
import { KEPT_HINT_BYTES, KEPT_HINTS, ROSTER_QUESTION_CHARACTERS } from '../../protocol/limits';
import { encodeFrame } from '../../protocol/frameCodec';
import { escapeControls } from '../../protocol/sanitize';
import { cut } from '../../protocol/text';
import { RELAY_DEFAULTS as D } from '../policy/defaults';
import { listRoster, type Listable } from './rosterListing';
import { KEY_GUESSING_DEFAULTS, KeyGuessing, type KeyVerdict } from './keyGuessing';
import type { Envelope, Peer } from '../routing/peer';

/** A member's standing as the relay keeps it: what the member is told of, and its counts for the roster. */
export interface KeptStanding extends Standing {
  sent: number;
  received: number;
}

export type ModerationResult =
  { status: 'delivered' } | { status: 'unknown-peer' } | { status: 'rejected'; reason: 'not-allowed'; detail: string };

/** What the relay keeps of a classroom across a restart (state/lessonStore.ts). */
export interface KeptClassroom {
  hints: ReadonlyArray<Extract<Envelope, { type: 'broadcast' }>>;
  standing: ReadonlyArray<[string, KeptStanding]>;
}

/** What changed since the lesson was last kept: a standing `undefined` was forgotten; `hints` when they changed. */
export interface ClassroomChanges {
  standing: Array<[string, KeptStanding | undefined]>;
  hints?: Array<Extract<Envelope, { type: 'broadcast' }>>;
}

export interface ClassroomOptions {
  /** Who presents this key in its hello is a teacher; without one (nor `isTeacherKey`), nobody is. */
  teacherKey?: string;
  /** A class's own check of a key (against the digest its registry keeps), instead of `teacherKey`. */
  isTeacherKey?: (key: string) => boolean;
  /** Teachers' rosters are sent at most this often. */
  rosterMs: number;
}

/**
 * Standing across relay nodes (Hub.useCluster): this node's members' goes to the other nodes, and
 * the other nodes' members' shows in this node's roster.
 */
export interface StandingElsewhere {
  /** `key`'s standing changed here (she may be a member of another node: the hub tells them apart). */
  changed(key: string, standing: Readonly<KeptStanding>): void;
  /** `key` left this node; `kept`: her raised hand or mute, which go with her name to the next node. */
  left(key: string, kept: Readonly<KeptStanding> | undefined): void;
  /** The standing of `peer` when it is a member of another node; undefined for this node's members. */
  of(key: string, peer: Peer): Readonly<KeptStanding> | undefined;
}

/** The standing of a member that has none kept yet: nothing counted, no hand, no mute (never changed). */
const NO_STANDING: Readonly<KeptStanding> = { sent: 0, received: 0 };

/** Departed standing is forgotten in bulk, once this many more than are kept have piled up. */
const FORGET_IN_BULK = 4096;

function hintSize(envelope: Envelope): number {
  return envelope.type === 'snippet'
    ? envelope.snippet.code.length
    : envelope.text.length + (envelope.type === 'broadcast' ? (envelope.snippet?.code.length ?? 0) : 0);
}

export class Classroom {
  private readonly standing = new Map<string, KeptStanding>();
  private readonly hints: Envelope[] = [];
  private keyDigest: Buffer | undefined;
  /** Set while the lesson is kept: what changed since the last write, and whom to wake when the first change comes. */
  private changes: { keys: Set<string>; hints: boolean; pending: boolean; wake: () => void } | undefined;
  private rosterTimer: NodeJS.Timeout | undefined;
  private rosterSent = 0;
  private hintBytes = 0;
  private disposed = false;
  private readonly keyGuessing: KeyGuessing;
  private elsewhere: StandingElsewhere | undefined;

  constructor(
    private readonly options: ClassroomOptions,
    private readonly members: () => Iterable<[string, Peer]>,
    private readonly clock: () => number = Date.now,
  ) {
    this.keyDigest = options.teacherKey ? digest(options.teacherKey) : undefined;
    this.keyGuessing = new KeyGuessing(KEY_GUESSING_DEFAULTS, clock);
  }

  /** Whether `key` is the teacher key, compared in constant time (of digests, so lengths leak nothing). */
  isTeacherKey(key: string): boolean {
    if (this.options.isTeacherKey) return this.options.isTeacherKey(key);
    return this.keyDigest !== undefined && timingSafeEqual(digest(key), this.keyDigest);
  }

  get hasTeacherKey(): boolean {
    return this.keyDigest !== undefined || this.options.isTeacherKey !== undefined;
  }

  /** The teacher key from now on (a kept one, learnt after the relay was made). */
  useTeacherKey(key: string): void {
    this.keyDigest = digest(key);
  }

  /**
   * Starts with what a previous run kept: its hints, and its standing as that of names that left.
   * Only what the bounds leave out of it is noted as changed (the keeper deletes it from the store).
   */
  restore(kept: KeptClassroom): void {
    let dropped = 0;
    for (const hint of kept.hints) dropped += this.keepHint(hint);
    if (dropped > 0) this.changed();
    for (const [key, standing] of kept.standing) this.standing.set(key, { ...standing });
    if (this.standing.size > D.departedStanding.value) this.forgetDeparted();
  }

  /**
   * From now on, changes are noted for the keeper (state/lessonKeeper.ts): a name key added to a
   * set, a flag; `wake` is called when the first change after a `takeChanges` comes.
   */
  keepChanges(wake: () => void): void {
    this.changes = { keys: new Set(), hints: false, pending: false, wake };
  }

  /** What changed since the last call, as the keeper writes it. */
  takeChanges(): ClassroomChanges {
    const changes = this.changes;
    if (!changes) return { standing: [] };
    const standing = [...changes.keys].map((key): [string, KeptStanding | undefined] => {
      const kept = this.standing.get(key);
      return [key, kept && { ...kept }];
    });
    const taken: ClassroomChanges = { standing };
    if (changes.hints) taken.hints = this.hints.slice() as ClassroomChanges['hints'];
    changes.keys.clear();
    changes.hints = false;
    changes.pending = false;
    return taken;
  }

  standingOf(key: string): KeptStanding {
    let standing = this.standing.get(key);
    if (!standing) {
      standing = { sent: 0, received: 0 };
      this.standing.set(key, standing);
    }
    this.expireMute(standing);
    return standing;
  }

  /**
   * A member registered: it learns its standing and the hints so far; teachers get the roster.
   * A standing is kept from the member's first message, hand or mute on: an idle member holds none.
   */
  joined(key: string, peer: Peer): void {
    peer.standingChanged(this.standing.has(key) ? this.standingOf(key) : NO_STANDING);
    if (this.standing.has(key)) this.elsewhere?.changed(key, this.standingOf(key));
    if (this.hints.length > 0) peer.earlierHints([...this.hints]);
    if (peer.role === 'teacher') peer.roster(this.rosterBytes());
    this.rosterChanged();
  }

  left(key: string): void {
    const standing = this.standing.get(key);
    this.elsewhere?.left(key, standing?.muted || standing?.hand ? standing : undefined);
    if (standing && !standing.muted && !standing.hand) {
      this.standing.delete(key);
      this.changed(key);
    }
    if (this.standing.size > D.departedStanding.value + FORGET_IN_BULK) this.forgetDeparted();
    this.rosterChanged();
  }

  /** From now on, standing is shared with the other relay nodes. */
  shareStanding(elsewhere: StandingElsewhere): void {
    this.elsewhere = elsewhere;
  }

  /**
   * The members of another node, or their standing, changed: teachers here get the roster anew.
   * `left`: a member who left here, whose standing another node wrote since: what was kept here is old.
   */
  changedElsewhere(left?: string): void {
    if (left !== undefined && this.standing.delete(left)) this.changed(left);
    this.rosterChanged();
  }

  /** A message from another node's member reached `key` here; a teacher's answers her raised hand. */
  receivedFromElsewhere(key: string, peer: Peer, fromTeacher: boolean): void {
    const standing = this.standingOf(key);
    standing.received++;
    if (fromTeacher && standing.hand) {
      standing.hand = undefined;
      peer.standingChanged(standing);
    }
    this.changed(key);
    this.rosterChanged();
  }

  /** Why `key` may not send now, if it may not. */
  mutedUntil(key: string): Muted | undefined {
    const standing = this.standing.get(key);
    if (!standing) return undefined;
    this.expireMute(standing);
    return standing.muted;
  }

  /** Counts a message; a teacher's direct message answers the recipient's raised hand. */
  counted(fromKey: string, from: Peer, toKey: string | undefined, to: Peer | undefined): void {
    this.standingOf(fromKey).sent++;
    this.changed(fromKey);
    if (toKey !== undefined && to) {
      const target = this.standingOf(toKey);
      target.received++;
      this.changed(toKey);
      if (from.role === 'teacher' && target.hand) {
        target.hand = undefined;
        to.standingChanged(target);
      }
    }
    this.rosterChanged();
  }

  receivedBroadcast(key: string): void {
    this.standingOf(key).received++;
    this.changed(key);
  }

  /** A teacher's broadcast, kept for those who join later (the last KEPT_HINTS, at most KEPT_HINT_BYTES of them). */
  hint(envelope: Envelope): void {
    // A hint heard twice (live from another node, and again from the engine's store) is kept once.
    if (envelope.id !== undefined && this.hints.some((kept) => kept.id === envelope.id && kept.from === envelope.from))
      return;
    this.keepHint(envelope);
    this.changed();
  }

  clearHints(by: string): void {
    this.hints.length = 0;
    this.hintBytes = 0;
    this.changed();
    const at = new Date(this.clock()).toISOString();
    for (const [, peer] of this.members()) peer.hintsCleared(by, at);
  }

  /** The question is shown in teachers' rosters: one line, controls escaped, cut to ROSTER_QUESTION_CHARACTERS. */
  raiseHand(key: string, peer: Peer, question: string | undefined): void {
    const standing = this.standingOf(key);
    const shown = question === undefined ? '' : cut(escapeControls(question.trim()), ROSTER_QUESTION_CHARACTERS);
    standing.hand = shown
      ? { at: new Date(this.clock()).toISOString(), question: shown }
      : { at: new Date(this.clock()).toISOString() };
    this.changed(key);
    peer.standingChanged(standing);
    this.rosterChanged();
  }

  lowerHand(key: string, peer: Peer): void {
    const standing = this.standingOf(key);
    if (!standing.hand) return;
    standing.hand = undefined;
    this.changed(key);
    peer.standingChanged(standing);
    this.rosterChanged();
  }

  /** A teacher acts on a student; `target` is the member holding the name, if any. */
  moderate(action: Moderation, targetKey: string, target: Peer | undefined): ModerationResult {
    if (!target) return { status: 'unknown-peer' };
    if (target.role === 'teacher')
      return {
        status: 'rejected',
        reason: 'not-allowed',
        detail: 'teachers cannot be muted, disconnected or have their hand lowered',
      };
    const standing = this.standingOf(targetKey);
    switch (action.action) {
      case 'mute':
        standing.muted =
          action.minutes === undefined ? {} : { until: new Date(this.clock() + action.minutes * 60_000).toISOString() };
        break;
      case 'unmute':
        standing.muted = undefined;
        break;
      case 'lower-hand':
        standing.hand = undefined;
        break;
      case 'disconnect':
        target.kick(action.reason);
        this.rosterChanged();
        return { status: 'delivered' };
    }
    this.changed(targetKey);
    target.standingChanged(standing);
    this.rosterChanged();
    return { status: 'delivered' };
  }

  /** The roster as teachers see it: students, raised hands first (oldest first), then by name (rosterListing.ts). */
  entries(): Roster {
    const students: Listable[] = [];
    for (const [key, peer] of this.members()) {
      if (peer.role !== 'student') continue;
      const standing = this.elsewhere?.of(key, peer) ?? (this.standing.has(key) ? this.standingOf(key) : NO_STANDING);
      const entry: RosterEntry = {
        name: peer.name,
        role: peer.role,
        dialect: peer.dialect,
        address: peer.remote,
        since: new Date(peer.connectedAt).toISOString(),
        sent: standing.sent,
        received: standing.received,
      };
      if (standing.hand) entry.hand = standing.hand;
      if (standing.muted) entry.muted = standing.muted;
      students.push({ entry, address: peer.address });
    }
    return listRoster(students);
  }

  /**
   * Whether `key` makes the client at `address` a teacher, checked only when neither the address
   * nor the relay is locked out for too many wrong keys (keyGuessing.ts). A teacher's client that
   * resumes its registration (`vouched`: its resume token proves it presented the key before) is
   * not locked out by others behind the same address, such as a class behind one router.
   */
  keyAttempt(address: string, key: string, vouched = false): KeyVerdict {
    return this.keyGuessing.attempt(address, () => this.isTeacherKey(key), vouched);
  }

  dispose(): void {
    this.disposed = true;
    if (this.rosterTimer) clearTimeout(this.rosterTimer);
    this.rosterTimer = undefined;
  }

  /** Teachers get the roster when it changed, at most once per `rosterMs`. */
  private rosterChanged(): void {
    if (this.rosterTimer || this.disposed) return;
    const wait = Math.max(0, this.rosterSent + this.options.rosterMs - this.clock());
    this.rosterTimer = setTimeout(() => {
      this.rosterTimer = undefined;
      this.rosterSent = this.clock();
      let bytes: Uint8Array | undefined;
      for (const [, peer] of this.members()) if (peer.role === 'teacher') peer.roster((bytes ??= this.rosterBytes()));
    }, wait);
  }

  /** Adds a hint within the bounds; says how many older ones (or it) went. */
  private keepHint(envelope: Envelope): number {
    this.hints.push(envelope);
    this.hintBytes += hintSize(envelope);
    let dropped = 0;
    for (; this.hints.length > KEPT_HINTS || this.hintBytes > KEPT_HINT_BYTES; dropped++)
      this.hintBytes -= hintSize(this.hints.shift()!);
    return dropped;
  }

  private rosterBytes(): Uint8Array {
    return encodeFrame({ type: 'roster', ...this.entries() });
  }

  private expireMute(standing: KeptStanding): void {
    if (standing.muted?.until !== undefined && Date.parse(standing.muted.until) <= this.clock())
      standing.muted = undefined;
  }

  private forgetDeparted(): void {
    const online = new Set([...this.members()].map(([key]) => key));
    const departed = [...this.standing.keys()].filter((key) => !online.has(key));
    for (const key of departed.slice(0, departed.length - D.departedStanding.value)) {
      this.standing.delete(key);
      this.changed(key);
    }
  }

  /** Notes a change of `key`'s standing (or, without a key, of the hints) for the keeper, if the lesson is kept. */
  private changed(key?: string): void {
    const kept = key === undefined ? undefined : this.standing.get(key);
    if (key !== undefined && kept) this.elsewhere?.changed(key, kept);
    const changes = this.changes;
    if (!changes) return;
    if (key === undefined) changes.hints = true;
    else changes.keys.add(key);
    if (changes.pending) return;
    changes.pending = true;
    changes.wake();
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
