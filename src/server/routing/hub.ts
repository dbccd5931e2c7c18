/** Who is online and how a message gets from one peer to another, whatever their protocols. */
import { nameKeys } from '../../protocol/nameSkeleton';
import type { Delivery, Envelope, Peer } from './peer';
import type { Resume } from '../../protocol/frames';
import { PresenceFeed, type PresenceChange } from './presenceFeed';
import { RecentIds } from './recentIds';
import { Registrations } from './registrations';
import { OnlineNames, type OnlinePage } from './onlineNames';
import { keyOfName } from './nameKeyMemo';
import { Classroom, type ModerationResult } from '../classroom/classroom';
import type { Moderation } from '../../protocol/classroom';
import { RateLimiter } from '../budgets/rateLimiter';
import type { HubOptions, JoinResult, RouteResult } from './hubTypes';
import type { ClusterLink, MemberEntry, RemoteDelivery, RoomLink, RoomListener } from './clusterLink';
import { RemotePeer } from './remotePeer';

export type { HubOptions, JoinResult, RouteResult } from './hubTypes';

/** How most messages fare, one object each: the memory of ids keeps the outcome of every message delivered. */
const ROUTED: RouteResult = Object.freeze({ status: 'delivered' });
const UNKNOWN_PEER: RouteResult = Object.freeze({ status: 'unknown-peer' });

/** What a registration may go on with, once nobody holds its name. */
type Cleared = { holder: Peer | undefined; resumed: boolean };

export class Hub {
  private readonly peers = new Map<string, Peer>();
  /** The case-sensitive skeleton of each name online, to its key: "AIice" looks like "Alice". */
  private readonly lookalikes = new Map<string, string>();
  private readonly onlineNames = new OnlineNames();
  private readonly presenceFeed: PresenceFeed;
  /** Outcomes of recent message ids per sender, so a resend after a reconnect is not delivered twice. */
  private readonly recentIds: RecentIds<RouteResult>;
  private readonly registrations: Registrations;
  private readonly registrationRate: RateLimiter;
  private readonly whoRate: RateLimiter;
  readonly classroom: Classroom;
  /** The other relay nodes' view of this class, when this relay is one node of several. */
  private link: RoomLink | undefined;
  /** Names this node claimed in the cluster for its members (online, or held for a resume). */
  private readonly claimed = new Set<string>();
  /** Names whose claim is under way: a second registration meanwhile finds them taken. */
  private readonly claiming = new Set<string>();

  constructor(private readonly options: HubOptions) {
    this.presenceFeed = new PresenceFeed(
      options.presence,
      () => this.peers.size,
      (change) => this.publish(change),
    );
    this.registrations = new Registrations(options.resume, Date.now, options.shares);
    // A sender online, or whose name is held for its return, may resend: its ids go last.
    const present = (key: string) => this.peers.has(key) || this.registrations.held(key);
    this.recentIds = new RecentIds(options.ids, Date.now, present, options.shares?.ids);
    this.registrationRate = options.registrations;
    this.whoRate = new RateLimiter(options.who);
    this.classroom = new Classroom(options.classroom, () => this.peers.entries());
  }

  get online(): string[] {
    return this.onlineNames.all();
  }

  get size(): number {
    return this.peers.size;
  }

  /** The key under which `name` is unique: its skeleton, so look-alikes share it. */
  keyOf(name: string): string {
    return keyOfName(name);
  }

  /** Whose allowance a message of `name` spends, in the relay's one limiter of messages: this room's `name`. */
  rateKey(name: string): string {
    return `${this.options.room ?? ''}\u0000${this.keyOf(name)}`;
  }

  /** The peer holding `name`. */
  holder(name: string): Peer | undefined {
    return this.peers.get(this.keyOf(name));
  }

  /** The peer holding `name` or a name that looks the same. */
  private lookalike(name: string): Peer | undefined {
    const [key, caseSensitive] = nameKeys(name);
    const holderKey = this.peers.has(key) ? key : this.lookalikes.get(caseSensitive);
    return holderKey === undefined ? undefined : this.peers.get(holderKey);
  }

  /** Whether `resume` continues a teacher's registration of `name`: that client proved the key before. */
  resumesTeacher(name: string, resume: Resume | undefined): boolean {
    return resume !== undefined && this.registrations.teacherToken(this.keyOf(name), resume.token);
  }

  /**
   * The resume token of `name`'s registration is spent: it was shown with a wrong teacher key, and
   * vouches for no second try.
   */
  spendResume(name: string): void {
    this.registrations.renew(this.keyOf(name), false);
  }

  /**
   * Registers a peer. A name (or one that looks the same) that is taken stays with its holder,
   * unless the newcomer is a framed client presenting the registration's resume token: then it
   * takes the name over and gets the messages it missed after `resume.lastSeq`.
   */
  join(peer: Peer, resume?: Resume): JoinResult | Promise<JoinResult> {
    const key = this.keyOf(peer.name);
    const cleared = this.clear(peer, key, resume);
    if ('ok' in cleared) return cleared;
    // A resume is counted against its own name, not its address: classmates behind the same
    // router who come and go cannot keep a client from its held name.
    const wait = this.registrationRate.take(cleared.resumed ? `resume\u0000${key}` : peer.address);
    if (wait !== undefined) return { ok: false, refused: 'too-many-registrations', waitMs: wait };
    const link = this.link;
    if (!link || this.claimed.has(key)) return this.admit(peer, key, cleared, resume);
    if (this.claiming.has(key)) return { ok: false, refused: 'taken', holder: peer.name, held: false };
    this.claiming.add(key);
    const { name, dialect, role, address, remote, connectedAt } = peer;
    return link.claim(key, { name, dialect, role, address, remote, connectedAt }).then((claim): JoinResult => {
      this.claiming.delete(key);
      if (claim.type === 'taken') return { ok: false, refused: 'taken', holder: claim.holder, held: false };
      if (claim.type === 'unavailable') return { ok: false, refused: 'unavailable', detail: claim.detail };
      this.claimed.add(key);
      // Whatever changed here while the claim was under way is looked at again.
      const again = this.clear(peer, key, resume);
      if (!('ok' in again)) return this.admit(peer, key, again, resume);
      this.releaseUnused(key);
      return again;
    });
  }

  /** Whether `peer` may have its name: nobody here or on another node holds it, or it resumes its own registration. */
  private clear(peer: Peer, key: string, resume: Resume | undefined): Cleared | JoinResult {
    const holder = this.lookalike(peer.name);
    const resumed = resume !== undefined && peer.dialect === 'relay' && this.registrations.matches(key, resume.token);
    if (holder && !(resumed && holder === this.peers.get(key)))
      return { ok: false, refused: 'taken', holder: holder.name, held: false };
    if (!holder && !resumed && this.registrations.held(key))
      return { ok: false, refused: 'taken', holder: peer.name, held: true };
    if (!resumed && peer.dialect === 'relay' && this.registrations.saturated)
      return { ok: false, refused: 'names-held', waitMs: this.registrations.holdEndsIn };
    if (this.link && !this.link.available)
      return { ok: false, refused: 'unavailable', detail: 'this relay node cannot reach the other nodes' };
    return { holder, resumed };
  }

  private admit(peer: Peer, key: string, { holder, resumed }: Cleared, resume: Resume | undefined): JoinResult {
    if (holder) {
      this.remove(key, holder);
      holder.replaced();
    }
    this.peers.set(key, peer);
    this.lookalikes.set(nameKeys(peer.name)[1], key);
    this.onlineNames.add(key, peer.name);
    this.presenceFeed.joined(key, peer.name);
    if (peer.dialect !== 'relay') {
      this.registrations.drop(key);
      return { ok: true, resumed: false, missed: [] };
    }
    if (resumed && resume) {
      this.registrations.online(key);
      // A new token each time: a token that was seen (a screenshot of a wire trace) is good for one resume at most.
      return {
        ok: true,
        token: this.registrations.renew(key, peer.role === 'teacher'),
        resumed: true,
        missed: this.registrations.since(key, resume.lastSeq),
      };
    }
    return {
      ok: true,
      token: this.registrations.create(key, peer.address, peer.role === 'teacher'),
      resumed: false,
      missed: [],
    };
  }

  /**
   * A peer's connection ended. Its registration is kept for a resume, and its name held for a
   * moment, unless it said goodbye (`release`) or a teacher disconnected it.
   */
  leave(peer: Peer, release = false): void {
    const key = this.keyOf(peer.name);
    if (this.peers.get(key) !== peer) return;
    this.remove(key, peer);
    if (release) this.registrations.drop(key);
    else this.registrations.offline(key);
    this.classroom.left(key);
    this.releaseUnused(key);
  }

  /** The cluster's claim of `key` is given up once nobody here is online under it or holds it for a resume. */
  private releaseUnused(key: string): void {
    if (!this.claimed.has(key) || this.peers.has(key) || this.registrations.held(key)) return;
    this.claimed.delete(key);
    this.link?.release(key);
  }

  /** This room as one of the cluster's: members on the other nodes are known here, and hers there. */
  useCluster(cluster: ClusterLink): void {
    this.link = cluster.attach(this.options.room ?? '', this.clusterListener());
  }

  private clusterListener(): RoomListener {
    this.standingAcrossNodes();
    return {
      memberJoined: (key: string, entry: MemberEntry) => {
        const present = this.peers.get(key);
        if (present && !(present instanceof RemotePeer)) {
          // Another node took the name over, taking this node for dead a while: its member there has it now.
          this.claimed.delete(key);
          this.leave(present, true);
          present.replaced();
        } else if (present) this.remove(key, present);
        const peer = new RemotePeer(entry);
        this.peers.set(key, peer);
        this.lookalikes.set(nameKeys(peer.name)[1], key);
        this.onlineNames.add(key, peer.name);
        this.presenceFeed.joined(key, peer.name);
        this.classroom.changedElsewhere();
      },
      memberLeft: (key: string, entry: MemberEntry) => {
        const present = this.peers.get(key);
        if (present instanceof RemotePeer && present.node === entry.node) this.remove(key, present);
        this.classroom.changedElsewhere();
      },
      deliverHere: (key: string, envelope: Envelope): RemoteDelivery => {
        const target = this.peers.get(key);
        if (!target || target instanceof RemotePeer) return { status: 'unknown-peer' };
        const delivery = this.deliver(key, target, envelope);
        if (delivery.ok) this.classroom.receivedFromElsewhere(key, target, envelope.teacher === true);
        return delivery.ok ? { status: 'delivered' } : { status: 'rejected', reason: delivery.reason };
      },
      hintHere: (envelope: Extract<Envelope, { type: 'broadcast' }>) => {
        for (const [key, peer] of this.peers) {
          if (peer instanceof RemotePeer || !this.deliver(key, peer, envelope).ok) continue;
          this.classroom.receivedBroadcast(key);
        }
        this.classroom.hint(envelope);
      },
      hintKept: (envelope: Extract<Envelope, { type: 'broadcast' }>) => this.classroom.hint(envelope),
      hintsClearedHere: (by: string) => this.classroom.clearHints(by),
      moderateHere: (key: string, action: Moderation) => {
        const target = this.peers.get(key);
        return this.classroom.moderate(action, key, target instanceof RemotePeer ? undefined : target);
      },
      standingHere: () => this.classroom.changedElsewhere(),
    };
  }

  /** A teacher's moderation of `action.name`: here, or on the node where that member is. */
  moderate(action: Moderation): ModerationResult | Promise<ModerationResult> {
    const key = this.keyOf(action.name);
    const target = this.peers.get(key);
    if (target instanceof RemotePeer && this.link) return this.link.moderate(target.node, key, action);
    return this.classroom.moderate(action, key, target);
  }

  /** A teacher cleared the class's hints: here, and on every node. */
  clearHints(by: string): void {
    this.classroom.clearHints(by);
    this.link?.hintsCleared(by, new Date().toISOString());
  }

  private remove(key: string, peer: Peer): void {
    this.peers.delete(key);
    const caseSensitive = nameKeys(peer.name)[1];
    if (this.lookalikes.get(caseSensitive) === key) this.lookalikes.delete(caseSensitive);
    this.onlineNames.remove(key);
    this.presenceFeed.left(key, peer.name);
  }

  /** A page of who is online, for `peer` (who is left out). */
  page(peer: Peer, limit: number, after?: string): OnlinePage {
    return this.onlineNames.page(limit, after, this.keyOf(peer.name));
  }

  /** Routes a message from `from`; a teacher's carries the teacher flag, set here and nowhere else. */
  route(from: Peer, to: string, envelope: Envelope): RouteResult | Promise<RouteResult> {
    const key = this.keyOf(to);
    const target = this.peers.get(key);
    if (!target) return UNKNOWN_PEER;
    const marked = from.role === 'teacher' ? { ...envelope, teacher: true } : envelope;
    if (target instanceof RemotePeer && this.link)
      return this.link.deliver(target.node, key, marked).then((delivery): RouteResult => {
        if (delivery.status === 'rejected') return { status: 'rejected', reason: delivery.reason };
        if (delivery.status === 'delivered') this.classroom.counted(this.keyOf(from.name), from, key, target);
        return delivery.status === 'delivered' ? ROUTED : UNKNOWN_PEER;
      });
    const delivery = this.deliver(key, target, marked);
    if (!delivery.ok) return { status: 'rejected', reason: delivery.reason };
    this.classroom.counted(this.keyOf(from.name), from, key, target);
    return ROUTED;
  }

  /** A teacher's hint to everyone but the sender, kept for those who join later; returns how many peers it reached. */
  broadcast(from: Peer, envelope: Extract<Envelope, { type: 'broadcast' }>): number {
    const marked = { ...envelope, teacher: true };
    let reached = 0;
    for (const [key, peer] of this.peers) {
      if (peer instanceof RemotePeer) {
        reached++;
        continue;
      }
      if (peer === from || !this.deliver(key, peer, marked).ok) continue;
      reached++;
      this.classroom.receivedBroadcast(key);
    }
    this.link?.hint(marked);
    this.classroom.hint(marked);
    this.classroom.counted(this.keyOf(from.name), from, undefined, undefined);
    return reached;
  }

  /**
   * Hands a message to a peer; a framed peer's copy is numbered, and kept for a resume once the
   * peer took it: a refused message is never delivered later.
   */
  private deliver(key: string, peer: Peer, envelope: Envelope): Delivery {
    if (peer.dialect !== 'relay') return peer.deliver(envelope);
    const seq = this.registrations.nextSeq(key);
    const delivery = peer.deliver(envelope, seq);
    if (delivery.ok && seq !== undefined) this.registrations.keep(key, envelope, seq);
    return delivery;
  }

  /** Forgets what is kept longer than it may be; the relay calls it now and then. */
  sweep(): void {
    this.registrations.sweep();
    for (const key of [...this.claimed]) this.releaseUnused(key);
  }

  /**
   * Takes one of `sender`'s pages of who is online, an allowance of their own: a client asking
   * for the list spends none of its messages' rate. Undefined when allowed, else how long to wait.
   */
  takeWho(sender: string): number | undefined {
    return this.whoRate.take(this.keyOf(sender));
  }

  /** The outcome of an id this sender used before, if it did. */
  previousOutcome(sender: string, id: string): RouteResult | undefined {
    const here = this.recentIds.get(this.keyOf(sender), id);
    if (here || !this.link) return here;
    // Handed to a member here by another node, before the sender moved to this one.
    return this.link.deliveredBefore(sender, id)?.status === 'delivered' ? ROUTED : undefined;
  }

  /** Remembers the outcome of an id of `sender`, an online peer: under its address's share of the memory. */
  remember(sender: string, id: string, result: RouteResult): void {
    const key = this.keyOf(sender);
    const peer = this.peers.get(key);
    if (peer) this.recentIds.remember(key, peer.address, id, result);
  }

  /** The class of this room ended: every member is told why and closed. */
  classEnded(code: string): void {
    for (const peer of [...this.peers.values()]) peer.classEnded(code);
  }

  /** Sends pending presence now; the relay calls it before it stops. */
  flushPresence(): void {
    this.presenceFeed.flush();
  }

  dispose(): void {
    this.link?.detach();
    this.presenceFeed.dispose();
    this.classroom.dispose();
    this.recentIds.dispose();
    this.registrations.dispose();
  }

  private publish(change: PresenceChange): void {
    for (const peer of this.peers.values()) peer.presence(change);
  }

  /** This node's students' standing goes to the other nodes; theirs shows in the roster here. */
  private standingAcrossNodes(): void {
    const none = Object.freeze({ sent: 0, received: 0 });
    const student = (key: string) => {
      const peer = this.peers.get(key);
      return peer !== undefined && !(peer instanceof RemotePeer) && peer.role === 'student';
    };
    this.classroom.shareStanding({
      changed: (key, standing) => {
        if (student(key)) this.link?.standing?.share(key, standing);
      },
      left: (key) => this.link?.standing?.forget(key),
      // A member of another node with no standing shared shows none (not what this node counted of her).
      of: (key, peer) => (peer instanceof RemotePeer ? (this.link?.standing?.of(peer.node, key) ?? none) : undefined),
    });
  }
}
