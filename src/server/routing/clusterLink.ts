/**
 * What a room needs of the other relay nodes when this relay is one node of several (serve --nats):
 * names claimed across all of them, messages to members online on another node, and hints for every
 * node's members. The engine behind it (NATS, src/server/cluster) is loaded only when configured;
 * a relay alone has no link and runs exactly as it always did.
 */
import type { Moderation, Role, RosterEntry } from '../../protocol/classroom';
import type { KeptStanding, ModerationResult } from '../classroom/classroom';
import type { Envelope } from './peer';
import type { ClassShare, KeptClass } from '../classes/classRegistry';
import type { Resume } from '../../protocol/frames';
import type { Adopted } from './registrations';

/** A member of a class as every node knows it: who, and on which node. */
export interface MemberEntry {
  node: string;
  name: string;
  dialect: RosterEntry['dialect'];
  role: Role;
  address: string;
  remote: string;
  connectedAt: number;
  /** A framed client's registration (its id): a resume of it on another node may take the name over. */
  registration?: string;
}

/** How a claim of a name across the cluster fared. */
export type ClaimResult =
  | { type: 'claimed' }
  /** Another node's member holds the name (or one that looks the same). */
  | { type: 'taken'; holder: string }
  /** The cluster cannot be reached now: nobody may register on this node until it can. */
  | { type: 'unavailable'; detail: string };

/** How a message handed to another node fared there. */
export type RemoteDelivery =
  { status: 'delivered' | 'unknown-peer' } | { status: 'rejected'; reason: 'recipient-busy' | 'too-large' };

/** How a resume of a registration another node held fared here. */
export type RemoteResume =
  /** The registration is this node's now: numbered on as `adopted` says; `missed`, what its client had not seen. */
  | { type: 'resumed'; adopted: Adopted; missed: Envelope[] }
  /** No node keeps a registration of that name with that token. */
  | { type: 'unknown' }
  | Exclude<ClaimResult, { type: 'claimed' }>;

/** What a node's rooms learn from the others. */
export interface RoomListener {
  /** A member registered on another node, or this node learnt of one it had not known (at start). */
  memberJoined(key: string, entry: MemberEntry): void;
  /** A member of another node left, or its node died. */
  memberLeft(key: string, entry: MemberEntry): void;
  /** A message from another node for a member of this node's room (numbered and kept here as for any message). */
  deliverHere(key: string, envelope: Envelope): RemoteDelivery;
  /** A teacher's hint sent on another node, for this node's members of the room. */
  hintHere(envelope: Extract<Envelope, { type: 'broadcast' }>): void;
  /** A hint the engine keeps for the class, for those who join here later (the room just started here). */
  hintKept(envelope: Extract<Envelope, { type: 'broadcast' }>): void;
  /** A teacher on another node cleared the class's hints. */
  hintsClearedHere(by: string, at: string): void;
  /** A teacher on another node mutes, unmutes, lowers the hand of or disconnects `key`, a member here. */
  moderateHere(key: string, action: Moderation): ModerationResult;
  /**
   * Registration `id` of `key` resumed on another node, which took the name over: the member here
   * goes; returns the number its next message would have taken (undefined: no such registration here).
   */
  handOff(key: string, id: string): number | undefined;
  /** The standing of `key`, a member of another node, changed there (or was forgotten with her leaving). */
  standingHere(key: string): void;
}

/** One room's view of the cluster. */
export interface RoomLink {
  readonly node: string;
  /** Whether the cluster can be reached now. */
  readonly available: boolean;
  /** Claims `key` for a member registering here; refused while another node's member holds it. */
  claim(key: string, entry: Omit<MemberEntry, 'node'>): Promise<ClaimResult>;
  /** The member registered here under `key` left: its claim is given up. */
  release(key: string): void;
  /** A message to `key`, a member on `node`; settles once that node handed it over or refused it. */
  deliver(node: string, key: string, envelope: Envelope): Promise<RemoteDelivery>;
  /**
   * How a message `id` of `from` fared when another node handed it to a member here: a sender that
   * moved to this node resends what it had no ack for, and it is not delivered twice.
   */
  deliveredBefore(from: string, id: string): RemoteDelivery | undefined;
  /** A framed client's registration here got a token: kept in the engine, so the client may resume it on any node. */
  registered(key: string, id: string, token: string, teacher: boolean): void;
  /** A registration here is gone: the engine forgets it, unless another node continues it meanwhile. */
  forgotten(key: string, id: string): void;
  /** A message numbered `seq` was handed to registration `id`'s client: kept in the engine for a resume elsewhere. */
  kept(id: string, seq: number, envelope: Envelope): void;
  /**
   * A client resumes here a registration another node held (dead, or out of the client's reach):
   * the name's claim moves here, and what the client missed comes from the engine.
   */
  resume(key: string, resume: Resume, entry: Omit<MemberEntry, 'node'>): Promise<RemoteResume>;
  /** A teacher's hint for the other nodes' members of the room, kept in the engine for later joiners. */
  hint(envelope: Extract<Envelope, { type: 'broadcast' }>): void;
  /** A teacher here cleared the hints: the engine forgets them, the other nodes' members are told. */
  hintsCleared(by: string, at: string): void;
  /** A teacher here moderates `key`, a member on `node`; settles with how that node fared. */
  moderate(node: string, key: string, action: Moderation): Promise<ModerationResult>;
  /** The room is gone on this node. */
  detach(): void;
  /** Students' standing across the nodes (absent: each node's roster shows only its own students' standing). */
  readonly standing?: StandingShare;
}

/** Students' standing (hand, mute, counts) across the nodes: each node shares its own students'. */
export interface StandingShare {
  /** The standing of `key`, a student of this node, changed. */
  share(key: string, standing: Readonly<KeptStanding>): void;
  /**
   * `key` left this node: her standing is forgotten across the nodes, but for `kept` (a raised hand,
   * a mute), which the node where she registers next takes up.
   */
  forget(key: string, kept?: Readonly<KeptStanding>): void;
  /** What another node shared last of `key`, who registers here now (it kept her hand or mute as she left). */
  lastElsewhere(key: string): KeptStanding | undefined;
  /** The standing of `key`, a student on `node`, as that node shared it; undefined when it shared none. */
  of(node: string, key: string): KeptStanding | undefined;
}

/** What the node's class registry learns of the classes the other nodes made, used or ended. */
export interface ClassListener {
  classMade(entry: KeptClass): void;
  classEnded(code: string): void;
}

/** The node's link to the cluster, for its rooms. */
export interface ClusterLink {
  readonly node: string;
  /** Whether the cluster can be reached now; while it cannot, nobody registers on this node. */
  readonly available: boolean;
  /** A room joins the cluster's view of its class (`room`: '' for the default class). */
  attach(room: string, listener: RoomListener): RoomLink;
  /** The classes of every node: this node's changes go out through the share, the others' come in. */
  shareClasses(listener: ClassListener): ClassShare;
  close(): Promise<void>;
}

/** The relay could not join the other nodes when it started: the engine is unreachable or refused it. */
export class ClusterJoinFailed extends Error {
  constructor(
    readonly servers: string[],
    cause: unknown,
  ) {
    super(
      `cannot join the relay nodes through ${servers.join(', ')}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}
