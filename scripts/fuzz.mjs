// The long network fuzz run: the same harness as test/server/networkFuzz.int.test.ts, for minutes.
//   npm run fuzz [-- --duration SECONDS] [--seed N]
// Defaults: 300 s, the fixed seed, and both rounds of attackers and invariants
// (FUZZ_ROUND_TWO=0 leaves the second out, as in the test). Environment variables of the test (FUZZ_RSS_LIMIT_MB,
// FUZZ_FLOOD_MB, FUZZ_SERVE_ARGS, FUZZ_RELAY_CLI, FUZZ_ONLY) are passed on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.FUZZ_DURATION_S ?? '300' },
    seed: { type: 'string', default: process.env.FUZZ_SEED },
  },
});
const test = join(import.meta.dirname, '..', 'out', 'test', 'server', 'networkFuzz.int.test.js');
if (!existsSync(test)) {
  console.error(`${test} is missing; build it with: node esbuild.mjs --tests`);
  process.exit(1);
}
const env = { ...process.env, FUZZ_DURATION_S: values.duration };
if (values.seed !== undefined) env.FUZZ_SEED = values.seed;
console.log(`network fuzz for ${values.duration} s${values.seed === undefined ? '' : `, seed ${values.seed}`}`);
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', test], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
