// Runs every bundled benchmark (out/bench/*.bench.js) in its own node process, one after another.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'out', 'bench');
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.bench.js'))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks in ${dir}; build them with: node esbuild.mjs --bench`);
  process.exit(1);
}
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
