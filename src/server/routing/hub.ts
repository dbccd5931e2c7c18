/** Who is online and how a message gets from one peer to another, whatever their protocols. */
import type { Delivery, Envelope, Peer } from './peer';
import type { Resume } from '../../protocol/frames';
import { RecentIds } from './recentIds';
import { Registrations } from './registrations';
import { newToken } from './registration';
import type { OnlinePage } from './onlineNames';
import { Members } from './members';
import { keyOfName } from './nameKeyMemo';
import { Classroom, type ModerationResult } from '../classroom/classroom';
import type { Moderation } from '../../protocol/classroom';
import { RateLimiter } from '../budgets/rateLimiter';
import type { HubOptions, JoinResult, RouteResult } from './hubTypes';
import type { ClusterLink, MemberEntry, RemoteResume, RoomLink } from './clusterLink';
import { roomListener, shareStanding, type RoomParts } from './roomListener';
import { RemotePeer } from './remotePeer';

export type { HubOptions, JoinResult, RouteResult } from './hubTypes';

/** How most messages fare, one object each: the memory of ids keeps the outcome of every message delivered. */
const ROUTED: RouteResult = Object.freeze({ status: 'delivered' });
const UNKNOWN_PEER: RouteResult = Object.freeze({ status: 'unknown-peer' });

/** A member of this node as the other nodes know it. */
function memberEntry({ name, dialect, role, address, remote, connectedAt }: Peer): Omit<MemberEntry, 'node'> {
  return { name, dialect, role, address, remote, connectedAt };
}

/** What a registration may go on with, once nobody holds its name; `id`: the new registration's, named in its claim. */
type Cleared = { holder: Peer | undefined; resumed: boolean; id?: string };

export class Hub {
  /** Who is online, here and on the other nodes. */
  private readonly members: Members;
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
    this.members = new Members(options.presence);
    this.registrations = new Registrations(options.resume, Date.now, options.shares, (key, id) =>
      this.link?.forgotten(key, id),
    );
    // A sender online, or whose name is held for its return, may resend: its ids go last.
    const present = (key: string) => this.members.has(key) || this.registrations.held(key);
    this.recentIds = new RecentIds(options.ids, Date.now, present, options.shares?.ids);
    this.registrationRate = options.registrations;
    this.whoRate = new RateLimiter(options.who);
    this.classroom = new Classroom(options.classroom, () => this.members.entries());
  }

  get online(): string[] {
    return this.members.all;
  }

  get size(): number {
    return this.members.size;
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
    return this.members.get(this.keyOf(name));
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
    const key = this.keyOf(name);
    // On every node: the engine's record gets the new token's digest too.
    this.registeredInCluster(key, this.registrations.renew(key, false), false);
  }

  /**
   * Registers a peer. A name (or one that looks the same) that is taken stays with its holder,
   * unless the newcomer is a framed client presenting the registration's resume token: then it
   * takes the name over and gets the messages it missed after `resume.lastSeq`.
   */
  join(peer: Peer, resume?: Resume): JoinResult | Promise<JoinResult> {
    const key = this.keyOf(peer.name);
    if (resume && this.resumesElsewhere(peer, key, resume)) return this.resumeHere(peer, key, resume);
    const cleared = this.clear(peer, key, resume);
    if ('ok' in cleared) return cleared;
    // A resume is counted against its own name, not its address: classmates behind the same
    // router who come and go cannot keep a client from its held name.
    const wait = this.registrationRate.take(cleared.resumed ? `resume\u0000${this.rateKey(peer.name)}` : peer.address);
    if (wait !== undefined) return { ok: false, refused: 'too-many-registrations', waitMs: wait };
    const link = this.link;
    if (!link || this.claimed.has(key)) return this.admit(peer, key, cleared, resume);
    if (this.claiming.has(key)) return { ok: false, refused: 'taken', holder: peer.name, held: false };
    this.claiming.add(key);
    // A framed client's registration is named in the claim: a resume of it on another node may take the name.
    const id = peer.dialect === 'relay' && !cleared.resumed ? newToken() : undefined;
    const entry = { ...memberEntry(peer), ...(id === undefined ? {} : { registration: id }) };
    return link.claim(key, entry).then((claim): JoinResult => {
      this.claiming.delete(key);
      if (claim.type === 'taken') return { ok: false, refused: 'taken', holder: claim.holder, held: false };
      if (claim.type === 'unavailable') return { ok: false, refused: 'unavailable', detail: claim.detail };
      this.claimed.add(key);
      // Whatever changed here while the claim was under way is looked at again.
      const again = this.clear(peer, key, resume);
      if (!('ok' in again)) return this.admit(peer, key, { ...again, id }, resume);
      this.releaseUnused(key);
      return again;
    });
  }

  /**
   * Whether `resume` may be of a registration another node held: this node keeps none of that name
   * with that token, and nobody here holds the name (the other node's member may, dead or alive).
   */
  private resumesElsewhere(peer: Peer, key: string, resume: Resume): boolean {
    if (!this.link || peer.dialect !== 'relay' || this.registrations.matches(key, resume.token)) return false;
    if (this.claiming.has(key) || this.registrations.held(key)) return false;
    const holder = this.members.lookalike(peer.name);
    return holder === undefined || (holder instanceof RemotePeer && holder === this.members.get(key));
  }

  /**
   * A client resumes here the registration another node held: the engine has its token's digest
   * and what it kept. Unknown there too, the client registers afresh, as on a relay that restarted.
   */
  private async resumeHere(peer: Peer, key: string, resume: Resume): Promise<JoinResult> {
    // Counted against the address before the engine is asked: made-up tokens cost their sender.
    const wait = this.registrationRate.take(peer.address);
    if (wait !== undefined) return { ok: false, refused: 'too-many-registrations', waitMs: wait };
    this.claiming.add(key);
    let found: RemoteResume;
    try {
      found = await this.link!.resume(key, resume, memberEntry(peer));
    } finally {
      this.claiming.delete(key);
    }
    if (found.type === 'unknown') return this.join(peer);
    if (found.type === 'taken') return { ok: false, refused: 'taken', holder: found.holder, held: false };
    if (found.type === 'unavailable') return { ok: false, refused: 'unavailable', detail: found.detail };
    this.claimed.add(key);
    const holder = this.members.lookalike(peer.name);
    if (holder && !(holder instanceof RemotePeer && holder === this.members.get(key))) {
      // Somebody registered the name here while the engine was asked.
      this.releaseUnused(key);
      return { ok: false, refused: 'taken', holder: holder.name, held: false };
    }
    const unkept = this.registrations.adopt(key, peer.address, found.adopted, found.missed);
    return this.admit(peer, key, { holder, resumed: true }, resume, unkept);
  }

  /** Whether `peer` may have its name: nobody here or on another node holds it, or it resumes its own registration. */
  private clear(peer: Peer, key: string, resume: Resume | undefined): Cleared | JoinResult {
    const holder = this.members.lookalike(peer.name);
    const resumed = resume !== undefined && peer.dialect === 'relay' && this.registrations.matches(key, resume.token);
    if (holder && !(resumed && holder === this.members.get(key)))
      return { ok: false, refused: 'taken', holder: holder.name, held: false };
    if (!holder && !resumed && this.registrations.held(key))
      return { ok: false, refused: 'taken', holder: peer.name, held: true };
    if (!resumed && peer.dialect === 'relay' && this.registrations.saturated)
      return { ok: false, refused: 'names-held', waitMs: this.registrations.holdEndsIn };
    if (this.link && !this.link.available)
      return { ok: false, refused: 'unavailable', detail: 'this relay node cannot reach the other nodes' };
    return { holder, resumed };
  }

  /** `earlier`: what a client resuming another node's registration missed there, that this node could not keep. */
  private admit(
    peer: Peer,
    key: string,
    { holder, resumed, id }: Cleared,
    resume: Resume | undefined,
    earlier: Envelope[] = [],
  ): JoinResult {
    if (holder) {
      this.members.remove(key, holder);
      holder.replaced();
    }
    this.members.add(key, peer);
    // A raised hand or a mute she had on another node stays with her name: a mute is not shed by moving.
    const elsewhere = this.link?.standing?.lastElsewhere(key);
    if (elsewhere) this.classroom.restore({ hints: [], standing: [[key, elsewhere]] });
    if (peer.dialect !== 'relay') {
      this.registrations.drop(key);
      return { ok: true, resumed: false, missed: [] };
    }
    const teacher = peer.role === 'teacher';
    if (resumed && resume) {
      this.registrations.online(key);
      // A new token each time: a token that was seen (a screenshot of a wire trace) is good for one resume at most.
      const token = this.registrations.renew(key, teacher);
      this.registeredInCluster(key, token, teacher);
      return { ok: true, token, resumed: true, missed: [...earlier, ...this.registrations.since(key, resume.lastSeq)] };
    }
    const token = this.registrations.create(key, peer.address, teacher, id);
    this.registeredInCluster(key, token, teacher);
    return { ok: true, token, resumed: false, missed: [] };
  }

  /** Other nodes may continue the registration with its new token, should its client come back there. */
  private registeredInCluster(key: string, token: string | undefined, teacher: boolean): void {
    const id = this.registrations.idOf(key);
    if (this.link && token !== undefined && id !== undefined) this.link.registered(key, id, token, teacher);
  }

  /**
   * A peer's connection ended. Its registration is kept for a resume, and its name held for a
   * moment, unless it said goodbye (`release`) or a teacher disconnected it.
   */
  leave(peer: Peer, release = false): void {
    const key = this.keyOf(peer.name);
    if (this.members.get(key) !== peer) return;
    this.members.remove(key, peer);
    if (release) this.registrations.drop(key);
    else this.registrations.offline(key);
    this.classroom.left(key);
    this.releaseUnused(key);
  }

  /**
   * A registration whose client was gone before its welcome came: its name is given up, unless it
   * resumed; then it is held for the client's next try, under the token the client still has (the
   * new one never reached it).
   */
  unwelcomed(peer: Peer, joined: JoinResult, resume: Resume | undefined): void {
    const key = this.keyOf(peer.name);
    if (this.members.get(key) !== peer) return;
    if (!joined.ok || !joined.resumed || !resume) {
      this.leave(peer, true);
      return;
    }
    this.leave(peer);
    const teacher = peer.role === 'teacher';
    this.registeredInCluster(key, this.registrations.renew(key, teacher, resume.token), teacher);
  }

  /** The cluster's claim of `key` is given up once nobody here is online under it or holds it for a resume. */
  private releaseUnused(key: string): void {
    if (!this.claimed.has(key) || this.members.has(key) || this.registrations.held(key)) return;
    this.claimed.delete(key);
    this.link?.release(key);
  }

  /** This room as one of the cluster's: members on the other nodes are known here, and hers there. */
  useCluster(cluster: ClusterLink): void {
    const parts: RoomParts = {
      ...{ members: this.members, registrations: this.registrations, classroom: this.classroom, claimed: this.claimed },
      leave: (peer, release) => this.leave(peer, release),
      deliver: (key, peer, envelope) => this.deliver(key, peer, envelope),
    };
    shareStanding(parts, () => this.link);
    this.link = cluster.attach(this.options.room ?? '', roomListener(parts));
  }

  /** A teacher's moderation of `action.name`: here, or on the node where that member is. */
  moderate(action: Moderation): ModerationResult | Promise<ModerationResult> {
    const key = this.keyOf(action.name);
    const target = this.members.get(key);
    if (target instanceof RemotePeer && this.link) return this.link.moderate(target.node, key, action);
    return this.classroom.moderate(action, key, target);
  }

  /** A teacher cleared the class's hints: here, and on every node. */
  clearHints(by: string): void {
    this.classroom.clearHints(by);
    this.link?.hintsCleared(by, new Date().toISOString());
  }

  /** A page of who is online, for `peer` (who is left out). */
  page(peer: Peer, limit: number, after?: string): OnlinePage {
    return this.members.page(limit, after, this.keyOf(peer.name));
  }

  /** Routes a message from `from`; a teacher's carries the teacher flag, set here and nowhere else. */
  route(from: Peer, to: string, envelope: Envelope): RouteResult | Promise<RouteResult> {
    const key = this.keyOf(to);
    const target = this.members.get(key);
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
    for (const [key, peer] of this.members.entries()) {
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
    if (!delivery.ok || seq === undefined) return delivery;
    const id = this.registrations.keep(key, envelope, seq);
    if (id !== undefined) this.link?.kept(id, seq, envelope);
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
    const peer = this.members.get(key);
    if (peer) this.recentIds.remember(key, peer.address, id, result);
  }

  /** The class of this room ended: every member is told why and closed. */
  classEnded(code: string): void {
    for (const peer of [...this.members.values()]) peer.classEnded(code);
  }

  /** Sends pending presence now; the relay calls it before it stops. */
  flushPresence(): void {
    this.members.flush();
  }

  dispose(): void {
    this.link?.detach();
    this.members.dispose();
    this.classroom.dispose();
    this.recentIds.dispose();
    this.registrations.dispose();
  }
}
