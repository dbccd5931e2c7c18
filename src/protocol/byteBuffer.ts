/**
 * The bytes of one message being collected across reads, in one array that grows by doubling.
 * A message that arrives a byte per read costs its size in memory, not an array per read.
 */
export class ByteBuffer {
  private bytes = new Uint8Array(0);
  private used = 0;

  get length(): number {
    return this.used;
  }

  append(piece: Uint8Array): void {
    if (piece.length === 0) return;
    const needed = this.used + piece.length;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, 2 * this.bytes.length, 256));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(piece, this.used);
    this.used = needed;
  }

  /** The bytes collected so far; valid until the next append or clear. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.used);
  }

  /** A copy of the bytes collected, and a fresh start. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.used);
    this.clear();
    return out;
  }

  /** Forgets the bytes; a large array is let go, so an idle connection holds little. */
  clear(): void {
    this.used = 0;
    if (this.bytes.length > 4096) this.bytes = new Uint8Array(0);
  }
}
