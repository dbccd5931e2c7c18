import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODECS } from '../../bench/sideBySide/codecs';
import { makePlan, openClients } from '../../bench/sideBySide/plan';

const plan = makePlan({}, '/repo');

test("an open loop without a pace of its own is offered by the plan's clients at every rate", () => {
  for (const rate of plan.open.rates) assert.equal(openClients(plan, rate, CODECS.framed.paceMs), plan.open.clients);
});

test('pause-mode clients each send every 500 ms, so more of them offer the rate: 500 at 1,000 msg/s', () => {
  const pace = CODECS['course-pause'].paceMs;
  assert.equal(openClients(plan, 1000, pace), 500);
  assert.equal(openClients(plan, 5000, pace), 2500);
  assert.equal(openClients(plan, 100, pace), plan.open.clients);
  for (const rate of plan.open.rates) {
    const gapMs = (openClients(plan, rate, pace) * 1000) / rate;
    assert.ok(gapMs >= pace, `${rate} msg/s: ${gapMs} ms between a client's messages`);
  }
});

test('a pause-mode client leaves far more than the 40 ms that end a message, even when catching up', () => {
  assert.ok(CODECS['course-pause'].minGapMs >= 200);
  assert.ok(CODECS['course-pause'].paceMs >= 2 * CODECS['course-pause'].minGapMs);
});
