/**
 * Making, listing and ending classes over the framed protocol: one request on a connection of its
 * own, one answer, then the relay closes. Who may make classes is the operator's choice, bounded
 * per address and in all; an ended class tells its members why and closes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { classRequest, makeClass } from '../../helpers/relay/classes';
import { coursePeer, FramedPeer, sleep } from '../../helpers/relay/peers';
import { readClassCode } from '../../../src/protocol/classCode';
import { UNTHROTTLED_INPUT } from '../../helpers/relay/allowances';

const relay = relaysForThisFile();
const ADMIN = 'schulhaus-admin-schluessel-7';

test('a relay started as always makes no classes: creation is off without an admin key', async () => {
  const { port, logs } = await relay();
  const answer = await classRequest(port, { type: 'class-create', id: 'c1' });
  assert.deepEqual(answer, {
    type: 'error',
    code: 'class-refused',
    message: 'this relay makes no classes',
    fatal: true,
  });
  assert.ok(
    logs.some((line) => /class not made: this relay makes no classes/.test(line)),
    logs.join('\n'),
  );
});

test('with an admin key, only its holder makes a class; the answer is a readable code and the class’s own teacher key', async () => {
  const { port, logs } = await relay({ adminKey: ADMIN });
  const refused = await classRequest(port, { type: 'class-create', id: 'c1' });
  assert.deepEqual(refused.type === 'error' && [refused.code, refused.message], [
    'class-refused',
    'making a class needs the admin key',
  ]);
  const wrong = await classRequest(port, { type: 'class-create', id: 'c2', adminKey: 'falsch-falsch-falsch' });
  assert.equal(wrong.type === 'error' && wrong.code, 'class-refused');
  const made = await classRequest(port, { type: 'class-create', id: 'c3', adminKey: ADMIN });
  assert.equal(made.type, 'class-created');
  if (made.type !== 'class-created') return;
  assert.equal(made.id, 'c3');
  assert.deepEqual(readClassCode(made.code), { ok: true, code: made.code });
  assert.match(made.teacherKey, /^[2-9a-z]{4}(-[2-9a-z]{4}){3}$/);
  assert.doesNotMatch(logs.join('\n'), new RegExp(`${ADMIN}|${made.teacherKey}`), 'no key is logged');
});

test('open creation lets anyone make classes, bounded per address and in all', async () => {
  const { port } = await relay({
    classCreation: 'open',
    classes: { perAddress: 2, max: 3 },
    input: UNTHROTTLED_INPUT,
  });
  await makeClass(port);
  await makeClass(port);
  const third = await classRequest(port, { type: 'class-create', id: 'c3' });
  assert.deepEqual(third.type === 'error' && [third.code, third.message], [
    'class-refused',
    '2 classes at most are made from one address',
  ]);
  const fromElsewhere = await classRequest(port, { type: 'class-create', id: 'c4' }, '127.0.0.2');
  assert.equal(fromElsewhere.type, 'class-created');
  const full = await classRequest(port, { type: 'class-create', id: 'c5' }, '127.0.0.3');
  assert.deepEqual(full.type === 'error' && [full.code, full.message], [
    'class-refused',
    'this relay keeps 3 classes at most',
  ]);
});

test('the admin lists the classes with when they were made and used and how many are in each; others may not', async () => {
  const { port } = await relay({ adminKey: ADMIN });
  const a = await makeClass(port, ADMIN);
  const b = await makeClass(port, ADMIN);
  await FramedPeer.connect(port, 'Mia', { class: a.code });
  await coursePeer(port, `${a.code}/Ben`, true);
  const listed = await classRequest(port, { type: 'class-list', id: 'l1', adminKey: ADMIN });
  assert.equal(listed.type, 'classes');
  if (listed.type !== 'classes') return;
  assert.deepEqual(
    listed.classes.map(({ code, online }) => ({ code, online })),
    [
      { code: a.code, online: 2 },
      { code: b.code, online: 0 },
    ],
  );
  for (const entry of listed.classes) {
    assert.ok(!Number.isNaN(Date.parse(entry.madeAt)) && Date.parse(entry.usedAt) >= Date.parse(entry.madeAt));
  }
  const refused = await classRequest(port, { type: 'class-list', id: 'l2', adminKey: 'falsch-falsch-falsch' });
  assert.deepEqual(refused.type === 'error' && [refused.code, refused.message], [
    'class-refused',
    'listing the classes needs the admin key',
  ]);
});

test('ending a class tells its members why in their dialect and closes them; its code no longer works; others stay', async () => {
  const { port } = await relay({ adminKey: ADMIN });
  const a = await makeClass(port, ADMIN);
  const b = await makeClass(port, ADMIN);
  const mia = await FramedPeer.connect(port, 'Mia', { class: a.code });
  const ben = await coursePeer(port, `${a.code}/Ben`, true);
  const tom = await FramedPeer.connect(port, 'Tom', { class: b.code });
  const carol = await coursePeer(port, 'Carol', true);

  const refused = await classRequest(port, { type: 'class-end', id: 'e0', code: a.code, adminKey: 'falsch-falsch' });
  assert.equal(refused.type === 'error' && refused.code, 'class-refused');
  const ended = await classRequest(port, { type: 'class-end', id: 'e1', code: a.code.toUpperCase(), adminKey: ADMIN });
  assert.deepEqual(ended, { type: 'class-ended', id: 'e1', code: a.code });

  const error = await mia.next('error');
  assert.deepEqual([error.code, error.fatal], ['class-ended', true]);
  assert.match(error.message, new RegExp(`class ${a.code} was ended`));
  await mia.waitClosed();
  await ben.waitFor(`Die Klasse ${a.code} wurde beendet; ihr Code gilt nicht mehr. Die Verbindung wird getrennt.\n`);
  await ben.waitClosed();

  const again = await FramedPeer.hello(port, 'Mia', { class: a.code });
  assert.equal(again.answer.type === 'error' && again.answer.code, 'unknown-class');
  const twice = await classRequest(port, { type: 'class-end', id: 'e2', code: a.code, adminKey: ADMIN });
  assert.equal(twice.type === 'error' && twice.message, `there is no class ${a.code} on this relay`);
  assert.equal(tom.closed || carol.closed, false);
  tom.send({ type: 'who', id: 'w1' });
  assert.deepEqual((await tom.next('online')).names, []);
});

test('a class request on a registered connection is refused without closing it', async () => {
  const { port } = await relay({ adminKey: ADMIN });
  const mia = await FramedPeer.connect(port, 'Mia');
  mia.send({ type: 'class-create', id: 'c1', adminKey: ADMIN });
  const error = await mia.next('error');
  assert.deepEqual([error.code, error.fatal], ['already-registered', false]);
  assert.equal(mia.closed, false);
});

test('a class has at most its bound of members at once', async () => {
  const { port } = await relay({ adminKey: ADMIN, maxConnectionsPerClass: 2 });
  const a = await makeClass(port, ADMIN);
  await FramedPeer.connect(port, 'Mia', { class: a.code });
  await FramedPeer.connect(port, 'Ben', { class: a.code });
  const third = await FramedPeer.hello(port, 'Lea', { class: a.code });
  assert.deepEqual(third.answer.type === 'error' && [third.answer.code, third.answer.message], [
    'too-many-connections',
    `class ${a.code} has 2 members at most`,
  ]);
  const inDefault = await FramedPeer.hello(port, 'Lea');
  assert.equal(inDefault.answer.type, 'welcome');
});

test('the same name in two classes has its own message allowance', async () => {
  const { port } = await relay({ adminKey: ADMIN, rate: { burst: 2, perMinute: 1 } });
  const a = await makeClass(port, ADMIN);
  const b = await makeClass(port, ADMIN);
  const annaA = await FramedPeer.connect(port, 'Anna', { class: a.code });
  const annaB = await FramedPeer.connect(port, 'Anna', { class: b.code });
  await FramedPeer.connect(port, 'Ben', { class: a.code });
  await FramedPeer.connect(port, 'Ben', { class: b.code });
  for (const id of ['a1', 'a2', 'a3']) annaA.send({ type: 'send', id, to: 'Ben', text: id });
  assert.equal((await annaA.next('ack', (ack) => ack.id === 'a3')).reason, 'rate-limited');
  annaB.send({ type: 'send', id: 'b1', to: 'Ben', text: 'b1' });
  assert.equal((await annaB.next('ack', (ack) => ack.id === 'b1')).status, 'delivered');
});

test('a class nobody joins for its idle time ends; one with a member online stays', async () => {
  const { port } = await relay({ adminKey: ADMIN, classes: { idleMs: 300 } });
  const idle = await makeClass(port, ADMIN);
  const busy = await makeClass(port, ADMIN);
  const mia = await FramedPeer.connect(port, 'Mia', { class: busy.code });
  await sleep(700);
  const listed = await classRequest(port, { type: 'class-list', id: 'l1', adminKey: ADMIN });
  assert.deepEqual(listed.type === 'classes' && listed.classes.map((entry) => entry.code), [busy.code]);
  const { answer } = await FramedPeer.hello(port, 'Ben', { class: idle.code });
  assert.equal(answer.type === 'error' && answer.code, 'unknown-class');
  const joined = await FramedPeer.hello(port, 'Ben', { class: busy.code });
  assert.equal(joined.answer.type, 'welcome');
  assert.equal(mia.closed, false);
});

test('admin keys are guessed no faster than teacher keys: an address with too many wrong ones gets none checked', async () => {
  const { port } = await relay({ adminKey: ADMIN, input: UNTHROTTLED_INPUT });
  for (let guess = 0; guess < 5; guess++) {
    const wrong = await classRequest(port, { type: 'class-list', id: `g${guess}`, adminKey: `falsch-falsch-${guess}` });
    assert.equal(wrong.type === 'error' && wrong.message, 'listing the classes needs the admin key');
  }
  const right = await classRequest(port, { type: 'class-list', id: 'r1', adminKey: ADMIN });
  assert.match(
    right.type === 'error' ? right.message : '',
    /^too many wrong admin keys came from 127\.0\.0\.1; none is checked for \d+ s$/,
  );
  const elsewhere = await classRequest(port, { type: 'class-list', id: 'r2', adminKey: ADMIN }, '127.0.0.2');
  assert.equal(elsewhere.type, 'classes');
});
