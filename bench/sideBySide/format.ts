/** Numbers as the report prints them, ratios against a reference, and tables as text and as Markdown. */

const en = (value: number, digits: number): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Two or three significant figures: 58, 9.0, 0.81, 1,250. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const size = Math.abs(value);
  return en(value, size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 1 : 2);
}

export const micros = (us: number): string => (Number.isFinite(us) ? `${figure(us)} µs` : '—');

/** A duration given in microseconds, in µs below a millisecond, in ms below ten seconds, else in s. */
export function duration(us: number): string {
  if (!Number.isFinite(us)) return '—';
  if (us < 1000) return `${figure(us)} µs`;
  if (us < 10_000_000) return `${figure(us / 1000)} ms`;
  return `${figure(us / 1e6)} s`;
}

export const seconds = (us: number): string => (Number.isFinite(us) ? `${figure(us / 1e6)} s` : '—');
export const kilobytes = (bytes: number): string => (Number.isFinite(bytes) ? `${figure(bytes / 1000)} KB` : '—');
export const count = (value: number): string => (Number.isFinite(value) ? en(value, 0) : '—');
export const percent = (share: number): string => (Number.isFinite(share) ? `${en(share * 100, 0)} %` : '—');

/**
 * How a value compares with a reference, as a factor: `×6.4` is 6.4 times the reference's figure.
 * For costs and times, higher is worse. Empty when either is missing.
 */
export function ratio(value: number, reference: number | undefined): string {
  if (reference === undefined || !Number.isFinite(value) || !Number.isFinite(reference) || reference <= 0) return '';
  const factor = value / reference;
  return `×${en(factor, factor >= 10 ? 0 : factor >= 1 ? 1 : 2)}`;
}

/** A value with its ratios to the references: `58 µs (×6.4 / ×7.2)`; the ratios left out where they cannot be. */
export function withRatios(text: string, value: number, references: Array<number | undefined>): string {
  const ratios = references.map((reference) => ratio(value, reference) || '—');
  if (ratios.every((each) => each === '—')) return text;
  return `${text} (${ratios.join(' / ')})`;
}

export interface Table {
  head: string[];
  rows: string[][];
}

/** An aligned text table: the first column left-aligned, the others right-aligned. */
export function textTable(table: Table): string {
  const all = [table.head, ...table.rows];
  const widths = table.head.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? '')].length)));
  const pad = (value: string, column: number) => {
    const fill = ' '.repeat(widths[column]! - [...value].length);
    return column === 0 ? value + fill : fill + value;
  };
  const line = (row: string[]) =>
    table.head
      .map((_, column) => pad(row[column] ?? '', column))
      .join('  ')
      .trimEnd();
  return [line(table.head), widths.map((width) => '-'.repeat(width)).join('  '), ...table.rows.map(line)].join('\n');
}

/** A Markdown table; `|` in a cell is escaped. */
export function markdownTable(table: Table): string {
  const cell = (value: string) => value.replace(/\|/g, '\\|');
  const line = (row: string[]) => `| ${table.head.map((_, column) => cell(row[column] ?? '')).join(' | ')} |`;
  const rule = `|${table.head.map((_, column) => (column === 0 ? '---' : '---:')).join('|')}|`;
  return [line(table.head), rule, ...table.rows.map(line)].join('\n');
}
