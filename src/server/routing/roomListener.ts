/**
 * What a room (hub.ts) learns from the other relay nodes: their members coming and going, messages
 * and hints for its members here, a teacher's moderation of a member here, and students' standing
 * there for the roster here; and what it shares of its own students' standing.
 */
import type { Moderation } from '../../protocol/classroom';
import type { Classroom } from '../classroom/classroom';
import type { MemberEntry, RemoteDelivery, RoomLink, RoomListener } from './clusterLink';
import type { Members } from './members';
import type { Delivery, Envelope, Peer } from './peer';
import type { Registrations } from './registrations';
import { RemotePeer } from './remotePeer';

/** The parts of a room the other nodes' news changes. */
export interface RoomParts {
  members: Members;
  registrations: Registrations;
  classroom: Classroom;
  /** Names this node claimed in the cluster for its members. */
  claimed: Set<string>;
  leave(peer: Peer, release: boolean): void;
  deliver(key: string, peer: Peer, envelope: Envelope): Delivery;
}

export function roomListener(room: RoomParts): RoomListener {
  const { members, registrations, classroom, claimed } = room;
  /**
   * The name's claim went to another node: this node's member under it is replaced, or what this
   * node kept of an earlier holder of the name goes. The claim is the other node's: not given up here.
   */
  const givenUp = (key: string) => {
    claimed.delete(key);
    const present = members.get(key);
    if (present && !(present instanceof RemotePeer)) {
      room.leave(present, true);
      present.replaced();
      return;
    }
    registrations.drop(key);
  };
  return {
    memberJoined: (key: string, entry: MemberEntry) => {
      // Another node has the name now (it took this node for dead a while, or this member resumed there).
      const present = members.get(key);
      if (present instanceof RemotePeer) members.remove(key, present);
      givenUp(key);
      members.add(key, new RemotePeer(entry));
      classroom.changedElsewhere();
    },
    memberLeft: (key: string, entry: MemberEntry) => {
      const present = members.get(key);
      if (present instanceof RemotePeer && present.node === entry.node) members.remove(key, present);
      classroom.changedElsewhere();
    },
    deliverHere: (key: string, envelope: Envelope): RemoteDelivery => {
      const target = members.get(key);
      if (!target || target instanceof RemotePeer) return { status: 'unknown-peer' };
      const delivery = room.deliver(key, target, envelope);
      if (!delivery.ok) return { status: 'rejected', reason: delivery.reason };
      classroom.receivedFromElsewhere(key, target, envelope.teacher === true);
      return { status: 'delivered' };
    },
    hintHere: (envelope: Extract<Envelope, { type: 'broadcast' }>) => {
      for (const [key, peer] of members.entries()) {
        if (peer instanceof RemotePeer || !room.deliver(key, peer, envelope).ok) continue;
        classroom.receivedBroadcast(key);
      }
      classroom.hint(envelope);
    },
    hintKept: (envelope: Extract<Envelope, { type: 'broadcast' }>) => classroom.hint(envelope),
    hintsClearedHere: (by: string) => classroom.clearHints(by),
    moderateHere: (key: string, action: Moderation) => {
      const target = members.get(key);
      return classroom.moderate(action, key, target instanceof RemotePeer ? undefined : target);
    },
    standingHere: (key: string) => {
      const here = members.get(key);
      classroom.changedElsewhere(here && !(here instanceof RemotePeer) ? undefined : key);
    },
    handOff: (key: string, id: string) => {
      if (registrations.idOf(key) !== id) return undefined;
      const nextSeq = registrations.nextSeq(key);
      givenUp(key);
      return nextSeq;
    },
  };
}

/** The room's students' standing goes to the other nodes; theirs shows in the roster here. */
export function shareStanding({ members, classroom }: RoomParts, link: () => RoomLink | undefined): void {
  const none = Object.freeze({ sent: 0, received: 0 });
  const student = (key: string) => {
    const peer = members.get(key);
    return peer !== undefined && !(peer instanceof RemotePeer) && peer.role === 'student';
  };
  classroom.shareStanding({
    changed: (key, standing) => {
      if (student(key)) link()?.standing?.share(key, standing);
    },
    left: (key, kept) => link()?.standing?.forget(key, kept),
    // A member of another node with no standing shared shows none (not what this node counted of her).
    of: (key, peer) => (peer instanceof RemotePeer ? (link()?.standing?.of(peer.node, key) ?? none) : undefined),
  });
}
