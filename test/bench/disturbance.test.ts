import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disturbance, disturbanceText, disturbed, lessDisturbed } from '../../bench/sideBySide/disturbance';
import type { CpuWindow, IdleResult, OpenLoopResult } from '../../bench/sideBySide/jobs';
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

test('a window in which the generator did not run for over 100 ms is disturbed, and says so', () => {
  const paused = window({ generatorPauseUs: 6_000_000 });
  assert.equal(disturbed(disturbance(paused)), true);
  assert.equal(disturbanceText(paused), 'the generator did not run for 6,000 ms');
  assert.equal(disturbed(disturbance(window({ generatorPauseUs: 8_000 }))), false);
});

function idle(registered: number, dropped: number, listenOverflows: number): IdleResult {
  return {
    workload: 'idle',
    clients: 1000,
    registered,
    registerUs: 1e6,
    registerNet: { ...NO_COUNTS, listenOverflows },
    registerCpuUs: 1e5,
    window: 64,
    rssBeforeBytes: 0,
    rssAfterBytes: 0,
    dropped,
  };
}

test('idle connections are disturbed when clients did not register, were dropped or overflowed the backlog', () => {
  assert.equal(disturbed(disturbance(idle(1000, 0, 0))), false);
  assert.equal(disturbed(disturbance(idle(1000, 0, 3))), true);
  const partial = idle(485, 515, 192);
  assert.equal(disturbed(disturbance(partial)), true);
  assert.equal(lessDisturbed(disturbance(idle(1000, 0, 3)), disturbance(partial)), true);
  assert.equal(disturbanceText(partial), '485 of 1,000 registered, 515 dropped by the server, 192 listen overflows');
});
