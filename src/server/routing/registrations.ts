/**
 * What the relay keeps of a framed client's registration beyond its connection: a resume token
 * and, for a few minutes, the messages it was handed, numbered (`seq`). A connection can die
 * without the relay knowing (a laptop lid closed, the relay itself suspended); the client comes
 * back with its token and the last `seq` it saw, takes its name over and gets what it missed.
 *
 * Bounded: per registration in messages and bytes, in time, in total bytes (oldest first), and
 * in the number of registrations kept for clients that left, per remote address and in all. A
 * registration whose name is held (its client left without goodbye less than `holdMs` ago) is
 * never pushed out by others: past a bound, only registrations past their hold go, oldest first.
 * While every kept registration is in its hold, new ones wait (`saturated`), so whoever holds a
 * name keeps it for its minute whatever others do. The kept bytes and the departed registrations
 * of every room of the relay (a class) share relay-wide bounds too (budgets/sharedBudget.ts): past
 * one, a room past its fair share gives up its own oldest (departed ones past their hold only), and
 * a room at its share whose departed are all held makes new registrations wait, as past its own;
 * past twice the bound of departed ones, every room does.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Envelope } from './peer';
import type { BudgetUser, RelayShares } from '../budgets/sharedBudget';
import { newToken, Registration, type Adopted } from './registration';

export type { Adopted } from './registration';

export interface ResumeLimits {
  /** How long a message is kept for a resume, and a registration after its client left. */
  keepMs: number;
  /** Messages and bytes kept per registration. */
  messages: number;
  bytes: number;
  /** Bytes kept for all registrations together. */
  totalBytes: number;
  /** Registrations kept for clients that left, per remote address and in all. */
  offlinePerAddress: number;
  offlineTotal: number;
  /**
   * How long the name of a client that left without saying goodbye stays held for its token: a
   * classmate cannot take it (and read its messages) while the client reconnects.
   */
  holdMs: number;
}

export class Registrations implements BudgetUser {
  private readonly byKey = new Map<string, Registration>();
  /** Keys of registrations whose client left, oldest first: per address, and in all. */
  private readonly departedByAddress = new Map<string, Set<string>>();
  private readonly departed = new Set<string>();
  /**
   * Every kept message in the order it was kept, for eviction across registrations: its
   * registration and its number, in two arrays; those before `orderStart` were evicted.
   */
  private orderOf: Registration[] = [];
  private orderSeq: number[] = [];
  private orderStart = 0;
  /** Messages kept in all registrations: the order lists each once, and the rest of it is gone. */
  private keptCount = 0;
  private total = 0;

  constructor(
    private readonly limits: ResumeLimits,
    private readonly clock: () => number = Date.now,
    /** The relay-wide bounds of kept bytes and departed registrations (budgets/sharedBudget.ts). */
    private readonly shares?: Pick<RelayShares, 'resumeBytes' | 'departed'>,
    /** A registration is gone (its client said goodbye, was replaced, or past its keep time). */
    private readonly dropped: (key: string, id: string) => void = () => undefined,
  ) {}

  /** This room's departed registrations, as the relay-wide budget of them sees it. */
  private readonly departedUser: BudgetUser = { release: (amount) => this.releaseDeparted(amount) };

  get size(): number {
    return this.byKey.size;
  }

  get keptBytes(): number {
    return this.total;
  }

  /** A new registration for `key`, replacing what was kept for an earlier holder of the name. */
  create(key: string, address: string, teacher = false, id?: string): string {
    this.drop(key);
    const registration = new Registration(key, address, teacher, id);
    this.byKey.set(key, registration);
    return registration.token;
  }

  /**
   * A registration another relay node held, continued here: numbered on, keeping what that node
   * kept (`kept`, numbered), so that a resume here finds it too. Numbers must follow each other:
   * what comes before a gap is returned, for the client to be handed once.
   */
  adopt(key: string, address: string, adopted: Adopted, kept: Envelope[]): Envelope[] {
    this.drop(key);
    const registration = new Registration(key, address, adopted.teacher, adopted.id);
    this.byKey.set(key, registration);
    let from = kept.length;
    while (from > 0 && kept[from - 1]!.seq === (kept[from]?.seq ?? adopted.nextSeq) - 1) from--;
    registration.nextSeq = kept[from]?.seq ?? adopted.nextSeq;
    for (const envelope of kept.slice(from)) this.keep(key, envelope, envelope.seq!);
    return kept.slice(0, from);
  }

  /** The id of `key`'s registration. */
  idOf(key: string): string | undefined {
    return this.byKey.get(key)?.id;
  }

  /**
   * A fresh token for `key`'s registration; the old one is good no more. `teacher` says whether
   * the client that resumed presented the teacher key, so the token vouches for what it did.
   * `token`: the one the client has, when the new one never reached it.
   */
  renew(key: string, teacher: boolean, token = newToken()): string | undefined {
    const registration = this.byKey.get(key);
    if (!registration) return undefined;
    registration.token = token;
    registration.teacher = teacher;
    return registration.token;
  }

  /** Whether `token` is the token of `key`'s registration (compared in constant time). */
  matches(key: string, token: string): boolean {
    const registration = this.byKey.get(key);
    if (!registration) return false;
    const expected = Buffer.from(registration.token);
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Whether `token` is the token of a teacher's registration of `key`. */
  teacherToken(key: string, token: string): boolean {
    return this.byKey.get(key)?.teacher === true && this.matches(key, token);
  }

  /** The registration's messages after `lastSeq`, when the client comes back. */
  since(key: string, lastSeq: number): Envelope[] {
    const registration = this.byKey.get(key);
    if (!registration) return [];
    this.expire(registration, this.clock());
    return registration.after(lastSeq);
  }

  /**
   * The number (`seq`) the next message for `key`'s client takes; undefined for a name without a
   * registration. A refused message is never kept: its number goes to the next one.
   */
  nextSeq(key: string): number | undefined {
    return this.byKey.get(key)?.nextSeq;
  }

  /**
   * Keeps a message numbered `seq` (as `nextSeq` gave), once it was handed to the client, for a
   * resume; returns the id of the registration that keeps it.
   */
  keep(key: string, envelope: Envelope, seq: number): string | undefined {
    const registration = this.byKey.get(key);
    if (!registration || seq !== registration.nextSeq) return undefined;
    const bytes = approximateBytes(envelope);
    // Room is made first, by the relay-wide budget too, while the numbers still say what is kept.
    this.shares?.resumeBytes.take(this, bytes);
    registration.keepNext(envelope, this.clock());
    registration.bytes += bytes;
    this.total += bytes;
    this.keptCount++;
    this.orderOf.push(registration);
    this.orderSeq.push(seq);
    while (registration.count > this.limits.messages || registration.bytes > this.limits.bytes)
      this.dropOldest(registration);
    while (this.total > this.limits.totalBytes && this.orderStart < this.orderOf.length) this.evictOldest();
    this.compact();
    return registration.id;
  }

  online(key: string): void {
    const registration = this.byKey.get(key);
    if (!registration) return;
    registration.offlineSince = undefined;
    this.forgetDeparted(registration);
  }

  /**
   * The client left; its registration is kept for a resume, pushing out the oldest of its
   * address, and in all, that are past their hold.
   */
  offline(key: string): void {
    const registration = this.byKey.get(key);
    if (!registration) return;
    registration.offlineSince = this.clock();
    let ofAddress = this.departedByAddress.get(registration.address);
    if (!ofAddress) {
      ofAddress = new Set();
      this.departedByAddress.set(registration.address, ofAddress);
    }
    if (!this.departed.has(key)) this.shares?.departed.take(this.departedUser, 1);
    ofAddress.add(key);
    this.departed.add(key);
    this.trimAddress(ofAddress);
    this.trimTotal();
  }

  /**
   * Whether a new registration must wait: as many registrations are kept for clients that left
   * as there may be, and every one of them still holds its name; or the relay keeps as many in
   * all classes together, this class its share of them, all held (or twice as many: any class).
   */
  get saturated(): boolean {
    this.trimTotal();
    const oldest = this.departed.values().next().value;
    const allHeld = oldest !== undefined && this.held(oldest);
    if (allHeld && this.departed.size >= this.limits.offlineTotal) return true;
    const shared = this.shares?.departed;
    if (!shared || shared.used < shared.bound) return false;
    // Past the relay's bound a class at its share whose departed are all held waits; past twice the bound, any.
    return shared.used >= 2 * shared.bound || (allHeld && this.departed.size >= shared.fairShare);
  }

  /** Whether `key` is held for a client that left without goodbye a moment ago. */
  held(key: string): boolean {
    return this.inHold(this.byKey.get(key));
  }

  /** How long until the oldest hold ends, when the relay is `saturated`. */
  get holdEndsIn(): number {
    const oldest = this.departed.values().next().value;
    const since = oldest === undefined ? undefined : this.byKey.get(oldest)?.offlineSince;
    // Waiting on other classes' held names: at most a hold.
    return since === undefined ? this.limits.holdMs : Math.max(0, since + this.limits.holdMs - this.clock());
  }

  private inHold(registration: Registration | undefined): boolean {
    const since = registration?.offlineSince;
    return since !== undefined && this.clock() - since < this.limits.holdMs;
  }

  /**
   * An address over its share gives up its registrations past their hold, oldest first; students
   * behind the teacher's router who come and go push out their own before the teacher's (it
   * vouches for the teacher's return).
   */
  private trimAddress(ofAddress: Set<string>): void {
    while (ofAddress.size > this.limits.offlinePerAddress) {
      const pastHold: Registration[] = [];
      // Departures are in order, so those past their hold come first.
      for (const departed of ofAddress) {
        const registration = this.byKey.get(departed)!;
        if (this.inHold(registration)) break;
        pastHold.push(registration);
      }
      const out = pastHold.find((registration) => !registration.teacher) ?? pastHold[0];
      if (!out) return;
      this.drop(out.key);
    }
  }

  /** Past the bound in all, the registrations departed longest ago go while they are past their hold. */
  private trimTotal(): void {
    while (this.departed.size > this.limits.offlineTotal) {
      const oldest = this.departed.values().next().value!;
      if (this.inHold(this.byKey.get(oldest))) return;
      this.drop(oldest);
    }
  }

  drop(key: string): void {
    const registration = this.byKey.get(key);
    if (!registration) return;
    this.forgetDeparted(registration);
    this.byKey.delete(key);
    this.total -= registration.bytes;
    this.shares?.resumeBytes.give(this, registration.bytes);
    registration.gone = true;
    this.keptCount -= registration.count;
    registration.clear();
    registration.bytes = 0;
    this.dropped(key, registration.id);
  }

  /** Forgets messages older than the keep time, and registrations whose client left that long ago. */
  sweep(): void {
    const now = this.clock();
    for (const registration of [...this.byKey.values()]) {
      if (registration.offlineSince !== undefined && now - registration.offlineSince >= this.limits.keepMs)
        this.drop(registration.key);
      else this.expire(registration, now);
    }
    for (const ofAddress of [...this.departedByAddress.values()]) this.trimAddress(ofAddress);
    this.trimTotal();
    this.compact();
  }

  private forgetDeparted(registration: Registration): void {
    if (this.departed.delete(registration.key)) this.shares?.departed.give(this.departedUser, 1);
    const ofAddress = this.departedByAddress.get(registration.address);
    ofAddress?.delete(registration.key);
    if (ofAddress?.size === 0) this.departedByAddress.delete(registration.address);
  }

  private expire(registration: Registration, now: number): void {
    for (let at = registration.oldestAt; at !== undefined && now - at >= this.limits.keepMs; at = registration.oldestAt)
      this.dropOldest(registration);
  }

  private dropOldest(registration: Registration): void {
    if (registration.gone) return;
    const envelope = registration.takeOldest();
    if (!envelope) return;
    const bytes = approximateBytes(envelope);
    registration.bytes -= bytes;
    this.keptCount--;
    this.total -= bytes;
    this.shares?.resumeBytes.give(this, bytes);
  }

  /**
   * The relay's kept bytes of all rooms are past their bound and this room keeps the most: it
   * gives up its oldest messages, whoever they were for, until `amount` bytes are free.
   */
  release(amount: number): number {
    const before = this.total;
    while (before - this.total < amount && this.orderStart < this.orderOf.length) this.evictOldest();
    this.compact();
    return before - this.total;
  }

  /** The relay's departed registrations are past their bound: this room's past their hold go, oldest first. */
  private releaseDeparted(amount: number): number {
    let freed = 0;
    for (const key of [...this.departed]) {
      if (freed >= amount || this.held(key)) break;
      this.drop(key);
      freed++;
    }
    return freed;
  }

  /** The room goes: what it keeps no longer counts in the relay's total. */
  dispose(): void {
    this.shares?.resumeBytes.leave(this);
    this.shares?.departed.leave(this.departedUser);
  }

  /** Evicts the message kept longest ago, unless it is gone already (dropped with its registration, or expired). */
  private evictOldest(): void {
    const registration = this.orderOf[this.orderStart]!;
    const seq = this.orderSeq[this.orderStart]!;
    this.orderStart++;
    if (this.isKept(registration, seq)) this.dropOldest(registration);
  }

  private isKept(registration: Registration, seq: number): boolean {
    return !registration.gone && seq >= registration.firstSeq && seq < registration.nextSeq;
  }

  /** The eviction order still lists messages that are gone; it is rebuilt once they are most of it. */
  private compact(): void {
    const waste = this.orderOf.length - this.keptCount;
    if (waste < 1024 || waste < this.orderOf.length / 2) return;
    const orderOf: Registration[] = [];
    const orderSeq: number[] = [];
    for (let index = this.orderStart; index < this.orderOf.length; index++) {
      const registration = this.orderOf[index]!;
      const seq = this.orderSeq[index]!;
      if (!this.isKept(registration, seq)) continue;
      orderOf.push(registration);
      orderSeq.push(seq);
    }
    this.orderOf = orderOf;
    this.orderSeq = orderSeq;
    this.orderStart = 0;
  }
}

function approximateBytes(envelope: Envelope): number {
  const body =
    envelope.type === 'snippet'
      ? envelope.snippet.code.length + (envelope.snippet.file?.length ?? 0)
      : envelope.text.length;
  return 2 * body + 200;
}
