/**
 * What the extension keeps of a connection for the next window, in the storage all windows
 * share: each registration's resume token, so that a new window of the same student takes the
 * name over from a stale one. Two windows are two sets of the extension's parts over one storage;
 * the relay and the connections are real. The dialect memory against a course server is in
 * resume.int.test.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_MEMORY } from '../../../src/extension/connection/dialectMemory';
import { RESUME_TOKENS, ResumeTokens } from '../../../src/extension/connection/resumeTokens';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { german, hostsForThisFile, MemorySecrets, MemoryStorage } from '../../helpers/extension/parts';
import { TEACHER_KEY_SECRET } from '../../../src/extension/classroom/teacherKeys';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

test('a new window of the same student takes the name over from a stale one, which stops, says so and does not take it back; nothing is handed twice', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const storage = new MemoryStorage();
  const stale = host({ storage });
  await stale.connect(port, 'Alice');
  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'Vor dem Fensterwechsel' });
  await stale.item('Vor dem Fensterwechsel');
  const kept = await stale.until(
    () => new ResumeTokens(storage, Date.now).get(`127.0.0.1:${port}`, 'alice'),
    'the token kept',
  );
  assert.equal(kept.lastSeq, 1, 'with the last message handed to the stale window');

  const fresh = host({ storage });
  const handed: string[] = [];
  fresh.parts.lifecycle.onEvent((event) => {
    if (event.type === 'connection' && event.event.type === 'incoming' && event.event.event.type === 'message')
      handed.push(event.event.event.text);
  });
  await fresh.connect(port, 'Alice');
  assert.equal(fresh.parts.lifecycle.state.kind, 'connected', 'the name is taken over, not refused as taken');
  const replaced = await stale.until(
    () => stale.person.shown.find((shown) => shown.level === 'warning'),
    'the stale window told',
  );
  assert.deepEqual(replaced, {
    level: 'warning',
    message: `You are now connected to 127.0.0.1:${port} as "Alice" from another window, so this window stopped its connection.`,
    actions: ['Connect Again'],
  });
  const state = stale.parts.lifecycle.state;
  assert.equal(state.kind === 'failed' && state.error.code, 'replaced');

  bob.send({ type: 'send', id: 'b2', to: 'Alice', text: 'Nach dem Fensterwechsel' });
  await fresh.item('Nach dem Fensterwechsel');
  assert.equal(stale.parts.lifecycle.state.kind, 'failed', 'the stale window does not reconnect');
  assert.deepEqual(handed, ['Nach dem Fensterwechsel'], 'the message the stale window had is not handed again');
  await fresh.until(
    () => new ResumeTokens(storage, Date.now).get(`127.0.0.1:${port}`, 'Alice')?.lastSeq === 2 || undefined,
    'the new window keeps the token going',
  );
});

test('in German, the stale window says "in einem anderen Fenster" and offers "Erneut verbinden"', async () => {
  const { port } = await relay();
  const storage = new MemoryStorage();
  const stale = host({ storage, t: german });
  await stale.connect(port, 'Alice');
  await stale.until(() => storage.get(RESUME_TOKENS), 'the token kept');
  const fresh = host({ storage, t: german });
  await fresh.connect(port, 'Alice');
  const replaced = await stale.until(
    () => stale.person.shown.find((shown) => shown.level === 'warning'),
    'the stale window told',
  );
  assert.match(replaced.message, /^Du bist jetzt in einem anderen Fenster mit 127\.0\.0\.1:\d+ als „Alice“ verbunden/);
  assert.deepEqual(replaced.actions, [german('Connect Again')]);
});

test('without the kept token (another computer, another student) the name stays taken', async () => {
  const { port } = await relay();
  const first = host();
  await first.connect(port, 'Alice');
  const other = host();
  other.person.answer('server', { transport: 'tcp', host: '127.0.0.1', port }).answer('name', 'Alice');
  await other.parts.lifecycle.connect();
  const shown = await other.until(() => other.person.shown.find((notice) => notice.level === 'error'), 'refused');
  assert.equal(shown.message, `The name "Alice" is already taken on 127.0.0.1:${port}. Choose another name.`);
  assert.equal(first.parts.lifecycle.state.kind, 'connected');
});

test('a damaged store of tokens is read without its bad entries, and at most 20 registrations are kept, the newest', async () => {
  const storage = new MemoryStorage();
  await storage.update(RESUME_TOKENS, {
    'a:1 alice': { token: 'x'.repeat(500), lastSeq: 1, at: 1 },
    'a:1 bob': { token: 't', lastSeq: -1, at: 1 },
    'a:1 eve': 'token',
    'a:1 carol': { token: 'good', lastSeq: 3, at: 1 },
  });
  let now = 10;
  const tokens = new ResumeTokens(storage, () => now);
  assert.equal(tokens.get('a:1', 'Alice'), undefined);
  assert.equal(tokens.get('a:1', 'Bob'), undefined);
  assert.equal(tokens.get('a:1', 'Eve'), undefined);
  assert.deepEqual(tokens.get('a:1', 'CAROL'), { token: 'good', lastSeq: 3 });
  for (let index = 0; index < 25; index++) {
    now++;
    await tokens.keep('a:1', `Student ${index}`, { token: `t${index}`, lastSeq: 0 });
  }
  const stored = storage.get<Record<string, unknown>>(RESUME_TOKENS)!;
  assert.equal(Object.keys(stored).length, 20);
  assert.equal(tokens.get('a:1', 'Student 4'), undefined);
  assert.deepEqual(tokens.get('a:1', 'Student 24'), { token: 't24', lastSeq: 0 });
});

test('with a teacher key, a remembered course dialect is probed again: our relay (which also speaks the course dialect) gets the key and the teacher is a teacher', async () => {
  const { port } = await relay({ teacherKey: 'k3y-k3y-k3y-k3y' });
  const storage = new MemoryStorage();
  await storage.update(DIALECT_MEMORY, { [`127.0.0.1:${port}`]: { dialect: 'course', at: Date.now() } });
  const secrets = new MemorySecrets();
  await secrets.store(`${TEACHER_KEY_SECRET}127.0.0.1:${port}`, 'k3y-k3y-k3y-k3y');
  const keller = host({ storage, secrets });
  await keller.connect(port, 'Frau Keller');
  const state = keller.parts.lifecycle.state;
  assert.equal(state.kind === 'connected' && state.dialect, 'relay');
  await keller.until(() => keller.parts.classroom.isTeacher, 'the teacher role');
  assert.equal(
    storage.get<Record<string, { dialect: string }>>(DIALECT_MEMORY)?.[`127.0.0.1:${port}`]?.dialect,
    'relay',
  );
});

test('a dialect chosen in the settings is used as it is, and what the server spoke is remembered for auto', async () => {
  const { port } = await relay();
  const storage = new MemoryStorage();
  await storage.update(DIALECT_MEMORY, { [`127.0.0.1:${port}`]: { dialect: 'course', at: Date.now() } });
  const alice = host({ storage, settings: { dialect: 'relay' } });
  await alice.connect(port, 'Alice');
  const state = alice.parts.lifecycle.state;
  assert.equal(state.kind === 'connected' && state.dialect, 'relay', 'the setting wins over the memory');
  assert.equal(
    storage.get<Record<string, { dialect: string }>>(DIALECT_MEMORY)?.[`127.0.0.1:${port}`]?.dialect,
    'relay',
  );
});
