/** Times a function by running it in batches until enough wall time has passed. */

export interface MeasureOptions {
  /** Wall time to spend measuring, after the warm-up. */
  minMs?: number;
  warmupMs?: number;
}

/** Mean microseconds per call of `run`, from the fastest of several batches. */
export function measure(run: () => unknown, options: MeasureOptions = {}): number {
  const minMs = options.minMs ?? 400;
  spin(run, options.warmupMs ?? 100);
  // Batches long enough that the clock's resolution does not matter; the fastest one counts,
  // since the slower ones were interrupted by garbage collection or other work on the machine.
  let batch = 1;
  while (timeBatch(run, batch) < 5) batch *= 2;
  let best = Infinity;
  const until = performance.now() + minMs;
  while (performance.now() < until) best = Math.min(best, timeBatch(run, batch) / batch);
  return best * 1000;
}

let sink: unknown;

function timeBatch(run: () => unknown, count: number): number {
  const begin = performance.now();
  for (let index = 0; index < count; index++) sink = run();
  return performance.now() - begin;
}

function spin(run: () => unknown, ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) sink = run();
}

/** Keeps results observable so the engine cannot drop the measured calls. */
export function lastResult(): unknown {
  return sink;
}
