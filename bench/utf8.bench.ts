/**
 * splitUtf8 and utf8Length against the implementations they replaced, which encoded every
 * character with a TextEncoder. Inputs: German course text with umlauts and emoji.
 */
import { deepStrictEqual } from 'node:assert';
import { COURSE_RECV_BYTES } from '../src/protocol/limits';
import { splitUtf8, utf8Length } from '../src/protocol/utf8';
import { measure } from './measure';
import { printTable, type BenchRow } from './table';

// ---- baseline: the implementations before this change, kept verbatim for comparison ----

const baselineEncoder = new TextEncoder();

function baselineUtf8Length(text: string): number {
  return baselineEncoder.encode(text).length;
}

function baselineSplitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError(`maxBytes must be at least 4, got ${maxBytes}`);
  const parts: string[] = [];
  let part = '';
  let partBytes = 0;
  let lastBreak = -1;
  for (const char of text) {
    const bytes = baselineUtf8Length(char);
    if (partBytes + bytes > maxBytes) {
      const tail = lastBreak > 0 && lastBreak >= part.length / 2 ? part.slice(lastBreak) : '';
      const tailBytes = baselineUtf8Length(tail);
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

// ---- inputs ----

const PARAGRAPH =
  'Grüezi mitenand! Für die Übung öffnet ihr eine Verbindung zum Server auf Port 12345, ' +
  'schickt zuerst euren Namen und danach „Empfänger:Text“. Schöne Grüsse 👋🙂 – äöü ÄÖÜ ß. ' +
  'Wer fertig ist, hilft bitte den anderen 🚀\n';

/** German text of exactly `bytes` UTF-8 bytes or one character less, cut at a character. */
function germanText(bytes: number): string {
  let text = '';
  while (baselineUtf8Length(text) < bytes) text += PARAGRAPH;
  let cut = '';
  let used = 0;
  for (const char of text) {
    const size = baselineUtf8Length(char);
    if (used + size > bytes) break;
    cut += char;
    used += size;
  }
  return cut;
}

const inputs = [
  { label: '16 KB German', text: germanText(16 * 1024) },
  { label: '1 KB German', text: germanText(1024) },
];
/** Room for the text in one `Sender: text` line to a course client. */
const room = COURSE_RECV_BYTES - baselineUtf8Length('Lehrperson: ');

const rows: BenchRow[] = [];
function compare(
  operation: string,
  baselineName: string,
  input: string,
  baseline: () => unknown,
  current: () => unknown,
): void {
  const base: BenchRow = {
    operation: `${operation}, baseline: ${baselineName}`,
    input,
    microsPerCall: measure(baseline),
  };
  rows.push(base, { operation, input, microsPerCall: measure(current), baseline: base });
}

for (const { label, text } of inputs) {
  compare(
    `splitUtf8(text, ${room})`,
    'TextEncoder per character',
    label,
    () => baselineSplitUtf8(text, room),
    () => splitUtf8(text, room),
  );
}
const lengths = [
  { label: 'name "Zoë"', text: 'Zoë' },
  { label: '60 B line', text: 'Hallo Bob 👋 schöne Grüsse aus Zürich, bis später! 🙂' },
  { label: '250 B line', text: germanText(250) },
  ...inputs,
];
// The new code must give the old results, or the comparison means nothing.
for (const { text } of inputs) {
  for (const maxBytes of [4, 7, 64, 333, room])
    deepStrictEqual(splitUtf8(text, maxBytes), baselineSplitUtf8(text, maxBytes));
}
for (const { text } of lengths) deepStrictEqual(utf8Length(text), baselineUtf8Length(text));

for (const { label, text } of lengths) {
  compare(
    'utf8Length(text)',
    'TextEncoder',
    label,
    () => baselineUtf8Length(text),
    () => utf8Length(text),
  );
}

printTable('UTF-8 splitting and counting (src/protocol/utf8.ts)', rows);
console.log(
  'utf8Length above 192 UTF-16 units encodes with TextEncoder as the baseline does: those rows show the noise of this run.\n',
);
