/**
 * The messages a registration keeps for a resume, oldest first: the envelopes every recipient
 * shares and when each was kept, numbered by their place (they follow each other up to the next
 * number), so a message kept costs no object of its own. The oldest leave from a moving start,
 * and the arrays are cut once the start has passed half of them, so a registration at its bound,
 * which lets one go for each it keeps, moves no array per message.
 */
import type { Envelope } from './peer';

/** Below this many left at the start, the arrays are not cut. */
const CUT_FROM = 64;

export class KeptMessages {
  /** The number the next message kept takes. */
  nextSeq = 1;
  private envelopes: Envelope[] = [];
  private times: number[] = [];
  private start = 0;

  /** Messages kept. */
  get count(): number {
    return this.envelopes.length - this.start;
  }

  /** The number of the oldest message kept. */
  get firstSeq(): number {
    return this.nextSeq - this.count;
  }

  /** When the oldest message was kept; undefined when none is. */
  get oldestAt(): number | undefined {
    return this.start < this.times.length ? this.times[this.start] : undefined;
  }

  /** Keeps `envelope`, kept `at`, under the next number. */
  keepNext(envelope: Envelope, at: number): void {
    this.envelopes.push(envelope);
    this.times.push(at);
    this.nextSeq++;
  }

  /** The oldest message leaves; returns it. */
  takeOldest(): Envelope | undefined {
    if (this.start >= this.envelopes.length) return undefined;
    const envelope = this.envelopes[this.start]!;
    this.start++;
    if (this.start >= CUT_FROM && 2 * this.start >= this.envelopes.length) {
      this.envelopes = this.envelopes.slice(this.start);
      this.times = this.times.slice(this.start);
      this.start = 0;
    }
    return envelope;
  }

  /** The messages numbered after `lastSeq`, each with its number. */
  after(lastSeq: number): Envelope[] {
    const first = this.firstSeq;
    const from = Math.max(0, lastSeq + 1 - first);
    return this.envelopes
      .slice(this.start + from)
      .map((envelope, index) => ({ ...envelope, seq: first + from + index }));
  }

  /** Every message leaves; their numbers are not given again. */
  clear(): void {
    this.envelopes = [];
    this.times = [];
    this.start = 0;
  }
}
