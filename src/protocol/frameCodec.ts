/**
 * Frames as bytes: one JSON object and its LF out, and a byte stream cut back into JSON values
 * however the reads split it. What the values mean is checked elsewhere (frameFields.ts).
 */
import { MAX_FRAME_BYTES } from './limits';
import { ByteBuffer } from './byteBuffer';
import type { ClientFrame, ServerFrame } from './frames';
import { decodeUtf8Strict, encodeUtf8 } from './utf8';

export function encodeFrame(frame: ClientFrame | ServerFrame): Uint8Array {
  return encodeUtf8(frameText(frame));
}

/** A frame as the text of its line, LF included: for a writer that turns many lines into bytes at once. */
export function frameText(frame: ClientFrame | ServerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

/** What one line on the wire turned out to be. */
export type DecodedLine =
  | { kind: 'json'; value: unknown; bytes: number }
  | { kind: 'error'; code: 'frame-too-large' | 'invalid-utf8' | 'bad-frame'; message: string };

/**
 * Cuts a byte stream into LF-terminated frames, whatever the read boundaries. An oversized
 * frame is reported once and skipped up to its LF; the frames around it are kept.
 */
export class FrameDecoder {
  /**
   * Only a frame split across reads is collected here, made for it and let go after it; a whole
   * one is read where it lies.
   */
  private frame: ByteBuffer | undefined;
  private discarding = false;

  constructor(private readonly maxFrameBytes: number = MAX_FRAME_BYTES) {}

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.frame?.length ?? 0;
  }

  push(data: Uint8Array): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    while (start < data.length) {
      const lf = data.indexOf(0x0a, start);
      const end = lf === -1 ? data.length : lf;
      const piece = data.subarray(start, end);
      const held = this.frame?.length ?? 0;
      if (!this.discarding) {
        if (held + piece.length + (lf === -1 ? 0 : 1) > this.maxFrameBytes) {
          out.push({
            kind: 'error',
            code: 'frame-too-large',
            message: `a frame is larger than ${this.maxFrameBytes} bytes; it was discarded`,
          });
          this.discarding = true;
          this.frame = undefined;
        } else if (lf !== -1 && held === 0) {
          // The whole frame is in this read (the usual case): no copy.
          const line = decodeLine(piece);
          if (line) out.push(line);
          start = lf + 1;
          continue;
        } else {
          (this.frame ??= new ByteBuffer()).append(piece);
        }
      }
      if (lf === -1) break;
      if (this.discarding) {
        this.discarding = false;
      } else {
        const line = decodeLine(this.frame?.view() ?? piece);
        this.frame = undefined;
        if (line) out.push(line);
      }
      start = lf + 1;
    }
    return out;
  }
}

/** One frame's bytes, without its LF, as JSON; undefined for a blank line. */
function decodeLine(bytes: Uint8Array): DecodedLine | undefined {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined)
    return { kind: 'error', code: 'invalid-utf8', message: 'a frame is not valid UTF-8; it was discarded' };
  if (text.trim() === '') return undefined;
  try {
    return { kind: 'json', value: JSON.parse(text), bytes: bytes.length + 1 };
  } catch {
    return { kind: 'error', code: 'bad-frame', message: 'a frame is not valid JSON; it was discarded' };
  }
}
