/**
 * Bytes on the wire as a networking student would want to read them: direction, size, the
 * text with invisible characters made visible, and hex for bytes that are not text.
 */
import { decodeUtf8Strict } from '../../protocol/utf8';

const VISIBLE: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface WireLabels {
  sent: string;
  received: string;
}

export function formatWire(direction: 'in' | 'out', bytes: Uint8Array, labels: WireLabels, maxChars = 2000): string {
  const arrow = direction === 'out' ? `→ ${labels.sent}` : `← ${labels.received}`;
  const text = decodeUtf8Strict(bytes);
  const body =
    text === undefined
      ? `hex ${[...bytes.subarray(0, maxChars / 3)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}${bytes.length > maxChars / 3 ? ' …' : ''}`
      : visible(text.length > maxChars ? `${text.slice(0, maxChars)}…` : text);
  return `${arrow} ${bytes.length} B: ${body}`;
}

function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(
    /[\u0000-\u001f\u007f]/g,
    (char) => VISIBLE[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
