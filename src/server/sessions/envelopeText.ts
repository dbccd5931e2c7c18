/**
 * A message as the line a framed recipient gets: the envelope as JSON with its number for this
 * recipient (`seq`) last, as `{...envelope, seq}` would encode it. The envelope is encoded once
 * and only the number is written per recipient: a hint to a thousand clients is one JSON text and
 * a thousand small strings, not a thousand copies of the envelope, each encoded afresh.
 */
import { frameText } from '../../protocol/frameCodec';
import type { Envelope } from '../routing/peer';

/**
 * The envelope encoded last, and its JSON without the closing brace: a message goes to its
 * recipients one after the other.
 */
let lastEnvelope: Envelope | undefined;
let lastOpen = '';

/** The frame's text, LF included; `seq` absent for a recipient whose messages are not numbered. */
export function envelopeText(envelope: Envelope, seq?: number): string {
  if (envelope !== lastEnvelope) {
    // An envelope is never numbered itself, so its JSON closes with the brace the number goes before.
    lastOpen = JSON.stringify(envelope).slice(0, -1);
    lastEnvelope = envelope;
  }
  return seq === undefined ? `${lastOpen}}\n` : `${lastOpen},"seq":${seq}}\n`;
}

/** A kept hint as a framed newcomer gets it (`earlier`, not numbered): encoded once, let go with the hint. */
const earlierHints = new WeakMap<Envelope, string>();

export function earlierHintText(hint: Envelope): string {
  let text = earlierHints.get(hint);
  if (text === undefined) {
    text = frameText({ ...hint, earlier: true } as Envelope);
    earlierHints.set(hint, text);
  }
  return text;
}
