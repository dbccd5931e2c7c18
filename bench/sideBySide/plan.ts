/**
 * What one run of the suite does: which servers, which workloads with which sizes and durations,
 * and where the report goes. `BENCH_QUICK=1` runs a short pass (a few seconds per workload);
 * `BENCH_SERVERS` and `BENCH_WORKLOADS` (comma-separated) choose some; `BENCH_REPORT_DIR` writes
 * the report elsewhere than docs/; `BENCH_SIZES` (comma-separated bytes) chooses the closed loop's
 * message sizes; `BENCH_FLOOR_FAULT=drop|corrupt` breaks the floor on purpose; `BENCH_REPORT_ONLY=1`
 * writes the report of the last run again without measuring.
 */
import { join } from 'node:path';

export const SERVER_KINDS = ['course', 'ngircd', 'floor', 'relay-line', 'relay-pause', 'relay-framed'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const WORKLOADS = ['closed', 'open', 'broadcast', 'idle'] as const;
export type Workload = (typeof WORKLOADS)[number];

export type FloorFault = 'none' | 'drop' | 'corrupt';

export interface Plan {
  quick: boolean;
  servers: ServerKind[];
  workloads: Workload[];
  closed: { clients: number; inFlight: number; sizes: number[]; warmupMs: number; windowMs: number };
  open: { clients: number; size: number; rates: number[]; warmupMs: number; windowMs: number };
  broadcast: { recipients: number; repeats: number; size: number };
  idle: { clients: number; settleMs: number };
  /**
   * Registrations under way at once at most, in every workload's setup; fewer when the server's
   * listen backlog is shorter (ngircd's is 10), so that no connection waits for a SYN sent again.
   */
  registering: number;
  /** The rates whose p99 the summary shows. */
  summaryRates: number[];
  reportDir: string;
  floorFault: FloorFault;
  seed: number;
}

function pick<T extends string>(value: string | undefined, all: readonly T[], what: string): T[] {
  if (!value) return [...all];
  const chosen = value.split(',').map((each) => each.trim());
  for (const each of chosen)
    if (!all.includes(each as T)) throw new Error(`unknown ${what} "${each}" (${all.join(', ')})`);
  return all.filter((each) => chosen.includes(each));
}

/**
 * The clients of an open loop at `rate` msg/s whose clients leave `paceMs` between their messages:
 * the plan's clients, or as many more as the pace needs to offer the rate.
 */
export function openClients(plan: Plan, rate: number, paceMs: number): number {
  return Math.max(plan.open.clients, Math.ceil((rate * paceMs) / 1000));
}

export function makePlan(env: NodeJS.ProcessEnv, root: string): Plan {
  const quick = env.BENCH_QUICK === '1';
  const fault = env.BENCH_FLOOR_FAULT ?? 'none';
  if (fault !== 'none' && fault !== 'drop' && fault !== 'corrupt') throw new Error(`BENCH_FLOOR_FAULT=${fault}?`);
  return {
    quick,
    servers: pick(env.BENCH_SERVERS, SERVER_KINDS, 'server'),
    workloads: pick(env.BENCH_WORKLOADS, WORKLOADS, 'workload'),
    closed: {
      clients: 100,
      inFlight: 16,
      sizes: env.BENCH_SIZES ? env.BENCH_SIZES.split(',').map(Number) : [64, 1000],
      warmupMs: quick ? 300 : 1000,
      windowMs: quick ? 1000 : 5000,
    },
    open: {
      clients: 100,
      size: 64,
      rates: quick ? [1000, 5000] : [500, 1000, 2000, 5000, 10_000],
      warmupMs: quick ? 300 : 1000,
      windowMs: quick ? 1000 : 4000,
    },
    broadcast: { recipients: quick ? 200 : 1000, repeats: quick ? 3 : 10, size: 64 },
    idle: { clients: quick ? 1000 : 5000, settleMs: quick ? 1500 : 30000 },
    registering: 64,
    summaryRates: [1000, 5000],
    reportDir: env.BENCH_REPORT_DIR ?? join(root, 'docs'),
    floorFault: fault,
    seed: 19,
  };
}
