/**
 * The run's tables: the side-by-side summary (one column per server, ratios to ngircd and to the
 * floor) and one detail table per workload. Pure: from the plan and the results to text cells.
 */
import type { CheckCounts } from './checker';
import type { CpuWindow } from './jobs';
import type { NetCounters } from './netCounters';
import { count, duration, figure, kilobytes, micros, percent, seconds, withRatios, type Table } from './format';
import type { Plan } from './plan';
import { outcomes, type Outcome, type ServerRun } from './results';
import { median } from './stats';

type Metric = (run: ServerRun) => Outcome<number> | undefined;

function map<T>(outcome: Outcome<T> | undefined, value: (result: T) => number): Outcome<number> | undefined {
  if (!outcome) return undefined;
  return outcome.ok ? { ok: true, result: value(outcome.result) } : outcome;
}

export const metrics = {
  cpuPerMessage:
    (size: number): Metric =>
    (run) =>
      map(run.closed[size], (result) => result.cpu.serverUs / result.delivered),
  throughput:
    (size: number): Metric =>
    (run) =>
      map(run.closed[size], (result) => result.delivered / (result.cpu.wallUs / 1e6)),
  p99:
    (rate: number): Metric =>
    (run) =>
      map(run.open[rate], (result) => result.latencyUs.p99),
  broadcast: (): Metric => (run) => map(run.broadcast, (result) => median(result.lastUs)),
  memory: (): Metric => (run) =>
    map(run.idle, (result) => (result.rssAfterBytes - result.rssBeforeBytes) / Math.max(1, result.registered)),
  register:
    (clients: number): Metric =>
    (run) =>
      run.idle?.ok && run.idle.result.registered < clients
        ? {
            ok: false,
            failed: true,
            reason: `only ${count(run.idle.result.registered)} of ${count(clients)} registered`,
          }
        : map(run.idle, (result) => result.registerUs),
};

/** All faults of a server's runs added up. */
export function faults(run: ServerRun): CheckCounts {
  const total: CheckCounts = { sent: 0, delivered: 0, lost: 0, corrupted: 0, duplicated: 0, reordered: 0 };
  for (const outcome of outcomes(run))
    if (outcome.ok && 'check' in outcome.result)
      for (const key of Object.keys(total) as Array<keyof CheckCounts>) total[key] += outcome.result.check[key];
  return total;
}

export function faultText(counts: CheckCounts): string {
  const parts = [
    counts.lost && `${count(counts.lost)} lost`,
    counts.corrupted && `${count(counts.corrupted)} corrupted`,
    counts.duplicated && `${count(counts.duplicated)} duplicated`,
    counts.reordered && `${count(counts.reordered)} out of order`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : '0';
}

export interface Summary {
  table: Table;
  notes: string[];
}

export function summaryTable(plan: Plan, runs: ServerRun[]): Summary {
  const ngircd = runs.find((run) => run.kind === 'ngircd');
  const floor = runs.find((run) => run.kind === 'floor');
  const row = (label: string, metric: Metric, text: (value: number) => string): string[] => {
    const reference = (run: ServerRun | undefined) => {
      const outcome = run && metric(run);
      return outcome?.ok ? outcome.result : undefined;
    };
    const references = [reference(ngircd), reference(floor)];
    return [
      label,
      ...runs.map((run) => {
        const outcome = metric(run);
        if (!outcome) return '';
        if (!outcome.ok) return outcome.failed ? 'failed' : '—';
        return withRatios(text(outcome.result), outcome.result, references);
      }),
    ];
  };
  const { closed, open, broadcast, idle } = plan;
  const rows: string[][] = [];
  if (plan.workloads.includes('closed'))
    for (const size of closed.sizes) {
      const loop = `closed loop, ${count(closed.clients)} clients, ${closed.inFlight} in flight, ${count(size)} B`;
      rows.push(row(`server CPU per delivered message, ${loop}`, metrics.cpuPerMessage(size), micros));
      rows.push(row(`delivered msg/s, ${loop}`, metrics.throughput(size), count));
    }
  if (plan.workloads.includes('open'))
    for (const rate of plan.summaryRates.filter((each) => open.rates.includes(each)))
      rows.push(row(`p99 sender → recipient at ${count(rate)} msg/s`, metrics.p99(rate), duration));
  if (plan.workloads.includes('broadcast'))
    rows.push(
      row(
        `one broadcast (a teacher's hint) to ${count(broadcast.recipients)} clients, last receives it (median of ${broadcast.repeats})`,
        metrics.broadcast(),
        duration,
      ),
    );
  if (plan.workloads.includes('idle')) {
    rows.push(row('memory per idle registered connection', metrics.memory(), kilobytes));
    rows.push(row(`${count(idle.clients)} clients connect and register`, metrics.register(idle.clients), seconds));
  }
  rows.push(['messages lost or corrupted (all workloads)', ...runs.map((run) => faultText(faults(run)))]);
  return {
    table: { head: ['', ...runs.map((run) => run.label)], rows },
    notes: [...pauseNote(runs), ...gaps(plan, runs)],
  };
}

function pauseNote(runs: ServerRun[]): string[] {
  const pause = runs.find((run) => run.kind === 'relay-pause');
  return pause
    ? [
        `${pause.label}: one message in flight per client in the closed loop; in the open loop each client sends ` +
          'every 500 ms, so more clients share the rate (see Method)',
      ]
    : [];
}

/** Whether every client of the idle workload registered (true when it did not run). */
export function registeredAll(plan: Plan, run: ServerRun): boolean {
  return !run.idle?.ok || run.idle.result.registered === plan.idle.clients;
}

/** Why a server has no figure for a workload: one line per workload it was not run for or failed in. */
export function gaps(plan: Plan, runs: ServerRun[]): string[] {
  const notes: string[] = [];
  for (const run of runs) {
    const named: Array<[string, Outcome<unknown> | undefined]> = [
      ...plan.closed.sizes.map((size): [string, Outcome<unknown> | undefined] => [
        `closed loop ${count(size)} B`,
        run.closed[size],
      ]),
      ...plan.open.rates.map((rate): [string, Outcome<unknown> | undefined] => [
        `open loop ${count(rate)} msg/s`,
        run.open[rate],
      ]),
      ['broadcast', run.broadcast],
      ['idle connections', run.idle],
    ];
    for (const [what, outcome] of named)
      if (outcome && !outcome.ok)
        notes.push(`${run.label}, ${what}: ${outcome.failed ? 'failed: ' : ''}${outcome.reason}`);
    if (!registeredAll(plan, run))
      notes.push(`${run.label}, idle connections: failed: not all clients registered within the time allowed`);
  }
  return notes;
}

/**
 * A window's segments sent again, how many of them after a timeout (a stall), and loopback drops;
 * dashes for results kept before they were counted.
 */
const netCells = (net: NetCounters | undefined): string[] =>
  net ? [count(net.retransmits), count(net.timeouts), count(net.softnetDrops)] : ['—', '—', '—'];

/**
 * The CPU other processes spent in a window, as a share of one core: on the server's core and on the
 * generator's when they are pinned, else on all; a dash for results kept before it was measured.
 */
function others(cpu: CpuWindow): string {
  if ((cpu.othersUs as number | undefined) === undefined) return '—';
  if (!cpu.othersByCoreUs) return percent(cpu.othersUs / cpu.wallUs);
  const [server, generator] = cpu.othersByCoreUs;
  return `${percent(server / cpu.wallUs)} / ${percent(generator / cpu.wallUs)}`;
}

/** The cells of one outcome: its figures, or a dash (not run: see the notes) or `failed` in each. */
const cell = <T>(outcome: Outcome<T> | undefined, text: (result: T) => string[], width: number): string[] =>
  !outcome ? [] : outcome.ok ? text(outcome.result) : Array<string>(width).fill(outcome.failed ? 'failed' : '—');

export function closedTable(plan: Plan, runs: ServerRun[]): Table {
  const head = [
    'server',
    'size',
    'delivered msg/s',
    'server CPU/msg',
    'server CPU',
    'generator CPU',
    'generator CPU/msg',
    'to recipient p50',
    'to recipient p99',
    'ack p50 / p99',
    'other processes CPU (server core / generator core)',
    'generator paused at most',
    'TCP retransmits',
    'TCP timeouts',
    'loopback drops',
  ];
  const rows = plan.closed.sizes.flatMap((size) =>
    runs
      .filter((run) => run.closed[size])
      .map((run) => [
        run.label,
        `${count(size)} B`,
        ...cell(
          run.closed[size],
          (result) => [
            count(result.delivered / (result.cpu.wallUs / 1e6)),
            micros(result.cpu.serverUs / result.delivered),
            percent(result.cpu.serverUs / result.cpu.wallUs),
            percent(result.cpu.generatorUs / result.cpu.wallUs),
            micros(result.cpu.generatorUs / result.delivered),
            ...(result.toRecipientUs
              ? [duration(result.toRecipientUs.p50), duration(result.toRecipientUs.p99)]
              : ['—', '—']),
            result.ackUs ? `${duration(result.ackUs.p50)} / ${duration(result.ackUs.p99)}` : '—',
            others(result.cpu),
            result.cpu.generatorPauseUs === undefined ? '—' : duration(result.cpu.generatorPauseUs),
            ...netCells(result.cpu.net),
          ],
          13,
        ),
      ]),
  );
  return { head, rows };
}

export function openTable(plan: Plan, runs: ServerRun[]): Table {
  const head = [
    'server',
    'offered msg/s',
    'clients',
    'delivered',
    'p50',
    'p99',
    'max',
    'send lag p99',
    'server CPU',
    'generator CPU',
    'other processes CPU (server core / generator core)',
    'generator paused at most',
    'TCP retransmits',
    'TCP timeouts',
    'loopback drops',
  ];
  const rows = plan.open.rates.flatMap((rate) =>
    runs
      .filter((run) => run.open[rate])
      .map((run) => [
        run.label,
        count(rate),
        ...cell(
          run.open[rate],
          (result) => [
            (result.clients as number | undefined) === undefined ? '—' : count(result.clients),
            count(result.delivered),
            duration(result.latencyUs.p50),
            duration(result.latencyUs.p99),
            duration(result.latencyUs.max),
            duration(result.sendLagUs.p99),
            percent(result.cpu.serverUs / result.cpu.wallUs),
            percent(result.cpu.generatorUs / result.cpu.wallUs),
            others(result.cpu),
            result.cpu.generatorPauseUs === undefined ? '—' : duration(result.cpu.generatorPauseUs),
            ...netCells(result.cpu.net),
          ],
          13,
        ),
      ]),
  );
  return { head, rows };
}

export function broadcastTable(runs: ServerRun[]): Table {
  const head = [
    'server',
    'median',
    'fastest',
    'slowest',
    'server CPU per broadcast',
    'registering (and joining)',
    'listen overflows registering',
    'TCP timeouts broadcasting',
  ];
  const rows = runs
    .filter((run) => run.broadcast)
    .map((run) => [
      run.label,
      ...cell(
        run.broadcast,
        (result) => [
          duration(median(result.lastUs)),
          duration(Math.min(...result.lastUs)),
          duration(Math.max(...result.lastUs)),
          duration(result.cpu.serverUs / Math.max(1, result.lastUs.length)),
          seconds(result.setupUs),
          result.setupNet ? count(result.setupNet.listenOverflows) : '—',
          netCells(result.cpu.net)[1]!,
        ],
        7,
      ),
    ]);
  return { head, rows };
}

export function idleTable(runs: ServerRun[]): Table {
  const head = [
    'server',
    'registered',
    'at once',
    'time',
    'server CPU per registration',
    'listen overflows',
    'SYNs sent again',
    'RSS before',
    'RSS after',
    'per connection',
    'dropped',
  ];
  const rows = runs
    .filter((run) => run.idle)
    .map((run) => [
      run.label,
      ...cell(
        run.idle,
        (result) => [
          count(result.registered),
          result.window ? count(result.window) : '—',
          seconds(result.registerUs),
          result.registerCpuUs === undefined ? '—' : micros(result.registerCpuUs / Math.max(1, result.registered)),
          result.registerNet ? count(result.registerNet.listenOverflows) : '—',
          result.registerNet ? count(result.registerNet.synRetransmits) : '—',
          `${figure(result.rssBeforeBytes / 1e6)} MB`,
          `${figure(result.rssAfterBytes / 1e6)} MB`,
          kilobytes((result.rssAfterBytes - result.rssBeforeBytes) / Math.max(1, result.registered)),
          count(result.dropped),
        ],
        10,
      ),
    ]);
  return { head, rows };
}

export function checksTable(runs: ServerRun[]): Table {
  const head = ['server', 'sent', 'delivered', 'lost', 'corrupted', 'duplicated', 'out of order', 'dropped', 'refused'];
  const rows = runs.map((run) => {
    const total = faults(run);
    let dropped = 0;
    let refused = 0;
    for (const outcome of outcomes(run))
      if (outcome.ok) {
        dropped += outcome.result.dropped;
        if ('refused' in outcome.result) refused += outcome.result.refused;
      }
    return [
      run.label,
      ...[
        total.sent,
        total.delivered,
        total.lost,
        total.corrupted,
        total.duplicated,
        total.reordered,
        dropped,
        refused,
      ].map(count),
    ];
  });
  return { head, rows };
}
