/**
 * Students' standing (raised hand, mute, messages counted) across relay nodes, so that a teacher
 * on any node sees it in the roster: each node writes its own students' into the `relay_standing`
 * bucket, under the key of their name's claim, and watches the bucket for the other nodes'.
 * Counts are written coalesced (standingOutbox.ts); an entry goes when its student leaves, and one
 * of a node that died ages out (its student is no longer listed anywhere meanwhile).
 */
import type { KV, KvEntry, Kvm } from '@nats-io/kv';
import type { KeptStanding } from '../classroom/classroom';
import type { RoomListener, StandingShare } from '../routing/clusterLink';
import { BUCKETS, nameEntryKey, readNameEntryKey } from './clusterKeys';
import { contained, errorText, json, retried, settledWithin } from './engineCalls';
import { readStandingEntry } from './engineReads';
import { StandingOutbox } from './standingOutbox';

export const STANDING_DEFAULTS = {
  /** A student's counts are written at most this often; a hand or a mute at once. */
  countsGapMs: 1000,
  /** Students whose writes wait, or whose last write is remembered, at most (each). */
  outboxMembers: 10_000,
  /** Other nodes' students whose standing is remembered here, at most. */
  otherMembers: 100_000,
  /** The bucket's size: a write beyond it is refused by the engine (and logged), nothing else lost. */
  maxBytes: 64 * 1024 * 1024,
  /** An entry not written for this long ages out: a node that died without a word leaves none for longer. */
  maxAgeMs: 12 * 3600_000,
  /** How often a node writes its students' entries again, so that a day's hand or mute stays. */
  refreshMs: 3600_000,
  /** Students who left with a hand or a mute whose entries this node keeps in the bucket, at most. */
  departedMembers: 2000,
  /** How long a node that starts (or reaches the engine again) waits for the entries the bucket holds. */
  loadMs: 2000,
  /** How long opening the bucket may take before it is tried again. */
  requestMs: 2000,
} as const;

/** This node's entry of a student: what it wrote last, and at which revision (0 until the engine confirmed it). */
interface Held {
  value: Uint8Array;
  revision: number;
  /** A raised hand or a mute: the entry outlives her connection, for the node where she registers next. */
  notable: boolean;
}

const notable = (standing: Readonly<KeptStanding>) => standing.hand !== undefined || standing.muted !== undefined;

type Listeners = (room: string) => RoomListener | undefined;

export class StandingBoard {
  private readonly outbox = new StandingOutbox(STANDING_DEFAULTS.countsGapMs, STANDING_DEFAULTS.outboxMembers);
  /** As many as this node has students online (each holds a name's claim): each goes when she leaves. */
  private readonly held = new Map<string, Held>();
  /** Other nodes' students' standing by bucket key; insertion order is age. */
  private readonly others = new Map<string, { node: string; standing: KeptStanding }>();
  /**
   * This node's students who left with a hand or a mute, whose entries stay for their next node,
   * with the revision this node wrote; the oldest beyond the bound are deleted.
   */
  private readonly departed = new Map<string, number>();
  /** One write or delete of a key at a time, in the order they were asked for. */
  private readonly turns = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private refresher: NodeJS.Timeout | undefined;
  private watching: { stop(): void } | undefined;
  private listeners: Listeners = () => undefined;
  private closed = false;

  private constructor(
    private readonly bucket: KV,
    private readonly node: string,
    private readonly log: (text: string) => void,
    private readonly clock: () => number,
  ) {}

  /** Opens the bucket (made by the first node, with `replicas` copies). */
  static async open(
    kvm: Kvm,
    node: string,
    replicas: number,
    log: (text: string) => void,
    clock: () => number = Date.now,
  ): Promise<StandingBoard> {
    const { maxAgeMs: ttl, maxBytes: max_bytes, requestMs: timeout } = STANDING_DEFAULTS;
    const bucket = await retried(() =>
      kvm
        .create(BUCKETS.standing, { history: 1, ttl, max_bytes, replicas, timeout })
        .catch(() => kvm.open(BUCKETS.standing, { timeout })),
    );
    return new StandingBoard(bucket, node, log, clock);
  }

  /**
   * Follows the other nodes' students' standing for this node's rooms; again, from what the bucket
   * holds now, after the engine was out of reach (`listeners` as before when not given).
   */
  async follow(listeners: Listeners = this.listeners): Promise<void> {
    this.listeners = listeners;
    if (!this.refresher) {
      this.refresher = setInterval(() => this.refresh(), STANDING_DEFAULTS.refreshMs);
      this.refresher.unref();
    }
    this.watching?.stop();
    this.others.clear();
    const watch = await this.bucket.watch({ key: '>' });
    this.watching = watch;
    // Registrations wait for what the bucket holds: a muted student must not slip in before her mute is read.
    let loaded!: () => void;
    const replayed = new Promise<void>((resolve) => (loaded = resolve));
    void (async () => {
      for await (const entry of watch) {
        contained(this.log, () => this.heard(entry), undefined);
        if (entry.isUpdate || entry.delta === 0) loaded();
      }
    })().catch((error: unknown) => this.log(`the standing of the other nodes is not followed: ${errorText(error)}`));
    if ((await this.bucket.status()).values === 0) loaded();
    await settledWithin(replayed, STANDING_DEFAULTS.loadMs);
  }

  /** A room's share of the board. */
  forRoom(room: string): StandingShare {
    return {
      share: (key, standing) => this.share(nameEntryKey(room, key), standing),
      forget: (key, kept) => void this.forget(nameEntryKey(room, key), kept),
      of: (node, key) => this.of(nameEntryKey(room, key), node),
      lastElsewhere: (key) => {
        const entryKey = nameEntryKey(room, key);
        const other = this.others.get(entryKey);
        return other && this.of(entryKey, other.node);
      },
    };
  }

  /**
   * This node's entries, deleted as it stops (so the others need not wait for them to age out),
   * but for hands and mutes: they stay for the node where their students register next.
   */
  giveUpAll(): Promise<void>[] {
    this.stop();
    return [...this.held].filter(([, held]) => !held.notable).map(([entryKey]) => this.forget(entryKey));
  }

  private stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.refresher);
    this.watching?.stop();
  }

  private share(entryKey: string, standing: Readonly<KeptStanding>): void {
    if (this.closed) return;
    // This node writes her entry now: what another node wrote of her before is hers no more.
    this.departed.delete(entryKey);
    this.others.delete(entryKey);
    this.outbox.note(entryKey, standing, this.clock());
    this.writeDue();
  }

  private forget(entryKey: string, kept?: Readonly<KeptStanding>): Promise<void> {
    this.outbox.forget(entryKey);
    return this.inTurn(entryKey, async () => {
      const held = this.held.get(entryKey);
      this.held.delete(entryKey);
      if (kept) {
        // Her hand or mute stays with her name, for the node where she registers next (a mute is not
        // shed by moving); only as this node wrote it, never over another node's newer entry. A node
        // that stops leaves the entry it wrote as it is.
        if (this.closed) return;
        this.others.delete(entryKey);
        const value = json({ node: this.node, ...kept });
        const revision = await (held?.revision
          ? this.bucket.update(entryKey, value, held.revision)
          : this.bucket.create(entryKey, value));
        this.keepDeparted(entryKey, revision);
        return;
      }
      if (held && held.revision > 0) await this.bucket.delete(entryKey, { previousSeq: held.revision });
    });
  }

  /** A departed student's entry is kept; past the bound, the oldest kept entry is deleted. */
  private keepDeparted(entryKey: string, revision: number): void {
    this.departed.delete(entryKey);
    this.departed.set(entryKey, revision);
    for (const [oldest, written] of this.departed) {
      if (this.departed.size <= STANDING_DEFAULTS.departedMembers) break;
      this.departed.delete(oldest);
      this.bucket.delete(oldest, { previousSeq: written }).catch(() => undefined);
    }
  }

  private of(entryKey: string, node: string): KeptStanding | undefined {
    const other = this.others.get(entryKey);
    if (other?.node !== node) return undefined;
    const { muted, ...standing } = other.standing;
    // A mute for a time ends there without a write: it is over here when its time is.
    if (muted && !(muted.until !== undefined && Date.parse(muted.until) <= this.clock())) return { ...standing, muted };
    return standing;
  }

  /** Writes what is due, and sets a timer for what is due later. */
  private writeDue(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [entryKey, standing] of this.outbox.takeDue(this.clock())) {
      const value = json({ node: this.node, ...standing });
      const held: Held = { value, revision: 0, notable: notable(standing) };
      this.held.set(entryKey, held);
      void this.inTurn(entryKey, async () => {
        if (this.held.get(entryKey) === held) held.revision = await this.bucket.put(entryKey, value);
      });
    }
    const next = this.outbox.nextDue();
    if (next === undefined || this.closed) return;
    this.timer = setTimeout(() => this.writeDue(), Math.max(0, next - this.clock()));
    this.timer.unref();
  }

  private refresh(): void {
    for (const [entryKey, held] of this.held)
      void this.inTurn(entryKey, async () => {
        if (this.held.get(entryKey) === held) held.revision = await this.bucket.put(entryKey, held.value);
      });
  }

  private inTurn(entryKey: string, work: () => Promise<void>): Promise<void> {
    const turn = (this.turns.get(entryKey) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.log(`a student's standing was not shared: ${errorText(error)}`))
      .finally(() => {
        if (this.turns.get(entryKey) === turn) this.turns.delete(entryKey);
      });
    this.turns.set(entryKey, turn);
    return turn;
  }

  private heard(entry: KvEntry): void {
    const read = readNameEntryKey(entry.key);
    if (!read) return;
    const shared = entry.operation === 'PUT' ? readStandingEntry(entry.value) : undefined;
    if (shared?.node === this.node) {
      this.others.delete(entry.key);
      // This node's own entries from before a restart (same node id): a hand or a mute stays for its
      // student's next node, anything else is stale.
      if (this.held.has(entry.key) || this.departed.has(entry.key)) return;
      if (notable(shared.standing)) this.keepDeparted(entry.key, entry.revision);
      else this.bucket.delete(entry.key, { previousSeq: entry.revision }).catch(() => undefined);
      return;
    }
    this.others.delete(entry.key);
    this.departed.delete(entry.key);
    if (shared) {
      this.others.set(entry.key, shared);
      for (const oldest of this.others.keys()) {
        if (this.others.size <= STANDING_DEFAULTS.otherMembers) break;
        this.others.delete(oldest);
      }
      // Another node's student has the name now: this node's entry of it is that node's to write.
      const held = this.held.get(entry.key);
      if (held && held.revision > 0 && entry.revision > held.revision) this.held.delete(entry.key);
    }
    this.listeners(read.room)?.standingHere(read.key);
  }
}
