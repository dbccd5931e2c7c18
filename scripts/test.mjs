// Runs the built tests (out/test) in tiers and sums them up: `unit` (pure and in-process, in
// parallel), `integration` (real relay processes, the course's Python programs, netcat, Chromium)
// and `e2e` (real VS Code). A test file's tier is in its name: `*.int.test.ts`, `*.e2e.test.ts`,
// and plain `*.test.ts` for unit. Usage: node scripts/test.mjs [unit|integration|e2e|all] [--list]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = join(root, 'out', 'test');

/** Concurrency of each tier: unit files wait on loopback sockets more than they compute. */
const TIERS = {
  unit: {
    suffix: (file) => !/\.(int|e2e)\.test\.js$/.test(file),
    concurrency: Math.max(4, availableParallelism() * 2),
  },
  integration: { suffix: (file) => file.endsWith('.int.test.js'), concurrency: Math.max(2, availableParallelism()) },
  e2e: { suffix: (file) => file.endsWith('.e2e.test.js'), concurrency: 1 },
};

const args = process.argv.slice(2);
const wanted = args.find((arg) => !arg.startsWith('--')) ?? 'all';
if (wanted !== 'all' && !(wanted in TIERS)) {
  console.error(`Unknown tier "${wanted}": use unit, integration, e2e or all.`);
  process.exit(2);
}
const tiers = wanted === 'all' ? Object.keys(TIERS) : [wanted];

let files;
try {
  files = readdirSync(built, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
} catch {
  console.error(`No built tests in ${relative(root, built)}: run "node esbuild.mjs --tests" first.`);
  process.exit(2);
}

if (args.includes('--list')) {
  for (const tier of tiers)
    for (const file of files.filter(TIERS[tier].suffix)) console.log(`${tier}\t${relative(root, file)}`);
  process.exit(0);
}

/** Runs one tier through node's test runner, passing its TAP through and reading its totals. */
function runTier(tier) {
  const { suffix, concurrency } = TIERS[tier];
  const chosen = files.filter(suffix);
  const started = performance.now();
  const totals = { tier, files: chosen.length, tests: 0, pass: 0, fail: 0, skipped: 0, cancelled: 0, seconds: 0 };
  if (chosen.length === 0) return Promise.resolve(totals);
  console.log(`\n# tier ${tier}: ${chosen.length} files, ${concurrency} at a time`);
  const child = spawn(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=tap', ...chosen],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let pending = '';
  const read = (line) => {
    const total = /^# (tests|pass|fail|skipped|cancelled) (\d+)$/.exec(line);
    if (total) totals[total[1]] = Number(total[2]);
  };
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(read);
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      read(pending);
      totals.seconds = (performance.now() - started) / 1000;
      // A runner that died before its summary has failed, whatever it counted.
      if (code !== 0 && totals.fail === 0 && totals.cancelled === 0) totals.fail = 1;
      resolve(totals);
    });
  });
}

const results = [];
for (const tier of tiers) results.push(await runTier(tier));

const pad = (value, width) => String(value).padStart(width);
console.log('\n# tier          files  tests   pass   fail  skipped      time');
for (const r of results) {
  console.log(
    `# ${r.tier.padEnd(12)} ${pad(r.files, 6)} ${pad(r.tests, 6)} ${pad(r.pass, 6)} ${pad(r.fail + r.cancelled, 6)} ${pad(r.skipped, 8)} ${pad(r.seconds.toFixed(1), 8)} s`,
  );
}
const passed = results.reduce((sum, r) => sum + r.pass, 0);
const failed = results.reduce((sum, r) => sum + r.fail + r.cancelled, 0);
const skipped = results.reduce((sum, r) => sum + r.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
