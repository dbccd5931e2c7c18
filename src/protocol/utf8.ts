/** UTF-8 as the wire counts it: lengths, strict decoding, and splitting at character boundaries. */
const encoder = new TextEncoder();

/**
 * Up to this many UTF-16 units, counting is faster than encoding (up to 4× for names and
 * short lines); above it, the engine's encoder wins. Measured by bench/utf8.bench.ts.
 */
const COUNT_UP_TO_UNITS = 192;

/** UTF-8 bytes of `text` as TextEncoder writes them: a lone surrogate becomes U+FFFD, 3 bytes. */
export function utf8Length(text: string): number {
  if (text.length > COUNT_UP_TO_UNITS) return encoder.encode(text).length;
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else {
      bytes += 2; // 3 bytes for 1 unit, or 4 for a surrogate pair's 2
      if (isPairAt(text, index, unit)) index++;
    }
  }
  return bytes;
}

/** Whether `unit`, found at `index`, starts a valid surrogate pair. */
function isPairAt(text: string, index: number, unit: number): boolean {
  if (unit < 0xd800 || unit > 0xdbff) return false;
  const next = text.charCodeAt(index + 1); // NaN past the end
  return next >= 0xdc00 && next <= 0xdfff;
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** One decoder for every strict decoding: a decoder is costly to make, and each call without `stream` stands alone. */
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes bytes that must be valid UTF-8; returns undefined for anything else. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence,
 * so a reader can keep the incomplete tail for the next read.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  // A sequence is at most 4 bytes: look back at most 3 continuation bytes for its lead.
  for (let back = 1; back <= Math.min(4, end); back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? end - back : end;
  }
  return end;
}

/**
 * Splits text into parts of at most `maxBytes` UTF-8 bytes each, never inside a character
 * (a surrogate pair stays whole). Prefers to break after a newline or space near the end.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError(`maxBytes must be at least 4, got ${maxBytes}`);
  const parts: string[] = [];
  // The current part is text[start, index); indexes count UTF-16 units, sizes UTF-8 bytes.
  let start = 0;
  let partBytes = 0;
  let breakAt = -1; // just after the last newline or space in the part, or -1
  let bytesBeforeBreak = 0;
  for (let index = 0; index < text.length;) {
    const unit = text.charCodeAt(index);
    const pair = isPairAt(text, index, unit);
    const bytes = unit < 0x80 ? 1 : unit < 0x800 ? 2 : pair ? 4 : 3;
    if (partBytes + bytes > maxBytes) {
      // Break after the space or newline when it lies in the second half of the part and the
      // words after it fit, with this character, into the next part.
      const tailBytes = partBytes - bytesBeforeBreak;
      const useBreak =
        breakAt > start && breakAt < index && breakAt - start >= (index - start) / 2 && tailBytes + bytes <= maxBytes;
      const cut = useBreak ? breakAt : index;
      parts.push(text.slice(start, cut));
      start = cut;
      partBytes = useBreak ? tailBytes : 0;
      breakAt = -1;
    }
    partBytes += bytes;
    index += pair ? 2 : 1;
    if (unit === 0x0a || unit === 0x20) {
      breakAt = index;
      bytesBeforeBreak = partBytes;
    }
  }
  if (start < text.length || parts.length === 0) parts.push(text.slice(start));
  return parts;
}
