/**
 * The relay as a drop-in for the course server: course clients and every fault fixed, over raw TCP.
 * The course's Python client and netcat themselves are in courseDialect.int.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, FramedPeer, RawPeer, sleep } from '../helpers/relay/peers';
import { eventually } from '../helpers/time/wait';
import { utf8Length } from '../../src/protocol/utf8';

const relay = relaysForThisFile();

test('a newline-terminated name and a message in the same read are split correctly', async () => {
  const { port } = await relay();
  const bob = await coursePeer(port, 'Bob');
  const alice = await RawPeer.connect(port);
  alice.write('Alice\nBob:gleich mitgeschickt\n');
  await bob.waitFor('Alice: gleich mitgeschickt');
});

test('an unterminated name with a message in the same read is refused with an explanation, as documented', async () => {
  const { port, relay: server } = await relay();
  const alice = await RawPeer.connect(port);
  alice.write('AliceBob:hallo');
  const text = await alice.waitClosed();
  assert.match(
    text,
    /^Fehler: Ungültiger Name "AliceBob:hallo"\. .*kein Doppelpunkt.*Bitte neu verbinden und nur den Namen senden\.$/,
  );
  assert.deepEqual(server.online, []);
});

test('a message without a recipient gets a clear answer and the connection stays usable', async () => {
  const { port } = await relay();
  const bob = await coursePeer(port, 'Bob');
  const alice = await coursePeer(port, 'Alice');
  alice.write('ohne Doppelpunkt');
  await alice.waitFor('Fehler: Nachricht ohne Empfänger. Schreibe Empfänger:Nachricht, zum Beispiel Bob:Hallo');
  await sleep(100);
  alice.write(':leerer Empfänger');
  await alice.waitFor(/Nachricht ohne Empfänger[\s\S]*Nachricht ohne Empfänger/);
  await sleep(100);
  alice.write('Bob:noch da');
  await bob.waitFor('Alice: noch da');
  assert.equal(alice.closed, false);
});

test('a duplicate name is refused and the first holder keeps receiving its messages', async () => {
  const { port } = await relay();
  const first = await coursePeer(port, 'Bob');
  const thief = await RawPeer.connect(port);
  thief.write('bob');
  const refusal = await thief.waitClosed();
  assert.equal(refusal, 'Fehler: Der Name "bob" ist bereits vergeben. Bitte mit einem anderen Namen neu verbinden.');
  const alice = await coursePeer(port, 'Alice');
  alice.write('Bob:für den echten Bob');
  await first.waitFor('Alice: für den echten Bob');
});

test('a client that connects and sends nothing stalls no one', async () => {
  const { port } = await relay();
  const silent = await RawPeer.connect(port);
  const alice = await coursePeer(port, 'Alice');
  const bob = await coursePeer(port, 'Bob');
  alice.write('Bob:trotz stillem Client');
  await bob.waitFor('Alice: trotz stillem Client');
  assert.equal(silent.text, '');
});

test('a message longer than 1024 bytes arrives whole, and a course recipient gets it in recv-sized addressed parts', async () => {
  const { port } = await relay();
  const text = 'Zürich 🇨🇭 '.repeat(400); // about 6 KB, multi-byte throughout
  const framed = await FramedPeer.connect(port, 'Fritz');
  const bob = await coursePeer(port, 'Bob');
  const alice = await coursePeer(port, 'Alice');
  alice.write(`Fritz:${text}`);
  const message = await framed.next('message');
  assert.equal(message.text, text);
  assert.equal(message.from, 'Alice');
  await sleep(150);
  alice.write(`Bob:${text}`);
  const expectedParts = Math.ceil(utf8Length(text) / (1024 - utf8Length('Alice: ')));
  // Each part is written on its own after a pause, as the course client's recv(1024) needs.
  const reads: Buffer[] = [];
  bob.socket.on('data', (data) => reads.push(data));
  const total = utf8Length(text) + expectedParts * utf8Length('Alice: ');
  await bob.waitFor(() => bob.bytes.length >= total);
  const parts = bob.text.split(/(?=Alice: )/);
  assert.ok(parts.length >= expectedParts, `${parts.length} parts`);
  for (const part of parts) assert.ok(utf8Length(part) <= 1024, `part of ${utf8Length(part)} bytes`);
  for (const read of reads) assert.ok(read.length <= 1024, `a read of ${read.length} bytes`);
  assert.equal(parts.map((part) => part.slice('Alice: '.length)).join(''), text);
});

test('a multi-byte character split across reads is put back together', async () => {
  const { port } = await relay();
  const bob = await coursePeer(port, 'Bob');
  const alice = await coursePeer(port, 'Alice');
  const bytes = Buffer.from('Bob:Grüße 😀');
  alice.write(bytes.subarray(0, 7)); // inside the ü
  await sleep(5);
  alice.write(bytes.subarray(7, 14)); // inside the emoji
  await sleep(60); // longer than the relay's pause: it must wait for the rest of the character
  alice.write(bytes.subarray(14));
  await bob.waitFor('Alice: Grüße 😀');
});

test('one client sending invalid UTF-8 gets an error and affects no one else', async () => {
  const { port } = await relay();
  const bob = await coursePeer(port, 'Bob');
  const alice = await coursePeer(port, 'Alice');
  const carol = await coursePeer(port, 'Carol');
  carol.write(Buffer.from([0x42, 0x6f, 0x62, 0x3a, 0xff, 0xfe]));
  await carol.waitFor('Fehler: Die Nachricht ist kein gültiges UTF-8 und wurde nicht weitergeleitet.');
  alice.write('Bob:alles gut');
  await bob.waitFor('Alice: alles gut');
  await sleep(100);
  carol.write('Bob:wieder gültig');
  await bob.waitFor('Carol: wieder gültig');
  assert.doesNotMatch(bob.text, /\uFFFD/);
});

test('names are checked: too long, bad characters and reserved names are refused with the reason', async () => {
  const { port } = await relay();
  const cases: Array<[string, RegExp]> = [
    ['x'.repeat(40), /zu lang \(höchstens 32 Zeichen\)/],
    ['<script>', /Erlaubt sind Buchstaben/],
    ['Alle', /für den Relay-Server reserviert/],
  ];
  for (const [name, reason] of cases) {
    const peer = await RawPeer.connect(port);
    peer.write(name);
    assert.match(await peer.waitClosed(), reason);
  }
});

test('a message over the size limit is refused with the limit and the sender stays connected', async () => {
  const { port } = await relay({ maxCourseMessageBytes: 2000 });
  const bob = await coursePeer(port, 'Bob', true);
  const alice = await coursePeer(port, 'Alice', true);
  alice.write(`Bob:${'x'.repeat(3000)}\n`);
  await alice.waitFor('Fehler: Nachricht zu lang (höchstens 2000 Bytes). Sie wurde nicht weitergeleitet.\n');
  alice.write('Bob:kurz\n');
  await bob.waitFor('Alice: kurz\n');
  assert.doesNotMatch(bob.text, /xxx/);
});

test('a connection that never sends a name is closed after the registration time', async () => {
  const { port, logs } = await relay({ registrationTimeoutMs: 200 });
  const silent = await RawPeer.connect(port);
  assert.equal(await silent.waitClosed(), 'Fehler: Kein Name empfangen. Die Verbindung wird getrennt.');
  assert.ok(
    logs.some((line) => /refused .* no name within the registration time/.test(line)),
    logs.join('\n'),
  );
});

test('joins, leaves and errors are logged in one readable line each', async () => {
  const { port, logs } = await relay();
  const alice = await coursePeer(port, 'Alice');
  alice.write('kaputt');
  await alice.waitFor('Fehler');
  alice.close();
  await eventually(
    () => logs.some((line) => / leave /.test(line)),
    () => `the leave line; logged ${logs.join('\n')}`,
  );
  const relevant = logs.filter((line) => / (join|error|leave) /.test(line));
  assert.equal(relevant.length, 3, relevant.join('\n'));
  assert.match(
    relevant[0]!,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ join +Alice — course client from 127\.0\.0\.1:\d+ \(unterminated\)$/,
  );
  assert.match(relevant[1]!, /^\S+ \S+ error +Alice — message without recipient$/);
  assert.match(relevant[2]!, /^\S+ \S+ leave +Alice — 0 online$/);
  assert.ok(logs.every((line) => !line.includes('\n')));
});
