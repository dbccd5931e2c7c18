/** Our client against the Python re-creations of the course servers: detection, the course and course-lan dialects. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEvent } from '../../src/client/types';
import { coursePeer, RawPeer } from '../helpers/relay/peers';
import { courseServer, stopAll } from '../helpers/process/processes';
import { FAST_COURSE, sessionsForThisFile } from '../helpers/client/sessions';
import { utf8Length } from '../../src/protocol/utf8';
import { addressedParts } from '../../src/protocol/course';

const open = sessionsForThisFile();
after(stopAll);

test('auto detection falls back to the course dialect on the course server, registering the right name', async () => {
  const { child, port } = await courseServer('course_server.py');
  const bob = await coursePeer(port, 'Bob');
  const { session } = await open(port, 'Alice');
  assert.equal(session.dialect, 'course');
  await child.waitFor("'Alice' verbunden");
  assert.deepEqual(await session.send('Bob', 'Hallo Bob'), { status: 'sent' });
  await bob.waitFor('Alice: Hallo Bob');
});

test('auto detection recognises the course-lan server by its answer and stays connected', async () => {
  const { port } = await courseServer('course_lan_server.py');
  const { session, events, next } = await open(port, 'ignored');
  assert.equal(session.dialect, 'course-lan');
  assert.equal(session.name, '127.0.0.1');
  // Everyone is known by IP there, and this machine is 127.0.0.1: the message comes back to us.
  assert.deepEqual(await session.send('127.0.0.1', 'noch verbunden'), { status: 'sent' });
  assert.equal((await next('message')).text, 'noch verbunden');
  assert.deepEqual(
    events.filter((event) => event.type === 'notice'),
    [],
    'the detection\'s "not found" is not shown',
  );
});

test('course dialect: name and first message never share a read, and both directions work', async () => {
  const { child, port } = await courseServer('course_server.py');
  const bob = await coursePeer(port, 'Bob');
  const alice = await open(port, 'Alice', 'course');
  assert.deepEqual(await alice.session.send('Bob', 'sofort nach dem Namen'), { status: 'sent' });
  await bob.waitFor('Alice: sofort nach dem Namen');
  assert.match(child.stdout, /'Alice' verbunden/);
  bob.write('Alice:Antwort: mit Doppelpunkt');
  const message = await alice.next('message');
  assert.deepEqual([message.from, message.text], ['Bob', 'Antwort: mit Doppelpunkt']);
});

test('course dialect: the German "not found" answer is reported as unknown peer', async () => {
  const { port } = await courseServer('course_server.py');
  const alice = await open(port, 'Alice', 'course');
  assert.deepEqual(await alice.session.send('Niemand', 'hallo?'), { status: 'unknown-peer' });
  assert.equal(alice.events.filter((event) => event.type === 'notice').length, 0);
});

test('course dialect: a long message goes out in addressed parts of at most 1024 bytes, paced, and arrives whole', async () => {
  const { child, port } = await courseServer('course_server.py');
  const bob = await RawPeer.connect(port);
  bob.write('Bob');
  await child.waitFor("'Bob' verbunden");
  const alice = await open(port, 'Alice', 'course');
  const text = `${'Grüße aus Zürich 🇨🇭 und Bern; '.repeat(120)}ENDE`;
  const result = await alice.session.send('Bob', text);
  assert.deepEqual(result, { status: 'sent' });
  await bob.waitFor('ENDE');
  const parts = bob.text.split(/(?=Alice: )/);
  assert.ok(parts.length >= Math.ceil(utf8Length(text) / 1020), `${parts.length} parts`);
  assert.equal(parts.map((part) => part.slice('Alice: '.length)).join(''), text);
  // Had a part exceeded recv(1024) or split a character, the course server would have dropped us.
  assert.doesNotMatch(child.stdout, /'Alice' beendet/);
  assert.equal(alice.session.isOpen, true);
});

test('course dialect: a long message to someone not online fails at its first answer; the rest is not sent and no answer shows as a stray notice', async () => {
  const { port } = await courseServer('course_server.py');
  const written: string[] = [];
  const { session } = await open(port, 'Alice', 'course', {
    trace: (direction, bytes) => {
      if (direction === 'out') written.push(Buffer.from(bytes).toString('utf8'));
    },
  });
  const notices: SessionEvent[] = [];
  session.onEvent((event) => {
    if (event.type === 'notice') notices.push(event);
  });
  const text = `${'Bist du da? '.repeat(400)}ENDE`;
  const parts = addressedParts('Niemand', text).length;
  assert.deepEqual(await session.send('Niemand', text), { status: 'unknown-peer' });
  await new Promise((resolve) => setTimeout(resolve, 3 * FAST_COURSE.notFoundWaitMs));
  const sent = written.filter((chunk) => chunk.startsWith('Niemand:')).length;
  assert.ok(sent < parts, `${sent} of ${parts} parts were sent`);
  assert.deepEqual(notices, []);
});

test('course dialect: a snippet is sent as a readable code fence and arrives as a snippet', async () => {
  const { port } = await courseServer('course_server.py');
  const alice = await open(port, 'Alice', 'course');
  const bob = await open(port, 'Bob', 'course');
  const snippet = {
    code: 'for i in range(3):\n    print(i)',
    language: 'python',
    file: 'loop.py',
    lines: { start: 1, end: 2 },
  };
  assert.deepEqual(await alice.session.sendSnippet('Bob', snippet), { status: 'sent' });
  const received = await bob.next('snippet');
  assert.deepEqual([received.from, received.snippet], ['Alice', snippet]);
});

test('course dialect: a snippet longer than one course message arrives in parts and is put back together', async () => {
  const { port } = await courseServer('course_server.py');
  const alice = await open(port, 'Alice', 'course');
  const bob = await open(port, 'Bob', 'course');
  const code = Array.from({ length: 60 }, (_, index) => `print("Zeile ${index}: äöü €")`).join('\n');
  const snippet = { code, language: 'python', file: 'lang.py', lines: { start: 1, end: 60 } };
  assert.deepEqual(await alice.session.sendSnippet('Bob', snippet), { status: 'sent' });
  const received = await bob.next('snippet', 10_000);
  assert.deepEqual(received.snippet, snippet);
  assert.equal(bob.events.filter((event) => event.type === 'message').length, 0);
});

test('course dialect: an unfinished code fence is shown as text once its rest does not come', async () => {
  const { port } = await courseServer('course_server.py');
  const bob = await open(port, 'Bob', 'course');
  const raw = await RawPeer.connect(port);
  raw.write('Carol');
  await new Promise((resolve) => setTimeout(resolve, 300));
  raw.write('Bob:```python\nprint("nie fertig")');
  const message = await bob.next('message', 6000);
  assert.deepEqual([message.from, message.text], ['Carol', '```python\nprint("nie fertig")']);
});

test('course-lan dialect: messages are addressed by IP address', async () => {
  const { port } = await courseServer('course_lan_server.py');
  const a = await open(port, '', 'course-lan');
  assert.equal(a.session.name, '127.0.0.1');
  assert.deepEqual(await a.session.send('10.9.9.9', 'hallo?'), { status: 'unknown-peer' });
  assert.deepEqual(await a.session.send('127.0.0.1', 'an mich selbst'), { status: 'sent' });
  const message = await a.next('message');
  assert.deepEqual([message.from, message.text], ['127.0.0.1', 'an mich selbst']);
});
