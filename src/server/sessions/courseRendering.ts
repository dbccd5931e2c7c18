/**
 * A message as course clients read it: the sender (with the teacher's marks) on every line, cut
 * into parts their client reads whole. A teacher's hint reaches every course client, and every
 * newcomer gets the kept ones, so a hint is rendered once per form (line-framed or not, and the
 * time it is shown as earlier) and the same text is written to each, for a line-framed client
 * in one write. The parts are text: the connection's output turns a turn's writes into bytes at
 * once.
 */
import { forwardLine, forwardParts, senderLabel, snippetToText } from '../../protocol/course';
import { COURSE_RECV_BYTES } from '../../protocol/limits';
import { timeOfDayForLine } from '../../protocol/lineTime';
import type { Envelope } from '../routing/peer';

/** A hint's renderings by form; let go with the hint. */
const hints = new WeakMap<Envelope, Map<string, string[]>>();

/**
 * What makes a text more than one plain line for a course client: a line break, or a character
 * that forwardParts shows escaped (the controls but the tab, bidi controls; sanitize.ts).
 */
// eslint-disable-next-line no-control-regex -- the controls are what this looks for
const NOT_PLAIN = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * The parts of `envelope` for a course client; `earlier`: a kept hint for a newcomer, shown with
 * the time it was given.
 */
export function courseParts(envelope: Envelope, lineFramed: boolean, earlier = false): string[] {
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

function render(envelope: Envelope, lineFramed: boolean, earlierAt: string | undefined): string[] {
  const code =
    envelope.type === 'snippet' ? envelope.snippet : envelope.type === 'broadcast' ? envelope.snippet : undefined;
  const text = code ? snippetToText(code) : envelope.type === 'snippet' ? '' : envelope.text;
  const teacher = envelope.teacher
    ? { hint: envelope.type === 'broadcast', ...(earlierAt !== undefined ? { earlierAt } : {}) }
    : undefined;
  const label = senderLabel(envelope.from, teacher);
  const line = forwardLine(label, text);
  if (isOnePlainLine(line, text)) return [lineFramed ? `${line}\n` : line];
  const parts = forwardParts(label, text);
  // A line-framed client reads lines, so its parts go in one write; one framing by pauses needs each alone.
  return lineFramed ? [parts.map((part) => `${part}\n`).join('')] : parts;
}

/**
 * Whether `line` (`label: text`) is the one part forwardParts would make of it: a single line with
 * nothing to escape, within one recv() of the course's client. Most chat is, and is written as it is.
 */
function isOnePlainLine(line: string, text: string): boolean {
  return line.length <= COURSE_RECV_BYTES && !NOT_PLAIN.test(text) && Buffer.byteLength(line) <= COURSE_RECV_BYTES;
}
