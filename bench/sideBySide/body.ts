/**
 * The text of every benchmark message: who sent it to whom, its number on that pair, when it was
 * sent, padding to the message size and a checksum, so the recipient can tell a message that
 * arrived whole and in order from one that was lost, merged, cut or misrouted. Only characters
 * every server passes unchanged (digits, letters, dots and dashes): no colon, which the course
 * dialect splits at, and no line break.
 */

export interface Body {
  /** Index of the sending client. */
  from: number;
  /** Index of the recipient; -1 for a broadcast to all. */
  to: number;
  /** Number of this message on its sender→recipient pair (for a broadcast: among the sender's broadcasts), from 0. */
  seq: number;
  /** When it was written, in microseconds of the generator's clock. */
  sentUs: number;
}

const CHECKSUM_DIGITS = 8;
/** The fields, at least one pad character, a dot and the checksum. */
const SHAPE = /^(-?\d+)\.(-?\d+)\.(\d+)\.(\d+)\.([a-z]+)\.([0-9A-F]{8})$/;

/** The body as text of exactly `size` characters (ASCII, so also bytes); longer when the fields need it. */
export function encodeBody(body: Body, size: number): string {
  const head = `${body.from}.${body.to}.${body.seq}.${Math.round(body.sentUs)}.`;
  const padLength = Math.max(1, size - head.length - 1 - CHECKSUM_DIGITS);
  // The padding depends on the sequence number, so a body cut and joined to another's tail changes it.
  const pad = String.fromCharCode(97 + (body.seq % 26)).repeat(padLength);
  const signed = head + pad;
  return `${signed}.${checksum(signed)}`;
}

/** The body a text carries, or undefined when it is not one whole body with a matching checksum. */
export function decodeBody(text: string): Body | undefined {
  const match = SHAPE.exec(text);
  if (!match) return undefined;
  const signed = text.slice(0, text.length - CHECKSUM_DIGITS - 1);
  if (checksum(signed) !== match[6]) return undefined;
  return { from: Number(match[1]), to: Number(match[2]), seq: Number(match[3]), sentUs: Number(match[4]) };
}

/** FNV-1a (32 bits) of the text's UTF-16 code units, as 8 upper-case hex digits. */
export function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).toUpperCase().padStart(CHECKSUM_DIGITS, '0');
}
