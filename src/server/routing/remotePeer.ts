/**
 * A member of the class online on another relay node: known here so that its name is taken, it
 * shows in who is online and the roster, and messages to it go to its node (Hub.route). What a
 * local peer is told directly (presence, standing, hints) its own node tells it.
 */
import type { MemberEntry } from './clusterLink';
import { RECIPIENT_BUSY, type Delivery, type Peer } from './peer';

export class RemotePeer implements Peer {
  readonly node: string;
  readonly name: string;
  readonly dialect: MemberEntry['dialect'];
  readonly role: MemberEntry['role'];
  readonly address: string;
  readonly remote: string;
  readonly connectedAt: number;

  constructor(entry: MemberEntry) {
    this.node = entry.node;
    this.name = entry.name;
    this.dialect = entry.dialect;
    this.role = entry.role;
    this.address = entry.address;
    this.remote = entry.remote;
    this.connectedAt = entry.connectedAt;
  }

  /** Never called for a remote member: the hub hands its messages to its node. */
  deliver(): Delivery {
    return RECIPIENT_BUSY;
  }

  presence(): void {}
  replaced(): void {}
  standingChanged(): void {}
  earlierHints(): void {}
  hintsCleared(): void {}
  roster(): void {}
  kick(): void {}
  classEnded(): void {}
}
