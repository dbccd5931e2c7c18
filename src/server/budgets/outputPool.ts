/**
 * Output waiting for all clients together: every byte a connection's Outbound writes or queues
 * counts here until the socket has handed it to the system. Messages are refused
 * (`recipient-busy`) once the total would pass its budget, so clients that stop reading cannot
 * grow the relay past the ceiling docs/reliability.md states. Beyond the budget there is a
 * headroom: for the relay's replies, and for messages to a client that has almost nothing waiting
 * (less than `reserveBytes`), so clients that stop reading cannot stop messages to those that
 * read. What would pass the headroom too closes the connection with the most waiting.
 */

export interface OutputTotal {
  /** Bytes waiting for all clients together beyond which messages are refused. */
  messageBytes: number;
  /** Extra room for the relay's replies, and for messages to clients with less than `reserveBytes` waiting. */
  headroomBytes: number;
  reserveBytes: number;
}

/** What the pool needs of a connection's output. */
export interface PooledOutput {
  readonly pendingBytes: number;
  /** Closes the connection: it is the one with the most output waiting. */
  evict(): void;
}

export class OutputPool {
  private used = 0;
  private readonly members = new Set<PooledOutput>();

  constructor(private readonly total: OutputTotal) {}

  /** Bytes waiting for all clients together. */
  get usedBytes(): number {
    return this.used;
  }

  join(member: PooledOutput): void {
    this.members.add(member);
  }

  leave(member: PooledOutput, stillCounted: number): void {
    this.members.delete(member);
    this.release(stillCounted);
  }

  /** Whether a message of `bytes` may still be queued for a client with `waiting` bytes waiting already. */
  fitsMessage(bytes: number, waiting: number): boolean {
    if (this.used + bytes <= this.total.messageBytes) return true;
    return waiting + bytes <= this.total.reserveBytes && this.used + bytes <= this.ceiling;
  }

  /** The most that may wait for all clients together. */
  get ceiling(): number {
    return this.total.messageBytes + this.total.headroomBytes;
  }

  /**
   * Whether a reply of `bytes` may be written; when the headroom is spent, the connections with
   * the most waiting are closed until it fits.
   */
  makeRoomForReply(bytes: number): boolean {
    while (this.used + bytes > this.ceiling) {
      let largest: PooledOutput | undefined;
      for (const member of this.members) if (!largest || member.pendingBytes > largest.pendingBytes) largest = member;
      if (!largest || largest.pendingBytes === 0) return false;
      largest.evict();
      // An evicted member leaves the pool; one that could not leave would loop forever.
      if (this.members.has(largest)) this.leave(largest, 0);
    }
    return true;
  }

  add(bytes: number): void {
    this.used += bytes;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
