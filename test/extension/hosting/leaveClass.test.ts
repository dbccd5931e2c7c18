/**
 * Host Classroom and the class a teacher is in: it asks before it takes a connected teacher away
 * from her class (where, with how many classmates), declining keeps her there; and the port it
 * offers is never the relay's TLS port 12346. Real TCP on this machine; the teacher is scripted.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PORT, DEFAULT_TLS_PORT } from '../../../src/protocol/limits';
import type { ConnectionState } from '../../../src/client/connectionTypes';
import { leaveClassQuestion } from '../../../src/extension/hosting/leaveClass';
import { firstHostPort, hostPortCandidates } from '../../../src/extension/hosting/hosting';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { freePort } from '../../helpers/relay/peers';
import { english, german, hostsForThisFile, local } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const student = framedPeersForThisFile();
const KEY = 'kreide-tafel-schwamm-42';

const connected = (online: string[]): ConnectionState => ({
  kind: 'connected',
  dialect: 'relay',
  name: 'Frau Keller',
  online,
});

test('the question before hosting names the class left behind and its size, in English and German; not connected, nothing is asked', () => {
  const server = local(12345);
  const names = Array.from({ length: 27 }, (_, index) => `Student ${index}`);
  assert.deepEqual(leaveClassQuestion(connected(names), server, english), {
    message: 'You are connected to 127.0.0.1:12345 with 27 classmates. Hosting a classroom disconnects you from it.',
    detail:
      'A new relay starts on this computer and you connect to it as its teacher; the class then has to connect to its address.',
    host: 'Host Classroom',
  });
  assert.equal(
    leaveClassQuestion(connected(['Mia']), server, german)?.message,
    'Du bist mit 127.0.0.1:12345 verbunden, zusammen mit 1 Person. Ein Klassenzimmer zu hosten trennt dich davon.',
  );
  assert.match(
    leaveClassQuestion(
      { kind: 'waiting', attempt: 2, retryInMs: 800, cause: { kind: 'no-ack' }, reason: 'x' },
      server,
      english,
    )!.message,
    /^You are connecting to 127\.0\.0\.1:12345\./,
  );
  assert.equal(leaveClassQuestion({ kind: 'idle' }, server, english), undefined);
  assert.equal(leaveClassQuestion(connected([]), undefined, english), undefined);
});

test('the ports Host Classroom tries are never the TLS port: 12345 taken offers 12347 on; a last port of 12346 from before is not reused, a set one is', () => {
  assert.deepEqual(hostPortCandidates(DEFAULT_PORT + 1, 3), [12347, 12348, 12349]);
  assert.ok(!hostPortCandidates(12300, 100).includes(DEFAULT_TLS_PORT));
  assert.equal(hostPortCandidates(12300, 100).length, 100);
  assert.equal(firstHostPort(undefined, undefined), DEFAULT_PORT);
  assert.equal(firstHostPort(undefined, DEFAULT_TLS_PORT), DEFAULT_PORT);
  assert.equal(firstHostPort(undefined, 23456), 23456);
  assert.equal(firstHostPort(DEFAULT_TLS_PORT, 23456), DEFAULT_TLS_PORT, 'the teacher set it herself');
});

test('Host Classroom while connected to a class asks first: declined, the teacher stays in her class and nothing starts; confirmed, she leaves it for her own relay', async () => {
  const { port } = await relay({ teacherKey: KEY });
  await student(port, 'Mia');
  await student(port, 'Jonas');
  const hostPort = await freePort();
  const keller = host({ settings: { hostPort, name: 'Frau Keller' }, hosting: { relayOptions: { rosterMs: 50 } } });
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  await keller.until(() => keller.parts.session.online().length === 2 || undefined, 'Mia and Jonas online');

  await keller.parts.hosting.host();
  assert.deepEqual(keller.person.shown.at(-1), {
    level: 'confirm',
    message: `You are connected to 127.0.0.1:${port} with 2 classmates. Hosting a classroom disconnects you from it.`,
    detail:
      'A new relay starts on this computer and you connect to it as its teacher; the class then has to connect to its address.',
    actions: ['Host Classroom'],
  });
  const hosted = () => keller.parts.hosting.hosted;
  assert.equal(hosted(), undefined, 'declined: nothing started');
  assert.equal(keller.parts.lifecycle.target?.server.port, port);
  assert.equal(keller.parts.lifecycle.state.kind, 'connected');

  keller.person.reply(/^You are connected to/, 'Host Classroom');
  await keller.parts.hosting.host();
  await keller.until(
    () => keller.parts.lifecycle.target?.server.port === hostPort && keller.parts.classroom.role === 'teacher',
    'the teacher of her own relay',
  );
  assert.equal(hosted()?.port, hostPort);
  await keller.parts.hosting.close();
});
