import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckCounts } from '../../bench/sideBySide/checker';
import type { ClosedLoopResult } from '../../bench/sideBySide/jobs';
import { NO_COUNTS } from '../../bench/sideBySide/netCounters';
import { makePlan } from '../../bench/sideBySide/plan';
import type { ServerRun } from '../../bench/sideBySide/results';
import { faultText, summaryTable } from '../../bench/sideBySide/summary';

const clean: CheckCounts = { sent: 10, delivered: 10, lost: 0, corrupted: 0, duplicated: 0, reordered: 0 };

function closed(serverUs: number, delivered: number, check = clean): ClosedLoopResult {
  return {
    workload: 'closed',
    delivered,
    cpu: { serverUs, generatorUs: 0, othersUs: 0, wallUs: 1e6, net: NO_COUNTS },
    toRecipientUs: { count: 1, p50: 1, p99: 1, max: 1 },
    check,
    dropped: 0,
    refused: 0,
  };
}

function run(kind: ServerRun['kind'], label: string, size64: ClosedLoopResult | undefined): ServerRun {
  return {
    kind,
    label,
    strict: kind !== 'course',
    closed: size64 ? { 64: { ok: true, result: size64 }, 1000: { ok: false, failed: false, reason: 'too long' } } : {},
    open: {},
  };
}

test('the summary shows CPU per message with its ratios to ngircd and to the floor, and a dash where not run', () => {
  const plan = { ...makePlan({ BENCH_WORKLOADS: 'closed' }, '/repo') };
  const runs = [
    run('ngircd', 'ngircd 26.1', closed(900_000, 100_000)),
    run('floor', 'floor', closed(800_000, 100_000)),
    run('relay-framed', 'framed', closed(5_800_000, 100_000)),
  ];
  const { table, notes } = summaryTable(plan, runs);
  assert.deepEqual(table.head, ['', 'ngircd 26.1', 'floor', 'framed']);
  const cpu = table.rows.find(
    (row) => row[0]!.startsWith('server CPU per delivered message') && row[0]!.endsWith('64 B'),
  )!;
  assert.deepEqual(cpu.slice(1), ['9.0 µs (×1.0 / ×1.1)', '8.0 µs (×0.89 / ×1.0)', '58.0 µs (×6.4 / ×7.3)']);
  const big = table.rows.find((row) => row[0]!.endsWith('1,000 B'))!;
  assert.deepEqual(big.slice(1), ['—', '—', '—']);
  assert.ok(notes.includes('ngircd 26.1, closed loop 1,000 B: too long'));
  assert.deepEqual(table.rows.at(-1), ['messages lost or corrupted (all workloads)', '0', '0', '0']);
});

test('faults read as counts by kind, and as 0 when there are none', () => {
  assert.equal(faultText(clean), '0');
  assert.equal(
    faultText({ ...clean, lost: 6000, corrupted: 12, reordered: 1 }),
    '6,000 lost, 12 corrupted, 1 out of order',
  );
});
