/**
 * The relay's rooms: one Hub per class. The default class is the relay as it always was (its
 * teacher key is the relay's); a class made on the relay gets its room when a member first joins
 * it, and the room goes once it is empty and its class ended. Rooms share nothing a member could
 * see (names, presence, hints, roster, ids, resume tokens); what bounds a host, such as its
 * registrations per minute, is one limiter for all of them, and what fills memory (ids, resume
 * messages) is bounded per room and by one relay-wide budget of each, the biggest room paying.
 */
import { readClassCode } from '../../protocol/classCode';
import { MAX_CLASS_CODE_BYTES } from '../../protocol/limits';
import { escapeControls } from '../../protocol/sanitize';
import { cut } from '../../protocol/text';
import type { ClassSummary } from '../../protocol/frames';
import { RateLimiter } from '../budgets/rateLimiter';
import type { RateLimit } from '../budgets/tokenBucket';
import { Hub, type HubOptions } from '../routing/hub';
import { relayShares, type RelayShares } from '../budgets/sharedBudget';
import { KEY_GUESSING_DEFAULTS, KeyGuessing } from '../classroom/keyGuessing';
import { ClassRegistry, type ClassPolicy, type Creation } from './classRegistry';
import type { ClusterLink } from '../routing/clusterLink';

/** Why a node that cannot reach the others makes and ends no class (the client asks its next node). */
export const APART = 'this relay node cannot reach the other nodes now; ask another node of the relay';

export interface RoomsOptions extends Omit<HubOptions, 'classroom' | 'registrations' | 'shares'> {
  /** Registrations per remote address, counted across every room. */
  registrations: RateLimit;
  /** The default class's teacher key (the relay's). */
  teacherKey: string | undefined;
  rosterMs: number;
  classes: ClassPolicy;
  /** Members of one class (not the default) at once. */
  maxPerClass: number;
  /** Ids remembered and resume bytes kept by every room together, whatever the number of classes. */
  relayWide: { ids: number; resumeBytes: number; departed: number };
}

/** The room a hello or a course client's `CODE/Name` asks for. */
export type RoomLookup =
  { ok: true; hub: Hub; code: string | undefined } | { ok: false; problem: 'unknown' | 'full'; detail: string };

/** A class request's answer: what the relay says, or why it refuses. */
export type DeskAnswer<T> = { ok: true; value: T } | { ok: false; detail: string };

export class Rooms {
  readonly main: Hub;
  readonly registry: ClassRegistry;
  /** One for the relay, handed to every room: the relay's total stays at its own figures. */
  readonly shares: RelayShares;
  private readonly rooms = new Map<string, Hub>();
  private readonly registrations: RateLimiter;
  /** Admin keys are guessed no faster than teacher keys: per address and in all (keyGuessing.ts). */
  private readonly adminGuessing: KeyGuessing;
  /** The other relay nodes, whose members every room knows. */
  private cluster: ClusterLink | undefined;

  constructor(
    private readonly options: RoomsOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.adminGuessing = new KeyGuessing(KEY_GUESSING_DEFAULTS, clock);
    this.registrations = new RateLimiter(options.registrations);
    this.shares = relayShares(options.relayWide);
    this.registry = new ClassRegistry(options.classes, clock);
    this.main = this.makeHub({ teacherKey: options.teacherKey, rosterMs: options.rosterMs });
  }

  /** Every room, and every room made from now on, knows the members of the other relay nodes. */
  useCluster(cluster: ClusterLink): void {
    this.cluster = cluster;
    const share = cluster.shareClasses({
      classMade: (entry) => this.registry.adopt(entry),
      classEnded: (code) => {
        if (this.registry.drop(code)) this.closeRoom(code);
      },
    });
    this.registry.shareWith(share);
    this.main.useCluster(cluster);
    for (const hub of this.rooms.values()) hub.useCluster(cluster);
  }

  /** The room of `typed` (a class code as someone typed it); undefined: the default class. */
  lookup(typed: string | undefined): RoomLookup {
    if (typed === undefined) return { ok: true, hub: this.main, code: undefined };
    const read = readClassCode(typed);
    if (!read.ok) {
      const shown = cut(escapeControls(typed.trim()), MAX_CLASS_CODE_BYTES);
      return { ok: false, problem: 'unknown', detail: `there is no class "${shown}" on this relay: ${read.detail}` };
    }
    const { code } = read;
    // A class with members online is in use, however long ago its last member joined.
    if ((this.rooms.get(code)?.size ?? 0) > 0) this.registry.used(code);
    if (!this.registry.find(code)) {
      this.closeRoom(code);
      return { ok: false, problem: 'unknown', detail: `there is no class ${code} on this relay; it may have ended` };
    }
    let hub = this.rooms.get(code);
    if (!hub) {
      const isTeacherKey = (key: string) => this.registry.isTeacherKey(code, key);
      hub = this.makeHub({ isTeacherKey, rosterMs: this.options.rosterMs }, code);
      this.rooms.set(code, hub);
    }
    if (hub.size >= this.options.maxPerClass)
      return { ok: false, problem: 'full', detail: `class ${code} has ${this.options.maxPerClass} members at most` };
    this.registry.used(code);
    return { ok: true, hub, code };
  }

  /** The code of `hub`'s class; undefined for the default class. */
  codeOf(hub: Hub): string | undefined {
    for (const [code, room] of this.rooms) if (room === hub) return code;
    return undefined;
  }

  /**
   * A member left `hub`: the empty room of a class that ended goes. A live class keeps its room
   * (its hints and its students' standing) while nobody is in it.
   */
  left(hub: Hub): void {
    const code = this.codeOf(hub);
    if (code !== undefined && hub.size === 0 && !this.registry.find(code)) this.forget(code);
  }

  /** A class made by the client at `from`; an admin key it presents must be right. */
  create(from: string, adminKey: string | undefined): Creation {
    const admin = adminKey === undefined ? undefined : this.admin(from, adminKey, 'making a class');
    if (admin && !admin.ok) return { ok: false, reason: 'not-allowed', detail: admin.detail };
    if (this.apart) return { ok: false, reason: 'unavailable', detail: APART };
    return this.registry.create(from, adminKey);
  }

  list(from: string, adminKey: string): DeskAnswer<ClassSummary[]> {
    const admin = this.admin(from, adminKey, 'listing the classes');
    if (!admin.ok) return admin;
    this.touchOccupied();
    const value = this.registry.list().map((entry) => ({
      code: entry.code,
      madeAt: new Date(entry.madeAt).toISOString(),
      usedAt: new Date(entry.usedAt).toISOString(),
      online: this.rooms.get(entry.code)?.size ?? 0,
    }));
    return { ok: true, value };
  }

  /** Ends a class: its members are told why and closed, and its code is free of it. */
  end(from: string, typed: string, adminKey: string): DeskAnswer<string> {
    const admin = this.admin(from, adminKey, 'ending a class');
    if (!admin.ok) return admin;
    if (this.apart) return { ok: false, detail: APART };
    const read = readClassCode(typed);
    if (!read.ok) return { ok: false, detail: read.detail };
    if (!this.registry.end(read.code)) return { ok: false, detail: `there is no class ${read.code} on this relay` };
    this.closeRoom(read.code);
    return { ok: true, value: read.code };
  }

  /** A node that cannot reach the others makes and ends no class: the others would not know of it. */
  private get apart(): boolean {
    return this.cluster !== undefined && !this.cluster.available;
  }

  /** Housekeeping of every room; a class in use stays in use, one unused too long ends. */
  sweep(): void {
    this.main.sweep();
    for (const hub of this.rooms.values()) hub.sweep();
    this.touchOccupied();
    for (const code of this.registry.expire()) this.closeRoom(code);
  }

  /** Pending presence of every room now; the relay calls it before it stops. */
  flushPresence(): void {
    this.main.flushPresence();
    for (const hub of this.rooms.values()) hub.flushPresence();
  }

  dispose(): void {
    this.main.dispose();
    for (const hub of this.rooms.values()) hub.dispose();
    this.rooms.clear();
  }

  /** Whether `key` is the admin key, checked unless too many wrong ones came from `from` or from all. */
  private admin(from: string, key: string, what: string): DeskAnswer<true> {
    const verdict = this.adminGuessing.attempt(from, () => this.registry.isAdminKey(key), false);
    if (verdict.type === 'teacher') return { ok: true, value: true };
    if (verdict.type === 'wrong') return { ok: false, detail: `${what} needs the admin key` };
    const seconds = Math.max(1, Math.ceil((verdict.untilMs - this.clock()) / 1000));
    const source = verdict.scope === 'address' ? `from ${from}` : 'from many addresses';
    return { ok: false, detail: `too many wrong admin keys came ${source}; none is checked for ${seconds} s` };
  }

  /** Classes with members online are in use now. */
  private touchOccupied(): void {
    for (const [code, hub] of this.rooms) if (hub.size > 0) this.registry.used(code);
  }

  private closeRoom(code: string): void {
    const hub = this.rooms.get(code);
    if (!hub) return;
    hub.classEnded(code);
    if (hub.size === 0) this.forget(code);
  }

  private forget(code: string): void {
    this.rooms.get(code)?.dispose();
    this.rooms.delete(code);
  }

  private makeHub(classroom: HubOptions['classroom'], room = ''): Hub {
    const { presence, ids, resume, who } = this.options;
    const { registrations, shares } = this;
    const hub = new Hub({ presence, ids, resume, who, registrations, classroom, room, shares });
    if (this.cluster) hub.useCluster(this.cluster);
    return hub;
  }
}
