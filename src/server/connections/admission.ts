/**
 * Which connections the relay lets in: at most so many in total and per address, and of those
 * without a name yet (waitingRoom.ts) fewer still. Over a limit, a connection still without a
 * name is closed to make room (`makeRoom`) before a newcomer is refused: registered users and
 * newcomers always find room, whatever silent sockets hold.
 */
import { WaitingRoom, type WaitingLimits } from './waitingRoom';

export interface AdmissionLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  unregistered: WaitingLimits;
}

export class Admission<T> {
  /** Connections counted against the limits: open ones, but not those already closing to make room. */
  private readonly counted = new Map<T, string>();
  private readonly perAddress = new Map<string, number>();
  private readonly waiting: WaitingRoom<T>;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly makeRoom: (connection: T, why: string) => void,
  ) {
    this.waiting = new WaitingRoom(limits.unregistered);
  }

  /** Makes room for a newcomer from `address` if it must; undefined when it may come in, else why not. */
  admit(address: string): string | undefined {
    if (this.counted.size >= this.limits.maxConnections) {
      const waiting = this.waiting.oldestOfLargest();
      if (waiting === undefined) return `the relay has ${this.counted.size} connections, its limit (--max-connections)`;
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
  enter(connection: T, address: string): void {
    this.counted.set(connection, address);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.waiting.enter(connection, address);
  }

  registered(connection: T): void {
    const address = this.counted.get(connection);
    if (address !== undefined) this.waiting.leave(connection, address);
  }

  /** It closed, or it is closing to make room; leaving twice is leaving once. */
  leave(connection: T): void {
    const address = this.counted.get(connection);
    if (address === undefined) return;
    this.counted.delete(connection);
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
