import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disturbance, disturbanceText, disturbed, lessDisturbed } from '../../bench/sideBySide/disturbance';
import type { CpuWindow, OpenLoopResult } from '../../bench/sideBySide/jobs';
import { NO_COUNTS } from '../../bench/sideBySide/netCounters';

function window(cpu: Partial<CpuWindow>): OpenLoopResult {
  const none = { count: 0, p50: NaN, p99: NaN, max: NaN };
  return {
    workload: 'open',
    clients: 100,
    delivered: 0,
    latencyUs: none,
    sendLagUs: none,
    cpu: { serverUs: 0, generatorUs: 0, othersUs: 0, wallUs: 1e6, net: NO_COUNTS, ...cpu },
    check: { sent: 0, delivered: 0, lost: 0, corrupted: 0, duplicated: 0, reordered: 0 },
    dropped: 0,
    refused: 0,
  };
}

test('a window with tail loss probes only, and others on neither core, is not disturbed', () => {
  const quiet = window({ net: { ...NO_COUNTS, retransmits: 40 }, othersByCoreUs: [50_000, 20_000] });
  assert.deepEqual(disturbance(quiet), { stalls: 0, others: 0.05 });
  assert.equal(disturbed(disturbance(quiet)), false);
  assert.equal(disturbanceText(quiet), '');
});

test("a retransmission timeout, or others taking more than a tenth of the server's core, disturbs a window", () => {
  const stalled = window({ net: { ...NO_COUNTS, timeouts: 1 } });
  const crowded = window({ othersByCoreUs: [350_000, 0] });
  assert.equal(disturbed(disturbance(stalled)), true);
  assert.equal(disturbed(disturbance(crowded)), true);
  assert.equal(disturbanceText(stalled), '1 TCP retransmission timeouts');
  assert.match(disturbanceText(crowded), /other processes took 35 % of the server's or the generator's core/);
});

test('of two attempts the one with fewer stalls is kept, and of equal stalls the one others took less of', () => {
  const stalled = disturbance(window({ net: { ...NO_COUNTS, softnetDrops: 2 } }));
  const crowded = disturbance(window({ othersByCoreUs: [0, 900_000] }));
  const lessCrowded = disturbance(window({ othersByCoreUs: [200_000, 0] }));
  assert.equal(lessDisturbed(crowded, stalled), true);
  assert.equal(lessDisturbed(stalled, crowded), false);
  assert.equal(lessDisturbed(lessCrowded, crowded), true);
});

test('without pinning, the CPU others took on the whole machine counts', () => {
  assert.equal(disturbance(window({ othersUs: 300_000 })).others, 0.3);
});
