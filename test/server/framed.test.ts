/**
 * The relay's framed protocol: registration, acks, presence, snippets, broadcasts, limits, and mixed rooms with
 * course peers. The course's own Python client is in framed.int.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { UNTHROTTLED_INPUT } from '../helpers/relay/allowances';
import { coursePeer, FramedPeer, RawPeer, sleep, startRelay } from '../helpers/relay/peers';
import { encodeFrame } from '../../src/protocol/frameCodec';

const relay = relaysForThisFile();

test('hello is answered with a welcome naming the version, who is online and the limits', async () => {
  const { port } = await relay();
  await coursePeer(port, 'Bob');
  const alice = await FramedPeer.connect(port);
  alice.send({ type: 'hello', protocol: 'classroom-relay', versions: [1, 7], name: 'Alice', client: 'test' });
  const welcome = await alice.next('welcome');
  assert.equal(welcome.version, 1);
  assert.equal(welcome.name, 'Alice');
  assert.deepEqual(welcome.online, ['Bob']);
  assert.equal(welcome.limits.textBytes, 16384);
});

test('a hello with no common version is refused with the supported versions', async () => {
  const { port } = await relay();
  const peer = await FramedPeer.connect(port);
  peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [2, 3], name: 'Alice' });
  const error = await peer.next('error');
  assert.deepEqual(
    { code: error.code, fatal: error.fatal, supported: error.supported },
    { code: 'unsupported-version', fatal: true, supported: [1] },
  );
  await peer.waitClosed();
});

test('a framed client must say hello first; other frames get hello-required and the connection stays', async () => {
  const { port } = await relay();
  const peer = await FramedPeer.connect(port);
  peer.send({ type: 'send', id: '1', to: 'Bob', text: 'hi' });
  assert.equal((await peer.next('error')).code, 'hello-required');
  peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Alice' });
  await peer.next('welcome');
});

test('name problems are refused with their own error codes', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Alice');
  const cases: Array<[string, string]> = [
    ['alice', 'name-taken'],
    ['Bob:x', 'name-invalid'],
    ['Server', 'name-reserved'],
    ['', 'name-invalid'],
  ];
  for (const [name, code] of cases) {
    const peer = await FramedPeer.connect(port);
    peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name });
    const error = await peer.next('error');
    assert.equal(error.code, code, name);
    assert.equal(error.fatal, true);
    await peer.waitClosed();
  }
});

test('a direct message is delivered with sender, time and id, and acknowledged as delivered', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  const bob = await FramedPeer.connect(port, 'Bob');
  alice.send({ type: 'send', id: 'm1', to: 'bob', text: 'Hallo 👋\nzweite Zeile' });
  assert.deepEqual(await alice.next('ack'), { type: 'ack', id: 'm1', status: 'delivered' });
  const message = await bob.next('message');
  assert.equal(message.from, 'Alice');
  assert.equal(message.text, 'Hallo 👋\nzweite Zeile');
  assert.equal(message.id, 'm1');
  assert.ok(Date.now() - Date.parse(message.at) < 5000);
});

test('a message to nobody is acknowledged as unknown-peer', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  alice.send({ type: 'send', id: 'm1', to: 'Niemand', text: 'hallo?' });
  assert.deepEqual(await alice.next('ack'), { type: 'ack', id: 'm1', status: 'unknown-peer' });
});

test('a resent message id is acknowledged again but delivered only once', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  const bob = await FramedPeer.connect(port, 'Bob');
  alice.send({ type: 'send', id: 'same', to: 'Bob', text: 'einmal' });
  await alice.next('ack');
  await alice.close();
  const again = await FramedPeer.connect(port, 'Alice');
  again.send({ type: 'send', id: 'same', to: 'Bob', text: 'einmal' });
  assert.deepEqual(await again.next('ack'), { type: 'ack', id: 'same', status: 'delivered', duplicate: true });
  await bob.next('message');
  await sleep(100);
  assert.equal(bob.frames.filter((frame) => frame.type === 'message').length, 0);
});

test('presence: joins and leaves of both kinds of client reach framed clients', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  const bob = await FramedPeer.connect(port, 'Bob');
  assert.deepEqual(await alice.next('presence'), { type: 'presence', event: 'join', name: 'Bob' });
  const carol = await coursePeer(port, 'Carol');
  assert.deepEqual(await alice.next('presence'), { type: 'presence', event: 'join', name: 'Carol' });
  carol.close();
  assert.deepEqual(await alice.next('presence'), { type: 'presence', event: 'leave', name: 'Carol' });
  void bob.close();
  assert.deepEqual(await alice.next('presence'), { type: 'presence', event: 'leave', name: 'Bob' });
});

test('a snippet keeps its language, file and lines for framed clients and reads as a code fence for course clients', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  const bob = await FramedPeer.connect(port, 'Bob');
  const carol = await coursePeer(port, 'Carol');
  const snippet = {
    code: 'def greet(name):\n    return f"Hallo {name}"',
    language: 'python',
    file: 'client.py',
    lines: { start: 10, end: 11 },
  };
  alice.send({ type: 'snippet', id: 's1', to: 'Bob', snippet });
  assert.equal((await alice.next('ack')).status, 'delivered');
  assert.deepEqual((await bob.next('snippet')).snippet, snippet);
  alice.send({ type: 'snippet', id: 's2', to: 'Carol', snippet });
  // Every line a course client sees of it starts with the sender.
  await carol.waitFor(
    'Alice: ```python client.py:10-11\nAlice: def greet(name):\nAlice:     return f"Hallo {name}"\nAlice: ```',
  );
});

test('text or snippet code over the limit is rejected with the reason; the connection carries on', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  await FramedPeer.connect(port, 'Bob');
  alice.send({ type: 'send', id: 'big', to: 'Bob', text: 'ä'.repeat(9000) });
  const ack = await alice.next('ack');
  assert.equal(ack.status, 'rejected');
  assert.equal(ack.reason, 'too-large');
  assert.equal(ack.detail, 'the text has 18000 bytes; at most 16384 are allowed');
  alice.send({ type: 'snippet', id: 'code', to: 'Bob', snippet: { code: '#'.repeat(50_000), language: 'python' } });
  assert.deepEqual(await alice.next('ack'), {
    type: 'ack',
    id: 'code',
    status: 'rejected',
    reason: 'too-large',
    detail: 'the snippet code has 50000 bytes; at most 49152 are allowed',
  });
  alice.send({ type: 'send', id: 'ok', to: 'Bob', text: 'kurz' });
  assert.equal((await alice.next('ack')).status, 'delivered');
});

test('a frame over 64 KiB, bad JSON, invalid UTF-8 and unknown types get errors without closing the connection', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  alice.socket.write(`${JSON.stringify({ type: 'send', id: 'x', to: 'Bob', text: 'y'.repeat(70_000) })}\n`);
  assert.equal((await alice.next('error')).code, 'frame-too-large');
  alice.socket.write('not json\n');
  assert.equal((await alice.next('error')).code, 'bad-frame');
  alice.socket.write(Buffer.concat([Buffer.from('{"type":"ping","id":"'), Buffer.from([0xff]), Buffer.from('"}\n')]));
  assert.equal((await alice.next('error')).code, 'invalid-utf8');
  alice.socket.write('{"type":"dance"}\n');
  const unknown = await alice.next('error');
  assert.deepEqual({ code: unknown.code, fatal: unknown.fatal }, { code: 'unknown-type', fatal: false });
  alice.send({ type: 'ping', id: 'still-here' });
  assert.deepEqual(await alice.next('pong'), { type: 'pong', id: 'still-here' });
});

test('a frame split at every byte boundary on a real socket is understood', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port);
  const bytes = Buffer.concat([
    encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Älice' }),
    encodeFrame({ type: 'send', id: '1', to: 'Bob', text: 'Stück für Stück 🧩' }),
  ]);
  for (const byte of bytes) {
    alice.socket.write(Uint8Array.of(byte));
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal((await bob.next('message')).text, 'Stück für Stück 🧩');
});

test('many frames in one write are all handled in order', async () => {
  const { port } = await relay({ rate: { perMinute: 6000, burst: 500 }, input: UNTHROTTLED_INPUT });
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port, 'Alice');
  alice.socket.write(
    Buffer.concat(
      Array.from({ length: 200 }, (_, index) =>
        encodeFrame({ type: 'send', id: `m${index}`, to: 'Bob', text: `#${index}` }),
      ),
    ),
  );
  for (let index = 0; index < 200; index++) assert.equal((await bob.next('message')).text, `#${index}`);
});

test('a recipient that stops reading gets no more than its buffer; the sender is told it is busy', async () => {
  const { port } = await relay({ rate: { perMinute: 60_000, burst: 2000 }, input: UNTHROTTLED_INPUT });
  const alice = await FramedPeer.connect(port, 'Alice');
  const bob = await FramedPeer.connect(port, 'Bob');
  bob.socket.pause();
  const text = 'x'.repeat(16_000);
  let status = 'delivered';
  for (let index = 0; index < 2000 && status === 'delivered'; index++) {
    alice.send({ type: 'send', id: `f${index}`, to: 'Bob', text });
    const ack = await alice.next('ack');
    status = ack.status === 'rejected' ? `${ack.status}:${ack.reason}` : ack.status;
  }
  assert.equal(status, 'rejected:recipient-busy');
  const carol = await FramedPeer.connect(port, 'Carol');
  alice.send({ type: 'send', id: 'other', to: 'Carol', text: 'du bist nicht betroffen' });
  assert.equal((await carol.next('message')).text, 'du bist nicht betroffen');
});

test('the relay pings a silent framed client and drops it when it never answers', async () => {
  const { port, logs } = await relay({ keepaliveMs: 100 });
  const alice = await RawPeer.connect(port);
  alice.write(encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Alice' }));
  const watcher = await FramedPeer.connect(port, 'Watcher');
  // Alice reads but never answers: she is pinged, then dropped.
  await alice.waitFor('{"type":"ping"}', 3000);
  await alice.waitClosed(3000);
  assert.deepEqual(await watcher.next('presence', (frame) => frame.event === 'leave', 3000), {
    type: 'presence',
    event: 'leave',
    name: 'Alice',
  });
  assert.ok(
    logs.some((line) => /closed\s+Alice — silent for [\d.]+ s/.test(line)),
    logs.join('\n'),
  );
});

test('mixed room: a netcat user and a framed client message each other', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const nina = await coursePeer(port, 'Nina', true);
  nina.write('Bob:hallo\n');
  assert.equal((await bob.next('message')).text, 'hallo');
  bob.send({ type: 'send', id: 'x', to: 'Nina', text: 'zurück' });
  await nina.waitFor('Bob: zurück\n');
});

test('shutting down tells framed clients why and closes every connection', async () => {
  const started = await startRelay();
  const alice = await FramedPeer.connect(started.port, 'Alice');
  const carol = await coursePeer(started.port, 'Carol');
  await started.close();
  const error = await alice.next('error');
  assert.deepEqual({ code: error.code, fatal: error.fatal }, { code: 'server-shutdown', fatal: true });
  await alice.waitClosed();
  await carol.waitClosed();
  assert.ok(started.logs.some((line) => / stopped /.test(line)));
  await assert.rejects(RawPeer.connect(started.port));
});

test('a client presenting its resume token takes its name over from a stale connection and gets the messages it missed', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const old = await FramedPeer.connect(port);
  old.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Alice' });
  const first = await old.next('welcome');
  assert.match(first.resume ?? '', /^[\w-]{20,}$/);
  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'gesehen' });
  const seen = await old.next('message');
  assert.equal(seen.seq, 1);
  // Alice's laptop sleeps: her old connection reads nothing more, but the relay still holds it.
  old.socket.pause();
  bob.send({ type: 'send', id: 'b2', to: 'Alice', text: 'verpasst 1' });
  bob.send({ type: 'send', id: 'b3', to: 'Alice', text: 'verpasst 2' });
  assert.deepEqual(
    (await Promise.all([bob.next('ack'), bob.next('ack')])).map((ack) => ack.status),
    ['delivered', 'delivered'],
  );

  const impostor = await FramedPeer.connect(port);
  impostor.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Alice',
    resume: { token: 'x'.repeat(24), lastSeq: 0 },
  });
  assert.equal((await impostor.next('error')).code, 'name-taken');

  const back = await FramedPeer.connect(port);
  back.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Alice',
    resume: { token: first.resume!, lastSeq: 1 },
  });
  const welcome = await back.next('welcome');
  assert.equal(welcome.resumed, true);
  assert.ok(
    welcome.resume && welcome.resume !== first.resume,
    'each resume gets a new token: a token seen once is good for one resume at most',
  );
  const missed = [await back.next('message'), await back.next('message')];
  assert.deepEqual(
    missed.map((message) => [message.id, message.text, message.seq]),
    [
      ['b2', 'verpasst 1', 2],
      ['b3', 'verpasst 2', 3],
    ],
  );
  old.socket.resume();
  assert.equal((await old.next('error', (frame) => frame.code === 'replaced')).fatal, true);
  await old.waitClosed();
  bob.send({ type: 'send', id: 'b4', to: 'Alice', text: 'wieder da' });
  assert.deepEqual([(await back.next('message')).text, (await bob.next('ack')).status], ['wieder da', 'delivered']);
});

test('a resume token from before a relay restart is not known: the client registers afresh and numbering starts again', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port);
  alice.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Alice',
    resume: { token: 'unbekannt-unbekannt-unbekannt', lastSeq: 41 },
  });
  const welcome = await alice.next('welcome');
  assert.equal(welcome.resumed, undefined);
  assert.notEqual(welcome.resume, 'unbekannt-unbekannt-unbekannt');
  const bob = await FramedPeer.connect(port, 'Bob');
  bob.send({ type: 'send', id: 'n1', to: 'Alice', text: 'neu' });
  assert.equal((await alice.next('message')).seq, 1);
});
