/**
 * Bytes on the wire as a networking student would want to read them: direction, size, the
 * text with invisible characters made visible, and hex for bytes that are not text.
 */
import { cut } from '../../protocol/text';
import { decodeUtf8Strict } from '../../protocol/utf8';

const VISIBLE: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface WireLabels {
  sent: string;
  received: string;
}

export function formatWire(direction: 'in' | 'out', bytes: Uint8Array, labels: WireLabels, maxChars = 2000): string {
  const arrow = direction === 'out' ? `→ ${labels.sent}` : `← ${labels.received}`;
  const text = decodeUtf8Strict(bytes);
  const body = text === undefined ? hex(bytes, maxChars / 3) : visible(cut(text, maxChars));
  return `${arrow} ${bytes.length} B: ${body}`;
}

/** Bytes that are not text, as hex: the first `max` of them. */
function hex(bytes: Uint8Array, max: number): string {
  const shown = bytes.subarray(0, max);
  const digits = [...shown].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return `hex ${digits}${bytes.length > shown.length ? ' …' : ''}`;
}

// eslint-disable-next-line no-control-regex -- the control characters are what a trace makes visible
const CONTROLS = /[\u0000-\u001f\u007f]/g;

function visible(text: string): string {
  return text.replace(CONTROLS, (char) => VISIBLE[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
