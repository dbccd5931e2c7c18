import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths';

const SUITE = join(ROOT, 'out', 'bench', 'sideBySide', 'sideBySide.bench.js');

before(() => {
  // The suite and its generator are bench bundles, which the test build does not make.
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--bench'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(built.status, 0);
});

/** Runs the suite in its quick form with `env`, its report in a folder of its own. */
async function suite(env: Record<string, string>): Promise<{ code: number | null; output: string; report: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'side-by-side-test-'));
  try {
    const child = spawn(process.execPath, [SUITE], {
      cwd: ROOT,
      env: { ...process.env, BENCH_QUICK: '1', BENCH_REPORT_DIR: dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const file = join(dir, 'benchmarks.md');
    const report = existsSync(file) ? readFileSync(file, 'utf8') : '';
    assert.ok(existsSync(join(dir, 'benchmarks', 'latency.svg')) || code !== 0, 'the chart is written');
    return { code, output, report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the quick suite against our relay and the floor passes its checks and reports both side by side', async () => {
  const run = await suite({ BENCH_SERVERS: 'relay-framed,floor', BENCH_WORKLOADS: 'closed,open', BENCH_SIZES: '64' });
  assert.equal(run.code, 0, run.output);
  assert.match(run.report, /\| {2}\| bare Node forwarder \| our relay, framed \|/);
  assert.match(
    run.report,
    /server CPU per delivered message, closed loop, 100 clients, 16 in flight, 64 B \| [\d.]+ µs/,
  );
  assert.match(run.report, /p99 sender → recipient at 5,000 msg\/s \| /);
  assert.match(run.report, /- Checks: passed/);
  assert.match(run.report, /messages lost or corrupted \(all workloads\) \| 0 \| 0 \|/);
});

test('a forwarder that drops one message fails the run, and the report counts it lost', async () => {
  const run = await suite({
    BENCH_SERVERS: 'floor',
    BENCH_WORKLOADS: 'closed',
    BENCH_SIZES: '64',
    BENCH_FLOOR_FAULT: 'drop',
  });
  assert.equal(run.code, 1, run.output);
  assert.match(run.report, /messages lost or corrupted \(all workloads\) \| [1-9]\d* lost \|/);
  assert.match(run.report, /- Checks: FAILED/);
});

test('a forwarder that changes one byte of one message fails the run, and the report counts it corrupted', async () => {
  const run = await suite({
    BENCH_SERVERS: 'floor',
    BENCH_WORKLOADS: 'closed',
    BENCH_SIZES: '64',
    BENCH_FLOOR_FAULT: 'corrupt',
  });
  assert.equal(run.code, 1, run.output);
  assert.match(run.report, /messages lost or corrupted \(all workloads\) \| ([1-9]\d*) lost, \1 corrupted \|/);
});
