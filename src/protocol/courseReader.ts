/**
 * Cuts the unframed byte stream of a course-dialect peer into messages. The course protocol
 * has no framing, so a message ends at a newline for peers that end their name with one
 * (netcat: "line" mode), and otherwise when the peer pauses (the course client sleeps after
 * every send: "pause" mode). The owner reports pauses by calling flush(); this module keeps
 * no timers.
 */
import { ByteBuffer } from './byteBuffer';
import { completeUtf8Length, decodeUtf8Strict } from './utf8';

export type CourseFraming = 'undecided' | 'line' | 'pause';

export type CourseChunk =
  { kind: 'text'; text: string } | { kind: 'invalid-utf8'; bytes: number } | { kind: 'too-long'; limit: number };

export type FlushResult = { chunks: CourseChunk[]; waitingForCharacter: boolean };

export class CourseReader {
  /** A message split across reads is collected here, made for it and let go after it. */
  private message: ByteBuffer | undefined;
  private discarding = false;

  constructor(
    private readonly maxMessageBytes: number,
    private framingMode: CourseFraming = 'undecided',
  ) {}

  get framing(): CourseFraming {
    return this.framingMode;
  }

  get pendingBytes(): number {
    return this.message?.length ?? 0;
  }

  push(data: Uint8Array): CourseChunk[] {
    const out: CourseChunk[] = [];
    let start = 0;
    while (start < data.length) {
      const lf = this.framingMode === 'pause' ? -1 : data.indexOf(0x0a, start);
      const end = lf === -1 ? data.length : lf;
      const piece = data.subarray(start, end);
      if (lf !== -1 && this.message === undefined && !this.discarding && piece.length <= this.maxMessageBytes) {
        // A whole line in this read is read where it lies, not collected first.
        if (this.framingMode === 'undecided') this.framingMode = 'line';
        emitText(piece, out);
        start = lf + 1;
        continue;
      }
      this.append(piece, out);
      if (lf === -1) break;
      if (this.framingMode === 'undecided') this.framingMode = 'line';
      this.emit(out);
      start = lf + 1;
    }
    return out;
  }

  /**
   * The peer paused: what is buffered is a whole message. A message that stops inside a
   * UTF-8 character is held unless `force` is set, since its last bytes may still be coming.
   */
  flush(force = false): FlushResult {
    if (!this.message && !this.discarding) return { chunks: [], waitingForCharacter: false };
    if (this.message && !force && !this.discarding) {
      const bytes = this.message.view();
      if (completeUtf8Length(bytes) !== bytes.length) return { chunks: [], waitingForCharacter: true };
    }
    if (this.framingMode === 'undecided') this.framingMode = 'pause';
    const out: CourseChunk[] = [];
    this.emit(out);
    return { chunks: out, waitingForCharacter: false };
  }

  private append(piece: Uint8Array, out: CourseChunk[]): void {
    if (this.discarding || piece.length === 0) return;
    if (this.pendingBytes + piece.length > this.maxMessageBytes) {
      out.push({ kind: 'too-long', limit: this.maxMessageBytes });
      this.discarding = true;
      this.message = undefined;
      return;
    }
    (this.message ??= new ByteBuffer()).append(piece);
  }

  private emit(out: CourseChunk[]): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const message = this.message;
    this.message = undefined;
    if (message) emitText(message.take(), out);
  }
}

/** One message's bytes as text, without the line end the client put after it. */
function emitText(bytes: Uint8Array, out: CourseChunk[]): void {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) {
    out.push({ kind: 'invalid-utf8', bytes: bytes.length });
    return;
  }
  const message = withoutLineEnd(text);
  if (message.length === 0) return; // blank lines from netcat, a stray newline
  out.push({ kind: 'text', text: message });
}

/** The text without one LF, CR or CR LF at its end (a pause-framed message may end with one). */
function withoutLineEnd(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 0x0a) end--;
  if (text.charCodeAt(end - 1) === 0x0d) end--;
  return end === text.length ? text : text.slice(0, end);
}
