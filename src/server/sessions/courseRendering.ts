/**
 * A message as course clients read it: the sender (with the teacher's marks) on every line, cut
 * into parts their client reads whole. A teacher's hint reaches every course client, and every
 * newcomer gets the kept ones, so a hint is rendered once per form (line-framed or not, and the
 * time it is shown as earlier) and the same bytes are written to each, for a line-framed client
 * in one write.
 */
import { forwardParts, senderLabel, snippetToText } from '../../protocol/course';
import { timeOfDayForLine } from '../../protocol/lineTime';
import { encodeUtf8 } from '../../protocol/utf8';
import type { Envelope } from '../routing/peer';

/** A hint's renderings by form; let go with the hint. */
const hints = new WeakMap<Envelope, Map<string, Uint8Array[]>>();

/**
 * The parts of `envelope` for a course client; `earlier`: a kept hint for a newcomer, shown with
 * the time it was given.
 */
export function courseParts(envelope: Envelope, lineFramed: boolean, earlier = false): Uint8Array[] {
  if (envelope.type !== 'broadcast') return render(envelope, lineFramed, undefined);
  // The time of day is worked out each time: "today" becomes another day at midnight.
  const earlierAt = envelope.teacher && (earlier || envelope.earlier) ? timeOfDayForLine(envelope.at) : undefined;
  const form = `${lineFramed ? 'line' : 'pause'}\u0000${earlierAt ?? ''}`;
  let forms = hints.get(envelope);
  if (!forms) {
    forms = new Map();
    hints.set(envelope, forms);
  }
  let parts = forms.get(form);
  if (!parts) {
    parts = render(envelope, lineFramed, earlierAt);
    forms.set(form, parts);
  }
  return parts;
}

function render(envelope: Envelope, lineFramed: boolean, earlierAt: string | undefined): Uint8Array[] {
  const code =
    envelope.type === 'snippet' ? envelope.snippet : envelope.type === 'broadcast' ? envelope.snippet : undefined;
  const text = code ? snippetToText(code) : envelope.type === 'snippet' ? '' : envelope.text;
  const teacher = envelope.teacher
    ? { hint: envelope.type === 'broadcast', ...(earlierAt !== undefined ? { earlierAt } : {}) }
    : undefined;
  const parts = forwardParts(senderLabel(envelope.from, teacher), text);
  // A line-framed client reads lines, so its parts go in one write; one framing by pauses needs each alone.
  return lineFramed ? [encodeUtf8(parts.map((part) => `${part}\n`).join(''))] : parts.map((part) => encodeUtf8(part));
}
