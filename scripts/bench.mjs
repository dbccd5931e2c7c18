// Runs every bundled benchmark (out/bench/**/*.bench.js) in its own node process, one after another,
// the side-by-side suite last: its report (docs/benchmarks.md) takes in the result files the others
// leave in out/bench/results/, which are cleared first so that no stale figures get in.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'out', 'bench');
const SIDE_BY_SIDE = join('sideBySide', 'sideBySide.bench.js');
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.bench.js'))
  .sort((a, b) => Number(a === SIDE_BY_SIDE) - Number(b === SIDE_BY_SIDE) || a.localeCompare(b));
if (files.length === 0) {
  console.error(`no benchmarks in ${dir}; build them with: node esbuild.mjs --bench`);
  process.exit(1);
}
rmSync(join(dir, 'results'), { recursive: true, force: true });
let failed = 0;
for (const file of files) {
  console.log(`# ${file}`);
  const result = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
