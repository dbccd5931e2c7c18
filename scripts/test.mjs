// The test suite in tiers, each step timed and summed up at the end:
//   unit         pure and in-process tests (an in-process relay on 127.0.0.1 counts), in parallel
//   integration  real relay processes, the course's Python programs, netcat, Chromium
//   e2e          real VS Code (code-server)
// A test file's tier is in its name: `*.int.test.ts`, `*.e2e.test.ts`, and plain `*.test.ts` for unit.
// `all` first lints (eslint, prettier) and type-checks, then builds, packages and runs every tier.
// Usage: node scripts/test.mjs [unit|integration|e2e|all] [--list]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = join(root, 'out', 'test');
const cores = availableParallelism();

/** Unit files wait on loopback sockets far more than they compute, so they run more at a time than there are cores. */
const TIERS = {
  unit: { matches: (file) => !/\.(int|e2e)\.test\.js$/.test(file), concurrency: Math.max(4, cores * 2) },
  integration: { matches: (file) => file.endsWith('.int.test.js'), concurrency: Math.max(2, cores) },
  e2e: { matches: (file) => file.endsWith('.e2e.test.js'), concurrency: 1 },
};

const npx = (...args) => ['npx', '--no-install', ...args];
const STEPS = {
  eslint: npx('eslint', '.'),
  prettier: npx('prettier', '--check', '--log-level', 'warn', '.'),
  typecheck: ['npm', 'run', '--silent', 'typecheck'],
  build: [process.execPath, 'esbuild.mjs', '--tests'],
  package: ['npm', 'run', '--silent', 'package'],
};
const PLAN = {
  all: { steps: ['eslint', 'prettier', 'typecheck', 'build', 'package'], tiers: ['unit', 'integration', 'e2e'] },
  unit: { steps: ['build'], tiers: ['unit'] },
  integration: { steps: ['build'], tiers: ['integration'] },
  e2e: { steps: ['build', 'package'], tiers: ['e2e'] },
};

const args = process.argv.slice(2);
const wanted = args.find((arg) => !arg.startsWith('--')) ?? 'all';
const plan = PLAN[wanted];
if (!plan) {
  console.error(`Unknown tier "${wanted}": use unit, integration, e2e or all.`);
  process.exit(2);
}

const seconds = (since) => (performance.now() - since) / 1000;

/** Runs a command with the terminal's output; resolves to its exit code. */
function run(command, options = {}) {
  const child = spawn(command[0], command.slice(1), { cwd: root, stdio: 'inherit', ...options });
  return new Promise((resolve) => {
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function builtTests() {
  return readdirSync(built, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** Runs one tier through node's test runner, passing its TAP through and reading its totals. */
function runTier(tier, files) {
  const { concurrency } = TIERS[tier];
  const started = performance.now();
  const totals = { tier, files: files.length, tests: 0, pass: 0, fail: 0, skipped: 0, cancelled: 0, seconds: 0 };
  if (files.length === 0) return Promise.resolve(totals);
  console.log(`\n# tier ${tier}: ${files.length} files, ${concurrency} at a time`);
  const child = spawn(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=tap', ...files],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
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
      totals.seconds = seconds(started);
      // A runner that ended badly without counting a failure has failed all the same.
      if (code !== 0 && totals.fail === 0 && totals.cancelled === 0) totals.fail = 1;
      resolve(totals);
    });
  });
}

if (args.includes('--list')) {
  for (const tier of plan.tiers)
    for (const file of builtTests().filter(TIERS[tier].matches)) console.log(`${tier}\t${relative(root, file)}`);
  process.exit(0);
}

const steps = [];
for (const step of plan.steps) {
  console.log(`\n# step ${step}: ${STEPS[step].join(' ')}`);
  const started = performance.now();
  const code = await run(STEPS[step]);
  steps.push({ step, seconds: seconds(started), ok: code === 0 });
  if (code !== 0) {
    console.error(`\n# step ${step} failed (exit ${code}); the tests did not run.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const files = builtTests();
const results = [];
for (const tier of plan.tiers) results.push(await runTier(tier, files.filter(TIERS[tier].matches)));

const pad = (value, width) => String(value).padStart(width);
console.log('\n# step            time');
for (const s of steps) console.log(`# ${s.step.padEnd(12)} ${pad(s.seconds.toFixed(1), 6)} s`);
console.log('# tier          files  tests   pass   fail  skipped     time');
for (const r of results) {
  const failed = r.fail + r.cancelled;
  console.log(
    `# ${r.tier.padEnd(12)} ${pad(r.files, 6)} ${pad(r.tests, 6)} ${pad(r.pass, 6)} ${pad(failed, 6)} ${pad(r.skipped, 8)} ${pad(r.seconds.toFixed(1), 7)} s`,
  );
}
const passed = results.reduce((sum, r) => sum + r.pass, 0);
const failed = results.reduce((sum, r) => sum + r.fail + r.cancelled, 0);
const skipped = results.reduce((sum, r) => sum + r.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
