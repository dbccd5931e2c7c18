/**
 * Whether a measured window was disturbed by something other than the server under test, and by
 * how much, so that the suite can measure it again and keep the least disturbed attempt. A
 * retransmission timeout, a listen backlog overflow or a loopback packet the kernel dropped (a
 * CPU's input queue full, often from other work on the machine) stalls a connection for 200 ms or
 * more; other processes that take more than OTHERS_SHARE of the server's or the generator's core
 * slow both down. Such a window, or a setup that failed, is measured again, up to ATTEMPTS times in
 * all, and the least disturbed attempt is kept (fewest stalls, then least taken by others).
 */
import { count, percent } from './format';
import type { JobResult } from './jobs';
import { stalls } from './netCounters';

export const ATTEMPTS = 3;
export const OTHERS_SHARE = 0.1;

export interface Disturbance {
  stalls: number;
  /** The largest share of the server's or the generator's core other processes took. */
  others: number;
}

export function disturbance(result: JobResult): Disturbance {
  if (!('cpu' in result)) return { stalls: 0, others: 0 };
  const { net, othersByCoreUs, othersUs, wallUs } = result.cpu;
  return { stalls: stalls(net), others: Math.max(...(othersByCoreUs ?? [othersUs])) / wallUs };
}

export const disturbed = (each: Disturbance): boolean => each.stalls > 0 || each.others > OTHERS_SHARE;

export const lessDisturbed = (a: Disturbance, b: Disturbance): boolean =>
  a.stalls !== b.stalls ? a.stalls < b.stalls : a.others < b.others;

/** What disturbed a window, in words for the suite's progress lines. */
export function disturbanceText(result: JobResult): string {
  if (!('cpu' in result)) return '';
  const { net } = result.cpu;
  const { others } = disturbance(result);
  const parts = [
    net.timeouts && `${count(net.timeouts)} TCP retransmission timeouts`,
    net.listenOverflows && `${count(net.listenOverflows)} listen overflows`,
    net.softnetDrops && `${count(net.softnetDrops)} loopback packets dropped`,
    others > OTHERS_SHARE && `other processes took ${percent(others)} of the server's or the generator's core`,
  ].filter(Boolean);
  return parts.join(', ');
}
