import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busyMicros } from '../../bench/sideBySide/procStat';

test("the machine's busy time is user, nice and system of /proc/stat's first line, without idle or interrupts", () => {
  const stat = ['cpu  100 20 30 5000 7 8 9 10 0 0', 'cpu0 50 10 15 2500 3 4 4 5 0 0', 'intr 12345'].join('\n');
  assert.equal(busyMicros(stat, 100), (100 + 20 + 30) * 10_000);
  assert.equal(busyMicros('intr 1', 100), 0);
});
