/**
 * Which connections the relay lets in: at most so many in total and per address, and of those
 * without a name yet (waitingRoom.ts) fewer still. Over a limit, a connection still without a
 * name is closed to make room (`makeRoom`) before a newcomer is refused: registered users and
 * newcomers always find room, whatever silent sockets hold.
 */
import { WaitingRoom, type WaitingLimits } from './waitingRoom';

/**
 * What admission keeps on each connection instead of a map of its own: where it comes from, and
 * whether it counts against the limits (open, and not already closing to make room).
 */
export interface Admitted {
  readonly address: string;
  counted: boolean;
}

export interface AdmissionLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  unregistered: WaitingLimits;
}

export class Admission<T> {
  private count = 0;
  private readonly perAddress = new Map<string, number>();
  private readonly waiting: WaitingRoom<T>;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly makeRoom: (connection: T, why: string) => void,
    private readonly admitted: (connection: T) => Admitted,
  ) {
    this.waiting = new WaitingRoom(limits.unregistered);
  }

  /** Makes room for a newcomer from `address` if it must; undefined when it may come in, else why not. */
  admit(address: string): string | undefined {
    if (this.count >= this.limits.maxConnections) {
      const waiting = this.waiting.oldestOfLargest();
      if (waiting === undefined) return `the relay has ${this.count} connections, its limit (--max-connections)`;
      this.evict(waiting, 'the relay is at its limit of connections (--max-connections)');
    }
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (fromAddress >= this.limits.maxConnectionsPerAddress) {
      const waiting = this.waiting.oldestOf(address);
      if (waiting === undefined)
        return `${fromAddress} connections from ${address}, the limit per address (--max-per-address)`;
      this.evict(waiting, `${address} is at its limit of connections (--max-per-address)`);
    }
    const waiting = this.waiting.toMakeRoomFor(address);
    if (waiting !== undefined)
      this.evict(waiting, 'too many connections wait for a name (--max-unregistered, per address too)');
    return undefined;
  }

  /** A newcomer came in: it waits for its name. */
  enter(connection: T): void {
    const admitted = this.admitted(connection);
    const { address } = admitted;
    admitted.counted = true;
    this.count++;
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.waiting.enter(connection, address);
  }

  registered(connection: T): void {
    const admitted = this.admitted(connection);
    if (admitted.counted) this.waiting.leave(connection, admitted.address);
  }

  /** It closed, or it is closing to make room; leaving twice is leaving once. */
  leave(connection: T): void {
    const admitted = this.admitted(connection);
    if (!admitted.counted) return;
    const { address } = admitted;
    admitted.counted = false;
    this.count--;
    this.waiting.leave(connection, address);
    const count = (this.perAddress.get(address) ?? 1) - 1;
    if (count > 0) this.perAddress.set(address, count);
    else this.perAddress.delete(address);
  }

  private evict(connection: T, why: string): void {
    this.leave(connection);
    this.makeRoom(connection, why);
  }
}
