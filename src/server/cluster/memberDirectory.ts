/**
 * The members of every class online on the other nodes, as this node learns them from the
 * engine, and which nodes are alive. Pure: the link feeds it and tells the rooms what changed.
 * An entry of a node not (yet) known to live is kept but not shown: a node that just started may
 * be heard from before its first heartbeat is read, and one that died shows none of its members.
 */
import type { MemberEntry } from '../routing/clusterLink';

export interface MemberChange {
  room: string;
  key: string;
  entry: MemberEntry;
}

/** What the rooms must hear: members that are gone, then members that are there. */
export interface DirectoryChanges {
  left: MemberChange[];
  joined: MemberChange[];
}

export class MemberDirectory {
  private readonly rooms = new Map<string, Map<string, MemberEntry>>();
  private live = new Set<string>();

  constructor(private readonly self: string) {}

  /** Whether `node` sent a heartbeat lately (this node always is). */
  alive(node: string): boolean {
    return node === this.self || this.live.has(node);
  }

  /** A member's entry was written (this node's own are never kept here). */
  put(room: string, key: string, entry: MemberEntry): DirectoryChanges {
    const changes: DirectoryChanges = { left: [], joined: [] };
    const before = this.rooms.get(room)?.get(key);
    if (before && before.node === entry.node && before.connectedAt === entry.connectedAt) return changes;
    if (before && this.shown(before)) changes.left.push({ room, key, entry: before });
    if (entry.node === this.self) {
      this.drop(room, key);
      return changes;
    }
    const members = this.rooms.get(room) ?? new Map<string, MemberEntry>();
    this.rooms.set(room, members);
    members.set(key, entry);
    if (this.shown(entry)) changes.joined.push({ room, key, entry });
    return changes;
  }

  /** A member's entry was deleted (it left, or its claim was given up). */
  remove(room: string, key: string): DirectoryChanges {
    const entry = this.rooms.get(room)?.get(key);
    if (!entry) return { left: [], joined: [] };
    this.drop(room, key);
    return { left: this.shown(entry) ? [{ room, key, entry }] : [], joined: [] };
  }

  /** The nodes alive now: the members of nodes that died leave, those of nodes heard from for the first time join. */
  setLive(nodes: Iterable<string>): DirectoryChanges {
    const before = this.live;
    this.live = new Set(nodes);
    const changes: DirectoryChanges = { left: [], joined: [] };
    for (const [room, members] of this.rooms)
      for (const [key, entry] of members) {
        const was = before.has(entry.node);
        const is = this.live.has(entry.node);
        if (was && !is) changes.left.push({ room, key, entry });
        else if (!was && is) changes.joined.push({ room, key, entry });
      }
    return changes;
  }

  /** The other nodes' members of a room shown now, for a room that starts on this node. */
  members(room: string): [string, MemberEntry][] {
    return [...(this.rooms.get(room) ?? [])].filter(([, entry]) => this.shown(entry));
  }

  /** Nothing is known of the other nodes while the engine is out of reach: every member shown leaves. */
  clear(): DirectoryChanges {
    const left: MemberChange[] = [];
    for (const [room, members] of this.rooms)
      for (const [key, entry] of members) if (this.shown(entry)) left.push({ room, key, entry });
    this.rooms.clear();
    this.live = new Set();
    return { left, joined: [] };
  }

  private shown(entry: MemberEntry): boolean {
    return entry.node !== this.self && this.live.has(entry.node);
  }

  private drop(room: string, key: string): void {
    const members = this.rooms.get(room);
    members?.delete(key);
    if (members?.size === 0) this.rooms.delete(room);
  }
}
