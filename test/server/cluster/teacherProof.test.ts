/**
 * Whether a hello's teacher key makes its client a teacher of the room: the right key does; a
 * wrong one is told what went wrong for the class it came to, and the key itself is never
 * repeated, neither to the client nor in the log.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { teacherProof } from '../../../src/server/sessions/teacherProof';
import { Hub } from '../../../src/server/routing/hub';
import { DEFAULT_POLICY } from '../../../src/server/policy/policy';
import { RateLimiter } from '../../../src/server/budgets/rateLimiter';

/** A room with `teacherKey` (none: a room without teachers), disposed when test `t` ends. */
function room(t: TestContext, teacherKey?: string): Hub {
  const hub = new Hub({
    presence: DEFAULT_POLICY.presence,
    ids: DEFAULT_POLICY.ids,
    resume: DEFAULT_POLICY.resume,
    who: DEFAULT_POLICY.who,
    classroom: { rosterMs: DEFAULT_POLICY.rosterMs, ...(teacherKey ? { teacherKey } : {}) },
    registrations: new RateLimiter(DEFAULT_POLICY.registrations),
  });
  t.after(() => hub.dispose());
  return hub;
}

test("the room's teacher key makes a teacher", (t) => {
  assert.deepEqual(teacherProof(room(t, 'geheim-42'), undefined, 'Frau Keller', 'geheim-42', undefined, '10.0.0.5'), {
    ok: true,
  });
});

test('a wrong key is refused with what to do, and the key is repeated nowhere', (t) => {
  const relay = teacherProof(room(t, 'geheim-42'), undefined, 'Frau Keller', 'falsch-17', undefined, '10.0.0.5');
  assert.equal(relay.ok, false);
  if (relay.ok) return;
  assert.equal(relay.code, 'teacher-key-invalid');
  assert.match(relay.message, /the teacher key is not right/);
  assert.equal(relay.log, 'name "Frau Keller": wrong teacher key');

  const inClass = teacherProof(room(t, 'geheim-42'), '4kx-92m', 'Frau Keller', 'falsch-17', undefined, '10.0.0.5');
  assert.ok(!inClass.ok && /not that of class 4kx-92m/.test(inClass.message));

  const noTeachers = teacherProof(room(t), undefined, 'Frau Keller', 'falsch-17', undefined, '10.0.0.5');
  assert.ok(!noTeachers.ok && /this relay has no teachers/.test(noTeachers.message));

  for (const refusal of [relay, inClass, noTeachers])
    assert.ok(!refusal.ok && !`${refusal.message} ${refusal.log}`.includes('falsch-17'));
});

test('after too many wrong keys from one address the key is not checked, and the client is told why', (t) => {
  const hub = room(t, 'geheim-42');
  let last = teacherProof(hub, undefined, 'Mallory', 'guess-0', undefined, '10.0.0.66');
  for (let guess = 1; guess < 100 && (last.ok || last.code !== 'teacher-key-locked'); guess++)
    last = teacherProof(hub, undefined, 'Mallory', `guess-${guess}`, undefined, '10.0.0.66');
  assert.ok(!last.ok && last.code === 'teacher-key-locked', 'locked out within 100 guesses');
  assert.match(last.message, /from your address 10\.0\.0\.66/);
  assert.equal(last.log, 'name "Mallory": teacher keys locked out (address)');
  const right = teacherProof(hub, undefined, 'Mallory', 'geheim-42', undefined, '10.0.0.66');
  assert.ok(!right.ok && right.code === 'teacher-key-locked', 'even the right key is not checked meanwhile');
  assert.deepEqual(teacherProof(hub, undefined, 'Frau Keller', 'geheim-42', undefined, '10.0.0.5'), { ok: true });
});
