/**
 * Workload (d), idle connections: `clients` connect and register (at most `window` at once), then
 * stay silent. The time until the last is registered, and the server's resident memory before
 * they came and the lowest it reaches while they stay idle: a Node or Python process gives back
 * what registering left behind only after some idle seconds (V8's memory reducer), so the first
 * steady reading after a burst is not what an idle relay holds.
 */
import { Fleet } from './fleet';
import type { IdleJob, IdleResult } from './jobs';
import { countersSince, readNetCounters } from './netCounters';
import { cpuMicros, rssBytes } from './procStat';
import { sleep } from './window';

const SAMPLE_MS = 250;

export async function idle(job: IdleJob): Promise<IdleResult> {
  const rssBeforeBytes = rssBytes(job.serverPid);
  const fleet = new Fleet(job, { message: () => {} });
  const netBefore = readNetCounters();
  const cpuBefore = cpuMicros(job.serverPid, job.ticksPerSecond);
  const registerUs = await fleet.register({ count: job.clients, window: job.window, timeoutMs: 60_000 });
  const registerCpuUs = cpuMicros(job.serverPid, job.ticksPerSecond) - cpuBefore;
  const registerNet = countersSince(netBefore);
  const settleStart = performance.now();
  let rssAfterBytes = rssBytes(job.serverPid);
  while (performance.now() - settleStart < job.settleMs) {
    await sleep(SAMPLE_MS);
    rssAfterBytes = Math.min(rssAfterBytes, rssBytes(job.serverPid));
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
