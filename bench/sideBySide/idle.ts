/**
 * Workload (d), idle connections: `clients` connect and register (at most `window` at once), then
 * stay silent. The time until the last is registered, and the server's resident memory before
 * they came and once it has settled after they all registered.
 */
import { Fleet } from './fleet';
import type { IdleJob, IdleResult } from './jobs';
import { countersSince, readNetCounters } from './netCounters';
import { cpuMicros, rssBytes } from './procStat';
import { sleep } from './window';

const SAMPLE_MS = 250;
/** Settled: two samples in a row within this share of each other, after at least MIN_SETTLE_MS. */
const STEADY = 0.01;
const MIN_SETTLE_MS = 1000;

export async function idle(job: IdleJob): Promise<IdleResult> {
  const rssBeforeBytes = rssBytes(job.serverPid);
  const fleet = new Fleet(job, { message: () => {} });
  const netBefore = readNetCounters();
  const cpuBefore = cpuMicros(job.serverPid, job.ticksPerSecond);
  const registerUs = await fleet.register({ count: job.clients, window: job.window, timeoutMs: 60_000 });
  const registerCpuUs = cpuMicros(job.serverPid, job.ticksPerSecond) - cpuBefore;
  const registerNet = countersSince(netBefore);
  const settleStart = performance.now();
  let previous = rssBytes(job.serverPid);
  let rssAfterBytes = previous;
  while (performance.now() - settleStart < job.settleMs) {
    await sleep(SAMPLE_MS);
    rssAfterBytes = rssBytes(job.serverPid);
    const steady = Math.abs(rssAfterBytes - previous) <= STEADY * previous;
    if (steady && performance.now() - settleStart >= MIN_SETTLE_MS) break;
    previous = rssAfterBytes;
  }
  fleet.close();
  return {
    workload: 'idle',
    clients: job.clients,
    registered: fleet.registered,
    registerUs,
    registerNet,
    registerCpuUs,
    window: job.window,
    rssBeforeBytes,
    rssAfterBytes,
    dropped: fleet.dropped,
  };
}
