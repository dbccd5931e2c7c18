/**
 * This relay as one node of several, joined through NATS (serve --nats): names claimed in a
 * JetStream key-value bucket, messages to another node's members as requests to that node, hints
 * published to every node of the class, and a heartbeat by which the others know this node lives.
 * The only module that speaks to the engine; loaded only when a cluster is configured.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import type { ClassListener, ClusterLink, RemoteDelivery, RoomLink, RoomListener } from '../routing/clusterLink';
import type { Envelope } from '../routing/peer';
import { nameEntryKey, readNameEntryKey, subjects } from './clusterKeys';
import { DeliveredIds, deliveredId } from './deliveredIds';
import { MemberDirectory, type DirectoryChanges } from './memberDirectory';
import { NameClaims } from './nameClaims';
import { contained, errorText, json, settledWithin } from './engineCalls';
import { readClassEntry, readDeliverRequest, readDelivery, readMemberEntry } from './engineReads';
import { answerModeration, requestModeration } from './moderationRequests';
import { answerHandoffs, requestHandoff } from './handoffRequests';
import { askNode } from './nodeRequests';
import { resumeElsewhere, type ResumeParts } from './resumeElsewhere';
import type { HintStore } from './hintStore';
import type { ResumeStore } from './resumeStore';
import type { StandingBoard } from './standingBoard';
import {
  CLUSTER_DEFAULTS,
  connectEngine,
  openEngine,
  type ClusterEvents,
  type ClusterOptions,
  type KeptLimits,
} from './engineSetup';
import type { ClassShare } from '../classes/classRegistry';

export type { ClusterOptions, KeptLimits } from './engineSetup';

const REFUSED: RemoteDelivery = { status: 'rejected', reason: 'recipient-busy' };

/** Joins the cluster: resolves once the buckets are open and this node's heartbeat is written. */
export async function joinCluster(
  options: ClusterOptions,
  events: ClusterEvents,
  kept: KeptLimits,
): Promise<ClusterLink> {
  const connection = await connectEngine(options);
  try {
    const { buckets, stores } = await openEngine(connection, options, kept, (text) => events.log(text));
    const link = new NatsLink(options, events, connection, buckets, stores);
    await link.start();
    return link;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

class NatsLink implements ClusterLink {
  readonly node: string;
  private reachable = true;
  /** False while the NATS client reconnects to another server. */
  private registering = true;
  /** When this node's heartbeat was last written. */
  private lastBeat = Date.now();
  private readonly directory: MemberDirectory;
  private readonly listeners = new Map<string, RoomListener>();
  private readonly claims: NameClaims;
  /** One heartbeat at a time; a failure of one begun before the last reconnect says nothing. */
  private ticking = false;
  private generation = 0;
  private readonly delivered = new DeliveredIds(CLUSTER_DEFAULTS.deliveredIds);
  private heartbeat: NodeJS.Timeout | undefined;
  private refresher: NodeJS.Timeout | undefined;
  private closing = false;
  private watching: { stop(): void } | undefined;
  private watchingClasses: { stop(): void } | undefined;
  private classListener: ClassListener | undefined;
  private liveRead: Promise<void> | undefined;
  private readonly nodes: KV;
  private readonly names: KV;
  private readonly classes: KV;

  constructor(
    private readonly options: ClusterOptions,
    private readonly events: ClusterEvents,
    private readonly connection: NatsConnection,
    buckets: { nodes: KV; names: KV; classes: KV },
    private readonly stores: { hints: HintStore; resumes: ResumeStore; standing: StandingBoard },
  ) {
    ({ nodes: this.nodes, names: this.names, classes: this.classes } = buckets);
    this.node = options.node;
    this.directory = new MemberDirectory(options.node);
    this.claims = new NameClaims(
      this.names,
      this.node,
      (node) => this.directory.alive(node),
      (text) => events.log(text),
    );
  }

  private get resumeParts(): ResumeParts {
    return {
      ...{ node: this.node, resumes: this.stores.resumes, claims: this.claims, delivered: this.delivered },
      alive: (node) => this.directory.alive(node),
      handOff: (node, request) => requestHandoff(this.connection, node, request, CLUSTER_DEFAULTS.requestMs),
      log: (text) => this.events.log(text),
    };
  }

  get available(): boolean {
    return this.reachable && this.registering && !this.closing;
  }

  async start(): Promise<void> {
    await this.beat();
    await this.readLive();
    this.connection.subscribe(subjects.deliver(this.node), {
      callback: (error, message) => {
        if (error) return;
        message.respond(json(this.guarded(() => this.deliverHere(message.data), REFUSED)));
      },
    });
    answerModeration(this.connection, this.node, (room) => this.listeners.get(room), this.guarded.bind(this));
    answerHandoffs(this.connection, this.node, (room) => this.listeners.get(room), this.guarded.bind(this));
    await this.watchNames();
    await this.stores.standing.follow((room) => this.listeners.get(room));
    this.heartbeat = setInterval(() => void this.tick(), CLUSTER_DEFAULTS.heartbeatMs);
    this.heartbeat.unref();
    this.refresher = setInterval(() => {
      this.claims.refresh();
      this.stores.resumes.refresh();
    }, CLUSTER_DEFAULTS.claimRefreshMs);
    this.refresher.unref();
    this.followStatus().catch((error: unknown) =>
      this.events.log(`the engine's status is not followed: ${errorText(error)}`),
    );
  }

  attach(room: string, listener: RoomListener): RoomLink {
    this.listeners.set(room, listener);
    for (const [key, entry] of this.directory.members(room)) listener.memberJoined(key, entry);
    const following = this.stores.hints.follow(room, listener);
    const available = () => this.available;
    const resumes = this.stores.resumes;
    // Claims and resumes wait for the room's kept hints (a welcome brings them), and only while the cluster answers.
    const unready = async (): Promise<{ type: 'unavailable'; detail: string } | undefined> => {
      await following.loaded;
      return this.available ? undefined : { type: 'unavailable', detail: 'the relay node cannot reach its cluster' };
    };
    return {
      node: this.node,
      get available() {
        return available();
      },
      claim: async (key, entry) =>
        (await unready()) ?? this.claims.claim(nameEntryKey(room, key), { ...entry, node: this.node }),
      release: (key) => this.claims.release(nameEntryKey(room, key)),
      deliveredBefore: (from, id) => this.delivered.get(deliveredId(room, from, id)),
      registered: (key, id, token, teacher) => resumes.registered(nameEntryKey(room, key), id, token, teacher),
      forgotten: (key, id) => resumes.forgotten(nameEntryKey(room, key), id),
      kept: (id, seq, envelope) => resumes.kept(id, seq, envelope),
      resume: async (key, resume, entry) =>
        (await unready()) ?? resumeElsewhere(this.resumeParts, room, key, resume, entry),
      deliver: (node, key, envelope) => this.deliver(node, room, key, envelope),
      hint: (envelope) => this.stores.hints.publish(room, envelope),
      hintsCleared: (by, at) => this.stores.hints.clear(room, by, at),
      moderate: (node, key, action) =>
        requestModeration(this.connection, node, { room, key, action }, CLUSTER_DEFAULTS.requestMs),
      detach: () => {
        this.listeners.delete(room);
        resumes.forgetRoom(nameEntryKey(room, ''));
        for (const subscription of following.subscriptions) subscription.unsubscribe();
      },
      standing: this.stores.standing.forRoom(room),
    };
  }

  shareClasses(listener: ClassListener): ClassShare {
    this.classListener = listener;
    this.watchClasses();
    const failed = (what: string) => (error: unknown) => this.events.log(`${what}: ${errorText(error)}`);
    return {
      made: (entry) => void this.classes.put(entry.code, json(entry)).catch(failed(`class ${entry.code} not shared`)),
      ended: (code) => void this.classes.delete(code).catch(failed(`the end of class ${code} not shared`)),
    };
  }

  /** Follows the classes of every node (anew after the engine was out of reach). */
  private watchClasses(): void {
    const listener = this.classListener;
    if (!listener) return;
    this.watchingClasses?.stop();
    void (async () => {
      const watch = await this.classes.watch({ key: '>' });
      this.watchingClasses = watch;
      for await (const entry of watch) {
        if (entry.operation !== 'PUT') {
          listener.classEnded(entry.key);
          continue;
        }
        const kept = readClassEntry(entry.key, entry.value);
        if (kept) listener.classMade(kept);
      }
    })().catch((error: unknown) =>
      this.events.log(`the classes of the other nodes are not followed: ${errorText(error)}`),
    );
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.heartbeat);
    clearInterval(this.refresher);
    this.watching?.stop();
    this.watchingClasses?.stop();
    // Names and the heartbeat go at once, so the others need not wait for them to age out; an
    // engine out of reach gets a moment for it, then they age out there.
    const gone = [...this.claims.giveUpAll(), this.nodes.delete(this.node), ...this.stores.standing.giveUpAll()];
    await settledWithin(Promise.allSettled(gone), CLUSTER_DEFAULTS.requestMs);
    await settledWithin(this.connection.drain(), CLUSTER_DEFAULTS.requestMs);
    await this.connection.close().catch(() => undefined);
  }

  private deliver(node: string, room: string, key: string, envelope: Envelope): Promise<RemoteDelivery> {
    // No answer: the node is gone or slow. The sender may try again; the recipient's node knows the id.
    const request = { room, key, envelope };
    return askNode(this.connection, subjects.deliver(node), request, CLUSTER_DEFAULTS.requestMs, readDelivery, REFUSED);
  }

  /** Another node's request to hand a message to one of this node's members. */
  private deliverHere(data: Uint8Array): RemoteDelivery {
    const request = readDeliverRequest(data);
    if (!request) return { status: 'rejected', reason: 'too-large' };
    const listener = this.listeners.get(request.room);
    if (!listener) return { status: 'unknown-peer' };
    const id = request.envelope.id;
    const memory = id === undefined ? undefined : deliveredId(request.room, request.envelope.from, id);
    const before = memory === undefined ? undefined : this.delivered.get(memory);
    if (before) return before;
    const outcome = listener.deliverHere(request.key, request.envelope);
    if (memory !== undefined && outcome.status === 'delivered') this.delivered.remember(memory, outcome);
    return outcome;
  }

  /** What another node sent must never break this one: a fault in handling it is logged, and answered `otherwise`. */
  private guarded<T>(work: () => T, otherwise: T): T {
    return contained((text) => this.events.log(text), work, otherwise);
  }

  private async beat(): Promise<void> {
    await this.nodes.put(this.node, json({ node: this.node, addresses: this.options.addresses ?? [], at: Date.now() }));
  }

  /** Reads which nodes live; the members of those that died leave every room. */
  private async readLive(): Promise<void> {
    const live: string[] = [];
    for await (const key of await this.nodes.keys()) live.push(key);
    this.announce(this.directory.setLive(live));
  }

  private readLiveSoon(): void {
    this.liveRead ??= this.readLive()
      .catch(() => undefined)
      .finally(() => (this.liveRead = undefined));
  }

  private async tick(): Promise<void> {
    if (this.closing || this.ticking) return;
    this.ticking = true;
    const generation = this.generation;
    let beaten = false;
    try {
      await this.beat();
      beaten = true;
      this.lastBeat = Date.now();
      this.registering = true;
      await this.readLive();
      if (!this.reachable) {
        // The members are read anew: what changed while the engine was out of reach was not heard.
        this.watching?.stop();
        await this.watchNames();
        this.watchClasses();
        await this.stores.standing.follow();
        this.setReachable(true, 'the cluster answers again');
      }
    } catch (error) {
      // A heartbeat that fails for a moment (a NATS server lost, a leader elected anew) only stops
      // registrations; once the others must take this node for dead, its clients are let go.
      this.registering = false;
      // Only a heartbeat that fails makes this node silent to the others; a read that fails after it does not.
      const silentMs = beaten ? 0 : Date.now() - this.lastBeat;
      const dead = silentMs >= CLUSTER_DEFAULTS.deadAfterMs - CLUSTER_DEFAULTS.heartbeatMs;
      if (dead && this.reachable && generation === this.generation) this.setReachable(false, errorText(error));
    } finally {
      this.ticking = false;
    }
  }

  private async watchNames(): Promise<void> {
    const watch = await this.names.watch({ key: '>' });
    this.watching = watch;
    void (async () => {
      for await (const entry of watch) {
        const read = readNameEntryKey(entry.key);
        if (!read) continue;
        if (entry.operation !== 'PUT') {
          this.announce(this.directory.remove(read.room, read.key));
          continue;
        }
        const member = readMemberEntry(entry.value);
        if (!member) continue;
        if (member.node !== this.node) this.claims.writtenElsewhere(entry.key, entry.revision);
        // This node's own claims from before a restart (same node id) are stale: given up.
        if (member.node === this.node && !this.claims.holds(entry.key)) {
          this.names.delete(entry.key).catch(() => undefined);
          continue;
        }
        this.announce(this.directory.put(read.room, read.key, member));
        // A node heard from before its heartbeat was read (it just started): its members show once it is.
        if (!this.directory.alive(member.node)) this.readLiveSoon();
      }
    })().catch((error: unknown) =>
      this.events.log(`the names of the other nodes are not followed: ${errorText(error)}`),
    );
  }

  private announce({ left, joined }: DirectoryChanges): void {
    for (const { room, key, entry } of left) this.listeners.get(room)?.memberLeft(key, entry);
    for (const { room, key, entry } of joined) this.listeners.get(room)?.memberJoined(key, entry);
  }

  private async followStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (this.closing) return;
      // The client moves to another NATS server by itself: meanwhile nobody registers here, and
      // clients are let go only if the engine stays out of reach (a heartbeat fails).
      if (status.type === 'disconnect') this.registering = false;
      else if (status.type === 'reconnect') {
        this.generation++;
        this.registering = true;
        void this.tick();
      }
    }
  }

  private setReachable(reachable: boolean, detail: string): void {
    this.reachable = reachable;
    // While the cluster is out of reach, nothing is known of the other nodes' members.
    if (!reachable) this.announce(this.directory.clear());
    this.events.availability(reachable, detail);
  }
}
