/** Prints benchmark results as an aligned text table, each row compared with its baseline. */

export interface BenchRow {
  operation: string;
  input: string;
  /** Mean time of one call, in microseconds. */
  microsPerCall: number;
  /** The row this one is compared with; a row without one is a baseline itself. */
  baseline?: BenchRow;
}

const COLUMNS = ['operation', 'input', 'ops/s', 'µs/call', 'vs baseline'] as const;

export function formatTable(title: string, rows: BenchRow[]): string {
  const cells = rows.map((row) => [
    row.operation,
    row.input,
    formatNumber(1e6 / row.microsPerCall, 0),
    formatNumber(row.microsPerCall, row.microsPerCall < 10 ? 3 : 1),
    row.baseline ? relative(row.baseline.microsPerCall / row.microsPerCall) : 'baseline',
  ]);
  const widths = COLUMNS.map((heading, column) =>
    Math.max(heading.length, ...cells.map((line) => line[column]!.length)),
  );
  const numeric = (column: number) => column >= 2;
  const line = (values: readonly string[]) =>
    values
      .map((value, column) => (numeric(column) ? value.padStart(widths[column]!) : value.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [title, line(COLUMNS), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

export function printTable(title: string, rows: BenchRow[]): void {
  console.log(`${formatTable(title, rows)}\n`);
}

/** How many times faster (×2.50) or slower (×0.40) than the baseline. */
function relative(speedup: number): string {
  return `×${formatNumber(speedup, speedup >= 100 ? 0 : 2)} ${speedup >= 1 ? 'faster' : 'slower'}`;
}

function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
