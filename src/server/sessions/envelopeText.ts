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
    lastOpen = messageJsonOpen(envelope) ?? JSON.stringify(envelope).slice(0, -1);
    lastEnvelope = envelope;
  }
  return seq === undefined ? `${lastOpen}}\n` : `${lastOpen},"seq":${seq}}\n`;
}

/** A direct message's keys in the order the relay makes them (framedRequests, courseSession; hub adds `teacher`). */
const MESSAGE_KEYS = ['type', 'from', 'text', 'at', 'id', 'teacher'];

/**
 * A direct message's JSON without its closing brace, written field by field, as JSON.stringify
 * writes it (its strings quoted by JSON.stringify): every message is one, and this is about twice
 * as fast. Undefined for any other envelope, or a message of another shape, which go the long way.
 */
function messageJsonOpen(envelope: Envelope): string | undefined {
  if (envelope.type !== 'message') return undefined;
  let keys = 0;
  for (const key in envelope) if (key !== MESSAGE_KEYS[keys++]) return undefined;
  const { from, text, at, id, teacher } = envelope;
  if (keys < 4 || typeof from !== 'string' || typeof text !== 'string' || typeof at !== 'string') return undefined;
  if (keys > 4 && typeof id !== 'string') return undefined;
  if (keys > 5 && teacher !== true) return undefined;
  const head = `{"type":"message","from":${JSON.stringify(from)},"text":${JSON.stringify(text)},"at":${JSON.stringify(at)}`;
  return keys === 4 ? head : `${head},"id":${JSON.stringify(id)}${keys === 6 ? ',"teacher":true' : ''}`;
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
