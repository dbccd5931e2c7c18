/**
 * The bytes of one message being collected across reads, in one array that grows by doubling.
 * A message that arrives a byte per read costs its size in memory, not an array per read. Once
 * the message is taken or cleared the array goes: an idle connection holds none (the decoders
 * read a message that is whole in one read where it lies, so only split ones come here).
 */
const EMPTY = new Uint8Array(0);

export class ByteBuffer {
  private bytes = EMPTY;
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

  /** The bytes collected (no longer this buffer's), and a fresh start. */
  take(): Uint8Array {
    const out = this.bytes.subarray(0, this.used);
    this.clear();
    return out;
  }

  /** Forgets the bytes and lets the array go. */
  clear(): void {
    this.used = 0;
    this.bytes = EMPTY;
  }
}
