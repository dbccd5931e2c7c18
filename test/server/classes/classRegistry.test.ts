import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readClassCode } from '../../../src/protocol/classCode';
import { ClassRegistry, type ClassPolicy } from '../../../src/server/classes/classRegistry';

const DAY = 24 * 60 * 60 * 1000;
const OPEN: ClassPolicy = { creation: 'open', adminKey: undefined, maxClasses: 3, maxPerAddress: 2, idleMs: 30 * DAY };

function registry(policy: Partial<ClassPolicy> = {}) {
  let now = Date.UTC(2026, 8, 1);
  const classes = new ClassRegistry({ ...OPEN, ...policy }, () => now);
  return { classes, later: (ms: number) => (now += ms) };
}

test('a class made is found by its code, which reads back as itself, and only its own teacher key makes a teacher', () => {
  const { classes } = registry();
  const made = classes.create('192.0.2.7', undefined);
  assert.ok(made.ok);
  assert.deepEqual(readClassCode(made.code), { ok: true, code: made.code });
  assert.match(made.teacherKey, /^[2-9a-z]{4}(?:-[2-9a-z]{4}){3}$/);
  assert.equal(classes.find(made.code)?.code, made.code);
  assert.equal(classes.isTeacherKey(made.code, made.teacherKey), true);
  const other = classes.create('192.0.2.8', undefined);
  assert.ok(other.ok);
  assert.notEqual(other.code, made.code);
  assert.equal(classes.isTeacherKey(other.code, made.teacherKey), false, "one class's key is refused in another");
  assert.equal(JSON.stringify(classes.list()).includes(made.teacherKey), false, 'the key itself is kept nowhere');
});

test('with creation by key only the admin key makes classes; off makes none', () => {
  const { classes } = registry({ creation: 'key', adminKey: 'admin-admin-admin-1' });
  assert.deepEqual(classes.create('192.0.2.7', undefined), {
    ok: false,
    reason: 'not-allowed',
    detail: 'making a class needs the admin key',
  });
  assert.equal(classes.create('192.0.2.7', 'admin-admin-admin-2').ok, false);
  assert.equal(classes.create('192.0.2.7', 'admin-admin-admin-1').ok, true);
  assert.deepEqual(registry({ creation: 'off' }).classes.create('192.0.2.7', undefined), {
    ok: false,
    reason: 'not-allowed',
    detail: 'this relay makes no classes',
  });
});

test('classes are bounded per address and in all; the admin is bounded only in all', () => {
  const { classes } = registry({ adminKey: 'admin-admin-admin-1' });
  assert.equal(classes.create('192.0.2.7', undefined).ok, true);
  assert.equal(classes.create('192.0.2.7', undefined).ok, true);
  assert.deepEqual(classes.create('192.0.2.7', undefined), {
    ok: false,
    reason: 'full',
    detail: '2 classes at most are made from one address',
  });
  assert.equal(classes.create('192.0.2.7', 'admin-admin-admin-1').ok, true);
  assert.deepEqual(classes.create('192.0.2.9', 'admin-admin-admin-1'), {
    ok: false,
    reason: 'full',
    detail: 'this relay keeps 3 classes at most',
  });
});

test('a class unused for the idle time ends; one in use goes on; a class ended by the admin is gone', () => {
  const { classes, later } = registry();
  const used = classes.create('192.0.2.7', undefined);
  const idle = classes.create('192.0.2.8', undefined);
  assert.ok(used.ok && idle.ok);
  later(20 * DAY);
  classes.used(used.code);
  later(15 * DAY);
  assert.equal(classes.find(idle.code), undefined, 'unused for 35 days');
  assert.equal(classes.find(used.code)?.code, used.code, 'used 15 days ago');
  assert.equal(classes.end(used.code), true);
  assert.equal(classes.find(used.code), undefined);
  assert.deepEqual(classes.list(), []);
});

test('classes kept before a restart come back, except those that were unused too long meanwhile', () => {
  const { classes } = registry();
  const made = classes.create('192.0.2.7', undefined);
  assert.ok(made.ok);
  const kept = classes.list();
  const { classes: restarted } = registry();
  restarted.restore(kept);
  assert.equal(restarted.isTeacherKey(made.code, made.teacherKey), true, 'its key works after the restart');
  const { classes: muchLater, later: wait } = registry();
  wait(31 * DAY);
  muchLater.restore(kept);
  assert.deepEqual(muchLater.list(), []);
});

test('the keeper is woken once per batch of changes: a class made, ended or run out; its use at most hourly', () => {
  const { classes, later } = registry();
  let wakes = 0;
  classes.keepChanges(() => wakes++);
  assert.equal(classes.takeChanges(), undefined, 'nothing changed yet');
  const made = classes.create('192.0.2.7', undefined);
  const other = classes.create('192.0.2.8', undefined);
  assert.ok(made.ok && other.ok);
  assert.equal(wakes, 1, 'one wake for the batch');
  assert.deepEqual(
    classes.takeChanges()?.map((entry) => entry.code),
    [made.code, other.code],
  );
  later(60 * 1000);
  classes.used(made.code);
  assert.equal(classes.takeChanges(), undefined, 'a use a minute after the last is not worth a write');
  later(60 * 60 * 1000);
  classes.used(made.code);
  assert.equal(
    classes.takeChanges()?.find((entry) => entry.code === made.code)?.usedAt,
    Date.UTC(2026, 8, 1) + 61 * 60 * 1000,
  );
  classes.end(other.code);
  assert.deepEqual(
    classes.takeChanges()?.map((entry) => entry.code),
    [made.code],
  );
  later(30 * DAY);
  classes.expire();
  assert.deepEqual(classes.takeChanges(), []);
  assert.equal(wakes, 4);
});

test('classes restored that ended meanwhile are written away once the keeper starts', () => {
  const { classes, later } = registry();
  const made = classes.create('192.0.2.7', undefined);
  assert.ok(made.ok);
  const kept = classes.list();
  later(31 * DAY);
  const restarted = new ClassRegistry(OPEN, () => Date.UTC(2026, 8, 1) + 31 * DAY);
  restarted.restore(kept);
  let wakes = 0;
  restarted.keepChanges(() => wakes++);
  assert.equal(wakes, 1);
  assert.deepEqual(restarted.takeChanges(), []);
});
