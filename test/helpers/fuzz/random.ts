/**
 * A small seeded random source (mulberry32) for the network fuzz run. Each part of the run
 * draws from its own stream, so one part's choices do not shift another's; the timing of the
 * network still varies from run to run, the choices do not.
 */
export class FuzzRandom {
  private state: number;

  constructor(seed: number, stream = 0) {
    this.state = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  }

  /** A new independent stream derived from this one's seed. */
  fork(stream: number): FuzzRandom {
    return new FuzzRandom(this.state, stream);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let index = 0; index < length; index++) out[index] = this.int(0, 255);
    return out;
  }

  /** A loopback source address other than 127.0.0.1, so hostile peers look like other hosts. */
  loopbackAddress(): string {
    return `127.0.${this.int(1, 8)}.${this.int(1, 254)}`;
  }
}
