/**
 * The cluster as a room sees it (routing/clusterLink.ts), for the unit tier, which runs without a
 * NATS server: every call written down, claims, deliveries and resumes settled by the test (or
 * claims and deliveries at once), and the standing other nodes shared set by the test. The real link is
 * tested against nats-server in test/server/cluster/*.int.test.ts.
 */
import type {
  ClaimResult,
  ClusterLink,
  MemberEntry,
  RemoteDelivery,
  RemoteResume,
  RoomLink,
  RoomListener,
} from '../../../src/server/routing/clusterLink';
import type { ClassShare } from '../../../src/server/classes/classRegistry';
import type { KeptStanding } from '../../../src/server/classroom/classroom';
import type { Envelope } from '../../../src/server/routing/peer';

/** A promise the test settles. */
export interface Pending<T> {
  promise: Promise<T>;
  settle(value: T): void;
}

export function pending<T>(): Pending<T> {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (settle = resolve));
  return { promise, settle };
}

export class FakeLink implements ClusterLink {
  readonly node = 'node-a';
  available = true;
  listener!: RoomListener;
  room: string | undefined;
  readonly claims: { key: string; name: string; answer: Pending<ClaimResult> }[] = [];
  /** The entries of the claims made, by key. */
  readonly entries = new Map<string, Omit<MemberEntry, 'node'>>();
  readonly released: string[] = [];
  readonly delivered: { node: string; key: string; envelope: Envelope; answer: Pending<RemoteDelivery> }[] = [];
  readonly hints: Envelope[] = [];
  readonly cleared: string[] = [];
  readonly moderated: { node: string; key: string; action: string }[] = [];
  readonly before = new Map<string, RemoteDelivery>();
  /** Registrations as the engine would keep them: under the name key, the last token given. */
  readonly records = new Map<string, { id: string; token: string; teacher: boolean }>();
  readonly forgotten: string[] = [];
  readonly kept: { id: string; seq: number; text: string }[] = [];
  readonly resumes: { key: string; lastSeq: number; answer: Pending<RemoteResume> }[] = [];
  /** This node's students' standing as shared, as JSON (as it goes to the engine); and those forgotten. */
  readonly standingShared: Array<[string, KeptStanding]> = [];
  readonly standingForgotten: string[] = [];
  /** The hands and mutes of this node's students who left, kept for their next node. */
  readonly standingKept = new Map<string, KeptStanding>();
  /** What the other nodes shared, by `node/key`. */
  readonly othersStanding = new Map<string, KeptStanding>();
  detached = false;

  /** `atOnce`: claims are granted and messages delivered at once, for tests about what comes after. */
  constructor(private readonly atOnce = false) {}

  attach(room: string, listener: RoomListener): RoomLink {
    this.room = room;
    this.listener = listener;
    const link = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the room link is a view of this fake
    return {
      node: this.node,
      get available() {
        return link.available;
      },
      claim: (key, entry) => {
        this.entries.set(key, entry);
        if (this.atOnce) return Promise.resolve({ type: 'claimed' });
        const answer = pending<ClaimResult>();
        this.claims.push({ key, name: entry.name, answer });
        return answer.promise;
      },
      release: (key) => void this.released.push(key),
      deliver: (node, key, envelope) => {
        if (this.atOnce) return Promise.resolve({ status: 'delivered' });
        const answer = pending<RemoteDelivery>();
        this.delivered.push({ node, key, envelope, answer });
        return answer.promise;
      },
      deliveredBefore: (from, id) => this.before.get(`${from}/${id}`),
      registered: (key, id, token, teacher) => void this.records.set(key, { id, token, teacher }),
      forgotten: (key, id) => void this.forgotten.push(`${key}/${id}`),
      kept: (id, seq, envelope) => void this.kept.push({ id, seq, text: 'text' in envelope ? envelope.text : '' }),
      resume: (key, resume) => {
        const answer = pending<RemoteResume>();
        this.resumes.push({ key, lastSeq: resume.lastSeq, answer });
        return answer.promise;
      },
      hint: (envelope) => void this.hints.push(envelope),
      hintsCleared: (by) => void this.cleared.push(by),
      moderate: (node, key, action) => {
        this.moderated.push({ node, key, action: action.action });
        return Promise.resolve({ status: 'delivered' });
      },
      detach: () => void (this.detached = true),
      standing: {
        share: (key, standing) =>
          void this.standingShared.push([key, JSON.parse(JSON.stringify(standing)) as KeptStanding]),
        forget: (key, kept) => {
          this.standingForgotten.push(key);
          if (kept) this.standingKept.set(key, JSON.parse(JSON.stringify(kept)) as KeptStanding);
        },
        of: (node, key) => this.othersStanding.get(`${node}/${key}`),
        lastElsewhere: (key) => [...this.othersStanding].find(([nodeAndKey]) => nodeAndKey.endsWith(`/${key}`))?.[1],
      },
    };
  }

  shareClasses(): ClassShare {
    throw new Error('not used by a room');
  }

  async close(): Promise<void> {}
}

/** A member of another node, as the engine announces it. */
export function remoteMember(name: string, node = 'node-b'): MemberEntry {
  return {
    node,
    name,
    dialect: 'relay',
    role: 'student',
    address: '10.0.1.7',
    remote: '10.0.1.7:50000',
    connectedAt: Date.now(),
  };
}
