/**
 * Whether a measured window was disturbed by something other than the server under test, and by
 * how much, so that the suite can measure it again and keep the least disturbed attempt. A
 * retransmission timeout, a listen backlog overflow or a loopback packet the kernel dropped (a
 * CPU's input queue full, often from other work on the machine) stalls a connection for 200 ms or
 * more; other processes that take more than OTHERS_SHARE of the server's or the generator's core
 * slow both down. Such a window, or a setup that failed, is measured again, up to ATTEMPTS times in
 * all, and the least disturbed attempt is kept (fewest stalls, then least taken by others).
 */
import { count, duration, percent } from './format';
import type { JobResult } from './jobs';
import { stalls } from './netCounters';

export const ATTEMPTS = 3;
export const OTHERS_SHARE = 0.1;
/** The generator not running for longer than this (its core, or the whole machine, taken from it) disturbs a window. */
export const PAUSE_US = 100_000;

export interface Disturbance {
  /** Connections stalled (timeouts, overflows, drops), and generator pauses over PAUSE_US. */
  stalls: number;
  /** The largest share of the server's or the generator's core other processes took. */
  others: number;
}

export function disturbance(result: JobResult): Disturbance {
  if (result.workload === 'idle') {
    // Clients that did not register, or waited for a SYN sent again (an idle run has no window of its own).
    const { listenOverflows, timeouts } = result.registerNet;
    const missing = result.clients - result.registered;
    return { stalls: missing + result.dropped + listenOverflows + timeouts, others: 0 };
  }
  const { net, othersByCoreUs, othersUs, wallUs, generatorPauseUs = 0 } = result.cpu;
  return {
    stalls: stalls(net) + Number(generatorPauseUs > PAUSE_US),
    others: Math.max(...(othersByCoreUs ?? [othersUs])) / wallUs,
  };
}

export const disturbed = (each: Disturbance): boolean => each.stalls > 0 || each.others > OTHERS_SHARE;

export const lessDisturbed = (a: Disturbance, b: Disturbance): boolean =>
  a.stalls !== b.stalls ? a.stalls < b.stalls : a.others < b.others;

/** What disturbed a window, in words for the suite's progress lines. */
export function disturbanceText(result: JobResult): string {
  if (result.workload === 'idle') {
    const { listenOverflows } = result.registerNet;
    return [
      `${count(result.registered)} of ${count(result.clients)} registered`,
      result.dropped && `${count(result.dropped)} dropped by the server`,
      listenOverflows && `${count(listenOverflows)} listen overflows`,
    ]
      .filter(Boolean)
      .join(', ');
  }
  const { net, generatorPauseUs = 0 } = result.cpu;
  const { others } = disturbance(result);
  const parts = [
    generatorPauseUs > PAUSE_US && `the generator did not run for ${duration(generatorPauseUs)}`,
    net.timeouts && `${count(net.timeouts)} TCP retransmission timeouts`,
    net.listenOverflows && `${count(net.listenOverflows)} listen overflows`,
    net.softnetDrops && `${count(net.softnetDrops)} loopback packets dropped`,
    others > OTHERS_SHARE && `other processes took ${percent(others)} of the server's or the generator's core`,
  ].filter(Boolean);
  return parts.join(', ');
}
