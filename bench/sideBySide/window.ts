/** The CPU time the server and the generator spend over a measured window. */
import type { CpuWindow, Job } from './jobs';
import { countersSince, readNetCounters, type NetCounters } from './netCounters';
import { cpuMicros, machineBusyMicros, ownCpuMicros } from './procStat';
import { GENERATOR_CORE, pinned, SERVER_CORE } from './spawn';

export interface WindowStart {
  server: number;
  generator: number;
  wall: number;
  busy: { all: number; cores: number[] };
  net: NetCounters;
}

export function startWindow(job: Job): WindowStart {
  return {
    server: cpuMicros(job.serverPid, job.ticksPerSecond),
    generator: ownCpuMicros(),
    wall: performance.now(),
    busy: machineBusyMicros(job.ticksPerSecond),
    net: readNetCounters(),
  };
}

export function endWindow(job: Job, start: WindowStart): CpuWindow {
  const serverUs = cpuMicros(job.serverPid, job.ticksPerSecond) - start.server;
  const generatorUs = ownCpuMicros() - start.generator;
  const busy = machineBusyMicros(job.ticksPerSecond);
  const onCore = (core: number) => (busy.cores[core] ?? 0) - (start.busy.cores[core] ?? 0);
  // Clock ticks round each figure a little differently: a small negative rest is none.
  const rest = (busyUs: number, ours: number) => Math.max(0, busyUs - ours);
  return {
    serverUs,
    generatorUs,
    othersUs: rest(busy.all - start.busy.all, serverUs + generatorUs),
    ...(pinned()
      ? {
          othersByCoreUs: [rest(onCore(SERVER_CORE), serverUs), rest(onCore(GENERATOR_CORE), generatorUs)] as [
            number,
            number,
          ],
        }
      : {}),
    wallUs: (performance.now() - start.wall) * 1000,
    net: countersSince(start.net),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds, looking every 10 ms, for at most `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/** Microseconds of the generator's clock, as message bodies carry them. */
export const nowUs = (): number => performance.now() * 1000;
