/**
 * Writes the run's report: the terminal's text tables, and docs/benchmarks.md with the machine, the
 * versions, the command, the tables, the method, the latency chart (docs/benchmarks/latency.svg)
 * and a section for each result file other suites left in out/bench/results/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, markdownTable, textTable, type Table } from './format';
import type { Machine } from './machine';
import { methodNotes } from './method';
import type { Plan } from './plan';
import type { ServerRun } from './results';
import { broadcastTable, checksTable, closedTable, idleTable, openTable, summaryTable } from './summary';
import { lineChart } from './svg';

export interface ResultFile {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export const RATIO_LEGEND =
  'In brackets: the ratio to ngircd and to the bare forwarder (the floor) in the same run ' +
  '(×2.0: twice their figure; for costs and times lower is better).';

interface Section {
  title: string;
  table: Table;
  notes?: string[];
}

export function sections(plan: Plan, runs: ServerRun[]): Section[] {
  const summary = summaryTable(plan, runs);
  const list: Section[] = [{ title: 'Side by side', table: summary.table, notes: [RATIO_LEGEND, ...summary.notes] }];
  if (plan.workloads.includes('closed')) list.push({ title: 'Closed loop', table: closedTable(plan, runs) });
  if (plan.workloads.includes('open'))
    list.push({ title: 'Open loop: latency sender → recipient', table: openTable(plan, runs) });
  if (plan.workloads.includes('broadcast'))
    list.push({ title: `Broadcast to ${count(plan.broadcast.recipients)} clients`, table: broadcastTable(runs) });
  if (plan.workloads.includes('idle'))
    list.push({ title: `${count(plan.idle.clients)} idle connections`, table: idleTable(runs) });
  list.push({ title: 'Checks (all workloads)', table: checksTable(runs) });
  return list;
}

export function terminalReport(plan: Plan, runs: ServerRun[]): string {
  return sections(plan, runs)
    .map((section) => [`## ${section.title}`, textTable(section.table), ...(section.notes ?? [])].join('\n'))
    .join('\n\n');
}

export function latencyChart(plan: Plan, runs: ServerRun[]): string {
  return lineChart({
    title: 'p99 latency sender → recipient against offered load',
    xLabel: `offered load (messages per second, ${count(plan.open.clients)} clients, ${plan.open.size} B)`,
    yLabel: 'p99 latency (ms)',
    xTicks: plan.open.rates,
    formatX: count,
    formatY: (ms) => String(ms),
    series: runs.map((run) => ({
      name: run.label,
      points: plan.open.rates.flatMap((rate) => {
        const outcome = run.open[rate];
        return outcome?.ok ? [{ x: rate, y: outcome.result.latencyUs.p99 / 1000 }] : [];
      }),
    })),
  });
}

/** The result files other suites left, in name order; a file that is not one is reported as such. */
export function otherResults(dir: string): Array<ResultFile & { file: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      try {
        const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ResultFile;
        if (typeof parsed.title !== 'string' || !Array.isArray(parsed.columns) || !Array.isArray(parsed.rows))
          throw new Error('not { title, columns, rows }');
        return { ...parsed, file };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { file, title: file, columns: ['problem'], rows: [[`unreadable: ${reason}`]] };
      }
    });
}

export interface ReportInput {
  plan: Plan;
  runs: ServerRun[];
  machine: Machine;
  command: string;
  others: Array<ResultFile & { file: string }>;
  passed: boolean;
}

export function markdownReport(input: ReportInput): string {
  const { plan, runs, machine } = input;
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench.mjs, bench/sideBySide/): our relay side by side with the course relay,',
    'ngircd and a bare Node forwarder (the floor), under the same load in one run. Run it again to measure this',
    'machine; `BENCH_QUICK=1 npm run bench` makes a short pass for development (these figures are not from one).',
    '',
    '## Machine and versions',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memory}; ${machine.kernel}`,
    `- Node ${machine.node}; ${machine.python}; ngircd ${machine.ngircd}`,
    `- Pinning: ${machine.pinning}`,
    ...(machine.network ? [`- Network: ${machine.network}`] : []),
    ...(machine.load ? [`- Load average (1, 5, 15 min) when the report was written: ${machine.load}`] : []),
    `- Command: \`${input.command}\`${plan.quick ? ' (quick pass)' : ''}`,
    `- Checks: ${input.passed ? 'passed' : 'FAILED'}`,
    '',
  ];
  for (const section of sections(plan, runs)) {
    lines.push(`## ${section.title}`, '', markdownTable(section.table), '');
    for (const note of section.notes ?? []) lines.push(`- ${note}`);
    if (section.notes?.length) lines.push('');
    if (section.title.startsWith('Open loop'))
      lines.push('![p99 latency against offered load, one line per server](benchmarks/latency.svg)', '');
  }
  lines.push('## Method', '', ...methodNotes(plan).map((note) => `- ${note}`), '');
  for (const other of input.others) {
    lines.push(`## ${other.title}`, '', `From \`out/bench/results/${other.file}\`.`, '');
    lines.push(markdownTable({ head: other.columns, rows: other.rows }), '');
    for (const note of other.notes ?? []) lines.push(`- ${note}`);
    if (other.notes?.length) lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function writeReport(input: ReportInput): { markdown: string; svg: string } {
  mkdirSync(join(input.plan.reportDir, 'benchmarks'), { recursive: true });
  const markdown = join(input.plan.reportDir, 'benchmarks.md');
  const svg = join(input.plan.reportDir, 'benchmarks', 'latency.svg');
  writeFileSync(markdown, markdownReport(input));
  writeFileSync(svg, latencyChart(input.plan, input.runs));
  return { markdown, svg };
}
