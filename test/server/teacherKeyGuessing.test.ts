/**
 * Guessing the teacher key: the fifth wrong key locks an address out, a lockout lasts until it
 * ends whatever other addresses do, guessing is bounded in all, a locked-out teacher is told what
 * happened, and a teacher's resume still gets in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer, type HelloAnswer } from '../helpers/relay/peers';
import { RELAY_DEFAULTS as D } from '../../src/server/policy/defaults';
import { KEY_GUESSING_DEFAULTS, KeyGuessing } from '../../src/server/classroom/keyGuessing';

const relay = relaysForThisFile();
const KEY = 'kreide-tafel-schwamm-42';

type Answer = HelloAnswer;

const hello = (...args: Parameters<typeof FramedPeer.hello>) => FramedPeer.hello(...args);

const codeOf = (answer: Answer) => (answer.type === 'error' ? answer.code : `welcome as ${answer.role}`);

/** The nth address of a range of loopback addresses standing in for hosts. */
const host = (index: number) => `127.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;

test('the fifth wrong key within a minute locks the address out: the next hello with the right key is refused as locked', async () => {
  const { port } = await relay({ teacherKey: KEY });
  for (let attempt = 0; attempt < D.keyFailures.value; attempt++) {
    const { answer } = await hello(port, `Rate${attempt}`, { teacherKey: `falsch-${attempt}`, from: '127.0.0.2' });
    assert.equal(codeOf(answer), 'teacher-key-invalid', `wrong key ${attempt + 1}`);
  }
  const { answer } = await hello(port, 'Frau Keller', { teacherKey: KEY, from: '127.0.0.2' });
  assert.equal(codeOf(answer), 'teacher-key-locked');
  const elsewhere = await hello(port, 'Herr Gerber', { teacherKey: KEY, from: '127.0.0.3' });
  assert.equal(codeOf(elsewhere.answer), 'welcome as teacher', 'another address is not locked out');
});

test('a locked-out teacher is told that keys from the address are paused, for how long, and that the key was not checked', async () => {
  const { port, logs } = await relay({ teacherKey: KEY });
  for (let attempt = 0; attempt < D.keyFailures.value; attempt++) {
    await hello(port, `Rate${attempt}`, { teacherKey: `falsch-${attempt}`, from: '127.0.0.2' });
  }
  const { answer } = await hello(port, 'Frau Keller', { teacherKey: KEY, from: '127.0.0.2' });
  assert.equal(answer.type, 'error');
  if (answer.type !== 'error') return;
  assert.equal(answer.fatal, true);
  assert.match(
    answer.message,
    /^too many wrong teacher keys came from your address 127\.0\.0\.2 \(5 within 60 s\), so the relay checks no teacher key from it for (60|59) s; your key was not checked\./,
  );
  assert.doesNotMatch(answer.message, /not right/);
  assert.ok(logs.some((line) => /name "Frau Keller": teacher keys locked out \(address\)/.test(line)));
  assert.doesNotMatch(logs.join('\n'), /kreide-tafel-schwamm/);
});

test('a lockout lasts until it ends: a thousand other addresses trying one key each do not lift it', async () => {
  const { port } = await relay({ teacherKey: KEY });
  // One wrong key past the limit, so the address is locked out however the limit is counted.
  for (let attempt = 0; attempt <= D.keyFailures.value; attempt++) {
    await hello(port, `Rate${attempt}`, { teacherKey: `falsch-${attempt}`, from: '127.0.0.2' });
  }
  // Past the relay's own bound (below) the others are refused unchecked; the table of lockouts is
  // tried all the same with one key from each of more addresses than it counts.
  const others = D.keyFailureAddresses.value + 6;
  for (let index = 0; index < others; index++) {
    const { peer } = await hello(port, `Gast${index}`, { teacherKey: `falsch-${index}`, from: host(index) });
    peer.drop();
  }
  const { answer } = await hello(port, 'Frau Keller', { teacherKey: KEY, from: '127.0.0.2' });
  assert.equal(codeOf(answer), 'teacher-key-locked');
});

test('a lockout is kept however many other addresses are counted, even without a bound in all', () => {
  let now = 0;
  const guessing = new KeyGuessing({ ...KEY_GUESSING_DEFAULTS, inAll: Number.MAX_SAFE_INTEGER }, () => now);
  const wrong = () => false;
  for (let attempt = 0; attempt < D.keyFailures.value; attempt++) guessing.attempt('10.0.0.1', wrong, false);
  for (let index = 0; index < D.keyFailureAddresses.value * 2; index++) guessing.attempt(host(index), wrong, false);
  now = D.keyLockoutMs.value - 1;
  assert.equal(guessing.attempt('10.0.0.1', () => true, false).type, 'locked');
  now = D.keyLockoutMs.value;
  assert.equal(guessing.attempt('10.0.0.1', () => true, false).type, 'teacher', 'the lockout ends after its minute');
});

test('no key is checked during a lockout: the check is not even run', () => {
  const guessing = new KeyGuessing({ ...KEY_GUESSING_DEFAULTS }, () => 0);
  for (let attempt = 0; attempt < D.keyFailures.value; attempt++) guessing.attempt('10.0.0.1', () => false, false);
  let checked = false;
  const verdict = guessing.attempt(
    '10.0.0.1',
    () => {
      checked = true;
      return true;
    },
    false,
  );
  assert.deepEqual([verdict.type, checked], ['locked', false]);
});

test('guessing is bounded in all: once many addresses presented wrong keys together, no key is checked from any address for a while', async () => {
  const { port } = await relay({ teacherKey: KEY });
  const codes: string[] = [];
  for (let index = 0; index < D.keyFailuresInAll.value + 5; index++) {
    const { answer, peer } = await hello(port, `Gast${index}`, { teacherKey: `falsch-${index}`, from: host(index) });
    codes.push(codeOf(answer));
    peer.drop();
  }
  assert.equal(codes.filter((code) => code === 'teacher-key-invalid').length, D.keyFailuresInAll.value);
  assert.deepEqual(codes.slice(D.keyFailuresInAll.value), Array(5).fill('teacher-key-locked'));
  const fresh = await hello(port, 'Frau Keller', { teacherKey: KEY, from: '127.0.0.9' });
  assert.equal(codeOf(fresh.answer), 'teacher-key-locked');
  if (fresh.answer.type === 'error')
    assert.match(
      fresh.answer.message,
      new RegExp(`from many addresses \\(${D.keyFailuresInAll.value} within ${D.keyFailureWindowMs.value / 1000} s\\)`),
    );
});

test("a teacher's resume gets in while the address, or every address, is locked out", async () => {
  const { port } = await relay({ teacherKey: KEY });
  const first = await hello(port, 'Frau Keller', { teacherKey: KEY, from: '127.0.0.2' });
  assert.equal(codeOf(first.answer), 'welcome as teacher');
  let token = first.answer.type === 'welcome' ? first.answer.resume! : '';
  first.peer.drop();
  for (let attempt = 0; attempt < D.keyFailures.value; attempt++) {
    await hello(port, `Rate${attempt}`, { teacherKey: `falsch-${attempt}`, from: '127.0.0.2' });
  }
  const back = await hello(port, 'Frau Keller', { teacherKey: KEY, resume: token, from: '127.0.0.2' });
  assert.equal(codeOf(back.answer), 'welcome as teacher');
  token = back.answer.type === 'welcome' ? back.answer.resume! : '';
  back.peer.drop();
  for (let index = 0; index < D.keyFailuresInAll.value; index++) {
    const { peer } = await hello(port, `Gast${index}`, { teacherKey: `falsch-${index}`, from: host(index) });
    peer.drop();
  }
  const again = await hello(port, 'Frau Keller', { teacherKey: KEY, resume: token, from: '127.0.0.2' });
  assert.equal(codeOf(again.answer), 'welcome as teacher');
});
