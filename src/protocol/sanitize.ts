/**
 * Text from the network shown where characters act: a terminal, a log file, a course client's
 * console. C0 and C1 controls move the cursor, recolour or clear a terminal (ESC), or forge a
 * new line (CR, LF); bidi controls reorder what a reader sees. Shown escaped, they are data.
 */
import { cut } from './text';

/** Bidi embeddings, overrides and isolates, marks and the Arabic letter mark. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- the controls are what this module escapes
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(char: string): string {
  return SHORT[char] ?? `\\u{${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`;
}

/** One line for a log or a terminal: every control, line break and bidi control shown as an escape. */
export function escapeControls(text: string): string {
  return text.replace(ESCAPED, escapeOne);
}

/**
 * Several lines for a terminal (a chat message, a snippet's code): line breaks and tabs stay,
 * everything else that acts is escaped. CR alone would move back over the line, so it is shown.
 */
export function escapeControlsKeepLines(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(ESCAPED, (char) => (char === '\n' || char === '\t' ? char : escapeOne(char)));
}

/** A short, quoted, escaped rendering of untrusted text for a log line: at most `max` of its characters. */
export function quoted(text: string, max = 80): string {
  return `"${escapeControls(cut(text, max)).replace(/"/g, '\\"')}"`;
}

export function hasControls(text: string): boolean {
  return new RegExp(ESCAPED.source, 'u').test(text);
}

export function hasBidiControls(text: string): boolean {
  return BIDI.test(text);
}
