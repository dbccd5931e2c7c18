/**
 * The seed of a fuzz run: fixed by default so a run repeats, FUZZ_SEED to choose another
 * (FUZZ_SEED=random picks one and prints it). Every failure names the seed that reproduces it.
 */
export function fuzzSeed(): number {
  const chosen = process.env.FUZZ_SEED;
  if (chosen === undefined || chosen === '') return DEFAULT_SEED;
  if (chosen === 'random') return (Math.random() * 0x7fffffff) | 0;
  const seed = Number(chosen);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FUZZ_SEED must be an integer or "random", not ${JSON.stringify(chosen)}`);
  return seed;
}

const DEFAULT_SEED = 20261125;

export const reproduceWith = (seed: number): string => `FUZZ_SEED=${seed} reproduces this run`;
