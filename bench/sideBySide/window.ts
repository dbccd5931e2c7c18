/**
 * The CPU time the server and the generator spend over a measured window, what others took, the
 * kernel's TCP counters, and the longest the generator went without running at all (its own
 * timers late: a core or a whole machine kept from it).
 */
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
  heartbeat: Heartbeat;
}

/** How often the heartbeat looks at the clock: a gap much longer than this is time the generator did not run. */
const BEAT_MS = 5;

class Heartbeat {
  private last = performance.now();
  longestMs = 0;
  private readonly timer = setInterval(() => {
    const now = performance.now();
    this.longestMs = Math.max(this.longestMs, now - this.last);
    this.last = now;
  }, BEAT_MS);

  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.longestMs, performance.now() - this.last);
  }
}

export function startWindow(job: Job): WindowStart {
  return {
    heartbeat: new Heartbeat(),
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
    generatorPauseUs: start.heartbeat.stop() * 1000,
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
