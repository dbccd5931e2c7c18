/**
 * The lasting connection through restarts of real servers (our relay as a process, the course server's
 * re-creation): reconnect with the same name, the outbox sent once, Reconnect now and the backoff's cap.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { coursePeer, FramedPeer, freePort } from '../helpers/relay/peers';
import { serveArgs, courseServer, start, stopAll, type Child } from '../helpers/process/processes';
import { connectionsForThisFile } from '../helpers/client/sessions';

const connection = connectionsForThisFile();
after(stopAll);

/** The relay as a real process, so it can be killed as a teacher's laptop might be. */
async function relayProcess(port: number): Promise<Child> {
  const child = start(process.execPath, serveArgs(port));
  await child.waitFor('is listening');
  return child;
}

test('after the relay is killed and restarted, both reconnect under their names and a message written offline arrives exactly once', async () => {
  const port = await freePort();
  let server = await relayProcess(port);
  const alice = connection({ port, name: 'Alice' });
  const bob = connection({ port, name: 'Bob' });
  await alice.connection.start();
  await bob.connection.start();
  server.process.kill('SIGKILL');
  await alice.state('waiting');
  const offline = alice.connection.send('Bob', 'geschrieben, als das Relay weg war');
  await alice.delivery(offline.id, 'pending');
  await new Promise((resolve) => setTimeout(resolve, 300));
  server = await relayProcess(port);
  await alice.delivery(offline.id, 'delivered');
  await bob.incoming('geschrieben, als das Relay weg war');
  assert.equal(alice.connection.state.kind, 'connected');
  assert.deepEqual(
    [alice.connection.state, bob.connection.state].map((state) => state.kind === 'connected' && state.name),
    ['Alice', 'Bob'],
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const copies = bob.events.filter((event) => event.type === 'incoming' && event.event.type === 'message');
  assert.equal(copies.length, 1);
  server.process.kill('SIGKILL');
});

test('a message to a peer who has not reconnected yet waits for them instead of failing', async () => {
  const port = await freePort();
  let server = await relayProcess(port);
  const alice = connection({ port, name: 'Alice', backoff: { initialMs: 50, maxMs: 100 } });
  await alice.connection.start();
  await FramedPeer.connect(port, 'Bob');
  server.process.kill('SIGKILL');
  await alice.state('waiting');
  const message = alice.connection.send('Bob', 'warte auf mich');
  server = await relayProcess(port);
  await alice.state('connected');
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.ok(
    !alice.events.some((event) => event.type === 'delivery' && event.id === message.id && event.state !== 'pending'),
    'still pending while Bob is away',
  );
  const bob = await FramedPeer.connect(port, 'Bob');
  assert.equal((await bob.next('message')).text, 'warte auf mich');
  await alice.delivery(message.id, 'delivered');
  server.process.kill('SIGKILL');
});

test('against the course server: after it restarts, the client registers again and the outbox goes out once', async () => {
  const port = await freePort();
  let course = await courseServer('course_server.py', port);
  const alice = connection({ port, name: 'Alice', dialect: 'course', rejoinGraceMs: 3000 });
  await alice.connection.start();
  assert.deepEqual(alice.connection.state, { kind: 'connected', dialect: 'course', name: 'Alice', online: [] });
  course.child.process.kill('SIGKILL');
  await alice.state('waiting');
  const offline = alice.connection.send('Bob', 'nach dem Neustart');
  course = await courseServer('course_server.py', port);
  await alice.state('connected');
  await course.child.waitFor("'Alice' verbunden");
  const bob = await coursePeer(port, 'Bob');
  await alice.delivery(offline.id, 'sent');
  await bob.waitFor('Alice: nach dem Neustart');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(bob.text, 'Alice: nach dem Neustart');
  const unknown = alice.connection.send('Niemand', 'x');
  assert.deepEqual((await alice.delivery(unknown.id, 'failed', 15_000)).failure, {
    code: 'unknown-peer',
    detail: 'Niemand',
  });
  course.child.process.kill('SIGKILL');
});

test('"Reconnect now" ends the backoff wait at once', async () => {
  const port = await freePort();
  const alice = connection({ port, name: 'Alice', backoff: { initialMs: 60_000, maxMs: 60_000 } });
  const first = await relayProcess(port);
  await alice.connection.start();
  first.process.kill('SIGKILL');
  await alice.state('waiting');
  await relayProcess(port);
  const asked = Date.now();
  alice.connection.retryNow();
  await alice.state('connected', 5000);
  assert.ok(Date.now() - asked < 30_000, 'long before the 30–60 s wait would have ended');
});

test('a cap on the backoff (the chat is open) shortens a long wait at once, so the client is back soon after the relay', async () => {
  const port = await freePort();
  const alice = connection({ port, name: 'Alice', backoff: { initialMs: 40_000, maxMs: 60_000 } });
  const first = await relayProcess(port);
  await alice.connection.start();
  first.process.kill('SIGKILL');
  const waiting = await alice.state('waiting');
  assert.ok(waiting.kind === 'waiting' && waiting.retryInMs >= 20_000);
  alice.connection.capBackoff(2000);
  const capped = alice.connection.state;
  assert.ok(capped.kind === 'waiting' && capped.retryInMs <= 2000, JSON.stringify(capped));
  await relayProcess(port);
  await alice.state('connected', 10_000);
});

test('a teacher who reconnects to an address where a course server now runs never sends it the teacher key or the resume token', async () => {
  const port = await freePort();
  const key = 'tafel-kreide-schwamm-9';
  const relayChild = start(process.execPath, serveArgs(port, '--teacher-key', key));
  await relayChild.waitFor('is listening');
  const keller = connection({ port, name: 'Frau Keller', teacherKey: key, backoff: { initialMs: 100, maxMs: 300 } });
  await keller.connection.start();
  const token = keller.connection.resume?.token;
  assert.ok(token);
  relayChild.process.kill('SIGKILL');
  await relayChild.exited;
  const { child: course } = await courseServer('course_server.py', port);
  // Several reconnect attempts reach the course server meanwhile.
  await keller.state('connected', 3000).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.ok(!course.stdout.includes(key), course.stdout);
  assert.ok(!course.stdout.includes(token), course.stdout);
  assert.match(
    course.stdout,
    /'\{"type":"ping","id":"probe"\}(\\n)?' verbunden/,
    `it was asked what it speaks: ${course.stdout}`,
  );
});
