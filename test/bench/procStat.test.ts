import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busyMicros } from '../../bench/sideBySide/procStat';

test("the machine's busy time is user, nice and system of /proc/stat, in all and per core, without idle or interrupts", () => {
  const stat = [
    'cpu  100 20 30 5000 7 8 9 10 0 0',
    'cpu0 50 10 15 2500 3 4 4 5 0 0',
    'cpu1 50 10 15 2500 4 4 5 5 0 0',
    'intr 12345',
  ].join('\n');
  assert.deepEqual(busyMicros(stat, 100), { all: 150 * 10_000, cores: [75 * 10_000, 75 * 10_000] });
  assert.deepEqual(busyMicros('intr 1', 100), { all: 0, cores: [] });
});
