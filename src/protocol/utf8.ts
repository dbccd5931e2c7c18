const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes bytes that must be valid UTF-8; returns undefined for anything else. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
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
  let part = '';
  let partBytes = 0;
  let lastBreak = -1;
  for (const char of text) {
    const bytes = utf8Length(char);
    if (partBytes + bytes > maxBytes) {
      const tail = lastBreak > 0 && lastBreak >= part.length / 2 ? part.slice(lastBreak) : '';
      const tailBytes = utf8Length(tail);
      if (tail && tailBytes + bytes <= maxBytes) {
        parts.push(part.slice(0, lastBreak));
        part = tail;
        partBytes = tailBytes;
      } else {
        parts.push(part);
        part = '';
        partBytes = 0;
      }
      lastBreak = -1;
    }
    part += char;
    partBytes += bytes;
    if (char === '\n' || char === ' ') lastBreak = part.length;
  }
  if (part.length > 0 || parts.length === 0) parts.push(part);
  return parts;
}
