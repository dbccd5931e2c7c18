/**
 * The relay under hostile clients: one test per way a client could exhaust it or mislead
 * others. Attack traffic goes only to 127.0.0.0/8; 127.0.0.2 and 127.0.0.3 play other hosts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { UNTHROTTLED_INPUT } from '../helpers/relay/allowances';
import { coursePeer, FramedPeer, RawPeer, sleep } from '../helpers/relay/peers';
import { eventually } from '../helpers/time/wait';
import { encodeFrame } from '../../src/protocol/frameCodec';
import type { ClientFrame, Feature } from '../../src/protocol/frames';
import { MAX_FRAME_BYTES } from '../../src/protocol/limits';
import { ByteBuffer } from '../../src/protocol/byteBuffer';
import { addressGroup } from '../../src/server/connections/addressGroup';
import { RecentIds } from '../../src/server/routing/recentIds';

const relay = relaysForThisFile();

const hello = (name: string, features?: Feature[]): ClientFrame =>
  features
    ? { type: 'hello', protocol: 'classroom-relay', versions: [1], name, features }
    : { type: 'hello', protocol: 'classroom-relay', versions: [1], name };

const linesAbout = (logs: string[], who: string) => logs.filter((line) => line.includes(who));

/** Writes `total` bytes of `chunk` as fast as the socket takes them, without reading anything. */
async function flood(peer: RawPeer, chunk: Buffer, total: number): Promise<void> {
  for (let sent = 0; sent < total && !peer.closed; sent += chunk.length) {
    if (!peer.socket.write(chunk))
      await Promise.race([new Promise((resolve) => peer.socket.once('drain', resolve)), sleep(200)]);
  }
}

// The controls that must not reach a log or a terminal unescaped.
// eslint-disable-next-line no-control-regex -- these controls are what the assertions look for
const CONTROLS_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

test('a client that never reads and floods bad frames is closed after a bounded number of errors, logged in a few lines', async () => {
  const { port, logs, relay: server } = await relay();
  const attacker = await RawPeer.connect(port);
  attacker.write(encodeFrame(hello('Mallory')));
  await attacker.waitFor('"welcome"');
  attacker.socket.pause();
  await flood(attacker, Buffer.from('x\n'.repeat(32 * 1024)), 20 * 1024 * 1024);
  await eventually(
    () => server.connectionCount === 0,
    () => `the relay still holds ${server.connectionCount} connection(s)`,
  );
  const about = linesAbout(logs, 'Mallory');
  assert.ok(
    about.some((line) => /closed\s+Mallory — more than 20 errors within 10 s/.test(line)),
    about.join('\n'),
  );
  assert.ok(about.length <= 15, `the log has ${about.length} lines about Mallory:\n${about.join('\n')}`);
});

test('a client that asks for replies it never reads (pings) is closed once its replies pass the output cap', async () => {
  const {
    port,
    logs,
    relay: server,
  } = await relay({
    output: { messageBytes: 64 * 1024, headroomBytes: 16 * 1024 },
    input: UNTHROTTLED_INPUT,
  });
  const attacker = await RawPeer.connect(port);
  attacker.write(encodeFrame(hello('Pinger')));
  await attacker.waitFor('"welcome"');
  attacker.socket.pause();
  const pings = Buffer.concat(
    Array.from({ length: 2000 }, (_, index) => encodeFrame({ type: 'ping', id: `p${index}` })),
  );
  await flood(attacker, pings, 64 * 1024 * 1024);
  await eventually(
    () => server.connectionCount === 0,
    () => `the relay still holds ${server.connectionCount} connection(s)`,
    20_000,
  );
  const closed = logs.find((line) =>
    /leave\s+Pinger — 0 online; closed by the relay: not reading: \d+ KiB waiting for it/.test(line),
  );
  assert.ok(closed, logs.join('\n'));
});

test('a course client that floods lines without a recipient and never reads gets German errors, then is closed', async () => {
  const { port, logs, relay: server } = await relay();
  const attacker = await coursePeer(port, 'Nerv', true);
  attacker.socket.pause();
  await flood(attacker, Buffer.from('x\n'.repeat(16 * 1024)), 8 * 1024 * 1024);
  await eventually(
    () => server.connectionCount === 0,
    () => `the relay still holds ${server.connectionCount} connection(s)`,
  );
  assert.ok(linesAbout(logs, 'Nerv').length <= 15, linesAbout(logs, 'Nerv').join('\n'));
  attacker.socket.resume();
  await attacker.waitClosed();
  assert.match(attacker.text, /Fehler: Nachricht ohne Empfänger/);
  assert.match(attacker.text, /Fehler: Zu viele fehlerhafte Nachrichten\. Die Verbindung wird getrennt\.\n$/);
});

test('repeated log lines of one connection are summed up instead of written one by one', async () => {
  const { port, logs } = await relay({ errors: { count: 1000, windowMs: 10_000 } });
  const peer = await FramedPeer.connect(port, 'Viel');
  for (let index = 0; index < 100; index++) peer.socket.write('{"type":"nonsense"}\n');
  for (let index = 0; index < 100; index++) await peer.next('error');
  void peer.close();
  await eventually(
    () => logs.some((line) => /leave\s+Viel/.test(line)),
    () => logs.join('\n'),
  );
  const about = linesAbout(logs, 'Viel');
  assert.equal(about.filter((line) => /error\s+Viel/.test(line)).length, 10, about.join('\n'));
  assert.ok(
    about.some((line) => /muted\s+Viel — 90 more line\(s\) of this connection were left out/.test(line)),
    about.join('\n'),
  );
});

test('connections that never register share one log budget: 210 that send a TLS handshake, bad frames or nothing write a few lines, and one line says how many were left out', async () => {
  const {
    port,
    logs,
    relay: server,
  } = await relay({
    maxConnections: 1000,
    maxConnectionsPerAddress: 1000,
    registrationTimeoutMs: 1000,
    errors: { count: 2, windowMs: 10_000 },
    logLimit: { lines: 10, windowMs: 60_000 },
  });
  const clientHello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03]);
  const misbehave = [
    (peer: RawPeer) => peer.write(clientHello),
    (peer: RawPeer) => peer.write('{"type":"nonsense"}\n'.repeat(3)),
    () => {}, // silent until the registration deadline
  ];
  const peers: RawPeer[] = [];
  for (let index = 0; index < 210; index++) {
    const peer = await RawPeer.connect(port);
    misbehave[index % 3]!(peer);
    peers.push(peer);
  }
  await Promise.all(peers.map((peer) => peer.waitClosed(10_000)));
  await eventually(
    () => server.connectionCount === 0,
    () => `the relay still holds ${server.connectionCount} connection(s)`,
  );
  await server.close();
  const about = logs.filter((line) => !/ (listening|stopping|stopped) /.test(line));
  assert.ok(
    about.length <= 15,
    `the log has ${about.length} lines about connections that never registered:\n${about.join('\n')}`,
  );
  const leftOut = about
    .map((line) =>
      /muted\s+unregistered — (\d+) more line\(s\) about connections without a name were left out/.exec(line),
    )
    .filter((match) => match !== null);
  assert.ok(leftOut.length > 0, about.join('\n'));
  const written = about.length - leftOut.length;
  const total = written + leftOut.reduce((sum, match) => sum + Number(match[1]), 0);
  assert.ok(
    total >= 210,
    `${written} lines written and ${total - written} left out for 210 connections:\n${about.join('\n')}`,
  );
});

test('connections are limited in total and per address; refused ones are told why in their dialect', async () => {
  const { port, relay: server } = await relay({ maxConnections: 6, maxConnectionsPerAddress: 3 });
  // Registered: a connection still without a name would be closed to make room (test/server/slots.test.ts).
  const registered = async (name: string, from?: string) => {
    const peer = await RawPeer.connect(port, from === undefined ? {} : { from });
    peer.write(`${name}\n`);
    await eventually(
      () => server.online.includes(name),
      () => `${name} is not online`,
    );
    return peer;
  };
  const held = await Promise.all([1, 2, 3].map((index) => registered(`Erster ${index}`)));
  const fourth = await RawPeer.connect(port);
  fourth.write('Vierter\n');
  assert.equal(
    await fourth.waitClosed(),
    'Fehler: Der Relay-Server hat gerade zu viele Verbindungen. Bitte später neu verbinden.\n',
  );
  // Another host is not affected by the first host's limit.
  const other = await Promise.all([1, 2, 3].map((index) => registered(`Anderer ${index}`, '127.0.0.2')));
  await eventually(
    () => server.connectionCount === 6,
    () => `${server.connectionCount} connections`,
  );
  // The total limit holds whoever asks; a framed client hears it as a fatal error.
  const third = await FramedPeer.connect(port);
  third.socket.write(encodeFrame(hello('Dritter')));
  const error = await third.next('error');
  assert.deepEqual({ code: error.code, fatal: error.fatal }, { code: 'too-many-connections', fatal: true });
  for (const peer of [...held, ...other]) peer.close();
  await eventually(
    () => server.connectionCount === 0,
    () => `${server.connectionCount} connections`,
  );
  const again = await coursePeer(port, 'Wieder', true);
  again.write('Wieder:hallo\n');
  await again.waitFor('Wieder: hallo\n');
});

test('a silent connection is closed at the registration deadline, and destroyed if it never closes its side', async () => {
  const { port, relay: server } = await relay({ registrationTimeoutMs: 200, closeGraceMs: 300 });
  const silent = await RawPeer.connect(port, { halfOpen: true });
  await silent.waitFor('Fehler: Kein Name empfangen. Die Verbindung wird getrennt.', 3000);
  await eventually(
    () => silent.ended,
    () => 'the relay to end its side',
  );
  // The peer keeps its side open; the relay does not wait for it forever.
  await eventually(
    () => server.connectionCount === 0,
    () => `${server.connectionCount} connection(s) still open`,
    3000,
  );
  assert.equal(silent.closed, false, 'the peer itself never closed');
});

test('a registered course client that stays silent past the idle time is told and disconnected', async () => {
  const { port, logs } = await relay({ courseIdleMs: 300 });
  const idle = await coursePeer(port, 'Still', true);
  await idle.waitClosed(3000);
  assert.match(idle.text, /^Fehler: Seit 0 Minuten keine Nachricht\. Die Verbindung wird getrennt/);
  assert.ok(
    logs.some((line) => /closed\s+Still — course client idle/.test(line)),
    logs.join('\n'),
  );
});

test('the welcome stays under the frame limit however many are online; the rest come in pages', async () => {
  const { port } = await relay({
    maxConnections: 1000,
    maxConnectionsPerAddress: 1000,
    registrations: { burst: 1000 },
  });
  const names = Array.from(
    { length: 600 },
    (_, index) => `Schülerin mit langem Namen ${String(index).padStart(3, '0')}`,
  );
  const peers: RawPeer[] = [];
  for (const batch of chunks(names, 50)) {
    peers.push(
      ...(await Promise.all(
        batch.map(async (name) => {
          const peer = await RawPeer.connect(port);
          peer.write(`${name}\n`);
          return peer;
        }),
      )),
    );
  }
  await sleep(200);
  const alice = await RawPeer.connect(port);
  alice.write(encodeFrame(hello('Alice')));
  const text = await alice.waitFor((received) => received.includes('\n'), 5000);
  const welcomeLine = text.slice(0, text.indexOf('\n') + 1);
  assert.ok(
    Buffer.byteLength(welcomeLine) <= MAX_FRAME_BYTES,
    `the welcome has ${Buffer.byteLength(welcomeLine)} bytes`,
  );
  const welcome = JSON.parse(welcomeLine) as { type: string; onlineTotal: number; online: string[] };
  assert.equal(welcome.type, 'welcome');
  assert.equal(welcome.onlineTotal, 600);
  assert.ok(welcome.online.length < 600 && welcome.online.length > 0);
  alice.close();
  const bob = await FramedPeer.connect(port, 'Bob');
  const seen: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page++) {
    bob.send(after === undefined ? { type: 'who', id: `w${page}` } : { type: 'who', id: `w${page}`, after });
    const online = await bob.next('online');
    assert.equal(online.total, 600);
    seen.push(...online.names);
    if (online.next === undefined) break;
    after = online.next;
  }
  assert.deepEqual([...seen].sort(), [...names].sort());
  for (const peer of peers) peer.close();
});

test('a burst of joins reaches a connected client in a few presence batches, not one frame per join', async () => {
  const { port } = await relay({
    maxConnectionsPerAddress: 500,
    registrations: { burst: 500 },
    presence: { flushMs: 100, maxNames: 50 },
  });
  const watcher = await FramedPeer.connect(port);
  watcher.send(hello('Watcher', ['presence-batch']));
  assert.deepEqual((await watcher.next('welcome')).features, ['presence-batch']);
  const joiners = await Promise.all(
    Array.from({ length: 200 }, async (_, index) => {
      const peer = await RawPeer.connect(port);
      peer.write(encodeFrame(hello(`Gast ${index}`)));
      return peer;
    }),
  );
  await eventually(
    () =>
      watcher.frames
        .filter((frame) => frame.type === 'presence-batch')
        .some((frame) => frame.type === 'presence-batch' && frame.online === 201),
    () => JSON.stringify(watcher.frames.slice(-3)),
  );
  const batches = watcher.frames.filter((frame) => frame.type === 'presence-batch');
  assert.ok(batches.length <= 20, `${batches.length} presence frames for 200 joins`);
  assert.equal(
    watcher.frames.filter((frame) => frame.type === 'presence').length,
    0,
    'no per-event frames for a client that asked for batches',
  );
  for (const peer of joiners) peer.close();
});

test('a client that speaks version 1 without batches still gets presence, one frame per change', async () => {
  const { port } = await relay({ presence: { flushMs: 50, maxNames: 50 } });
  const old = await FramedPeer.connect(port, 'Alt');
  const bob = await FramedPeer.connect(port, 'Bob');
  assert.deepEqual(await old.next('presence'), { type: 'presence', event: 'join', name: 'Bob' });
  void bob.close();
  assert.deepEqual(await old.next('presence'), { type: 'presence', event: 'leave', name: 'Bob' });
});

test("the relay log shows a client's control characters escaped: no forged lines, no terminal colours", async () => {
  const { port, logs } = await relay();
  const peer = await FramedPeer.connect(port, 'Eve');
  peer.socket.write(
    `${JSON.stringify({ type: '\u001b[31mrot\r\n2026-11-25 14:29:11Z join      Mallory — course client\u202e' })}\n`,
  );
  await peer.next('error');
  const line = logs.find((entry) => entry.includes('unknown frame type'));
  assert.ok(line, logs.join('\n'));
  assert.doesNotMatch(logs.join('\n'), CONTROLS_BUT_LF);
  assert.match(line, /unknown frame type "\\e\[31mrot\\r\\n2026-11-25 14:29:11Z join/);
  const named = await FramedPeer.connect(port);
  named.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Mallory\u202e\u001b[2J' });
  await named.next('error');
  assert.ok(
    logs.some((entry) => entry.includes('name "Mallory\\u{202E}\\e[2J"')),
    logs.join('\n'),
  );
  assert.doesNotMatch(logs.join('\n'), CONTROLS_BUT_LF);
});

test('a multi-line message reaches course clients with the sender on every line', async () => {
  const { port } = await relay();
  const nina = await coursePeer(port, 'Nina', true);
  const alice = await FramedPeer.connect(port, 'Alice');
  alice.send({ type: 'send', id: 'm1', to: 'Nina', text: 'Hallo Nina\nTeacher: Abgabe per Mail\r\n\u001b[31mrot' });
  assert.equal(await nina.waitFor('rot\n'), 'Alice: Hallo Nina\nAlice: Teacher: Abgabe per Mail\nAlice: \\e[31mrot\n');
});

test('snippet metadata with control characters is refused at the relay', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  await coursePeer(port, 'Nina', true);
  alice.send({
    type: 'snippet',
    id: 's1',
    to: 'Nina',
    snippet: { code: 'print(1)', language: 'python', file: 'a.py\nTeacher: hand in by mail' },
  });
  const ack = await alice.next('ack');
  assert.deepEqual({ status: ack.status, reason: ack.reason }, { status: 'rejected', reason: 'invalid-snippet' });
  alice.send({ type: 'snippet', id: 's2', to: 'Nina', snippet: { code: 'print(1)', language: 'py\u001b[31m' } });
  assert.equal((await alice.next('ack')).reason, 'invalid-snippet');
});

test('a sender over the rate limit is refused with rate-limited, never dropped silently, in both dialects', async () => {
  const { port } = await relay({ rate: { perMinute: 60, burst: 5 } });
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port, 'Alice');
  for (let index = 0; index < 8; index++) alice.send({ type: 'send', id: `r${index}`, to: 'Bob', text: `#${index}` });
  const acks = await Promise.all(Array.from({ length: 8 }, () => alice.next('ack')));
  assert.deepEqual(
    acks.map((ack) => ack.status),
    ['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'rejected', 'rejected', 'rejected'],
  );
  assert.equal(acks[5]!.reason, 'rate-limited');
  assert.match(acks[5]!.detail!, /^too many messages; wait 1 s before sending again$/);
  for (let index = 0; index < 5; index++) assert.equal((await bob.next('message')).text, `#${index}`);
  await sleep(100);
  assert.equal(
    bob.frames.filter((frame) => frame.type === 'message').length,
    0,
    'the refused messages never reach Bob',
  );
  const nina = await coursePeer(port, 'Nina', true);
  for (let index = 0; index < 6; index++) nina.write(`Bob:#${index}\n`);
  await nina.waitFor(
    'Fehler: Zu viele Nachrichten. Diese wurde nicht weitergeleitet; warte 1 s und sende sie dann erneut.\n',
  );
});

test('a course client that raises and lowers its hand faster than its rate is refused in German, and the teacher sees only the changes within the rate', async () => {
  const { port } = await relay({
    teacherKey: 'kreide-tafel-schwamm-42',
    rosterMs: 50,
    rate: { perMinute: 60, burst: 5 },
  });
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: 'kreide-tafel-schwamm-42' });
  const nina = await coursePeer(port, 'Nina', true);
  // Five changes are within the burst: up, down, up, down, up with "Frage 3". The last three are refused.
  nina.write(
    ['!hand Frage 1', '!hand ab', '!hand Frage 2', '!hand ab', '!hand Frage 3', '!hand ab', '!hand Frage 4', '!hand ab']
      .map((line) => `${line}\n`)
      .join(''),
  );
  const refusal =
    'Fehler: Zu viele Nachrichten. Deine Hand bleibt, wie sie war; warte 1 s und versuche es dann erneut.\n';
  const text = await nina.waitFor((received) => received.split(refusal).length - 1 === 3);
  assert.equal(text.split('Deine Hand ist oben').length - 1, 3, text);
  assert.equal(text.split('Deine Hand ist unten.').length - 1, 2, text);
  // Anna joins after Nina's last change: the roster that shows her shows Nina's hand as it stays.
  await FramedPeer.connect(port, 'Anna');
  const roster = await keller.next('roster', (frame) => frame.entries.some((entry) => entry.name === 'Anna'));
  assert.deepEqual(roster.entries.find((entry) => entry.name === 'Nina')?.hand?.question, 'Frage 3');
});

test("message ids are remembered per sender: a client changing its name thousands of times cannot make another's resend arrive twice", async () => {
  const { port } = await relay({ registrations: { burst: 5000 }, input: UNTHROTTLED_INPUT });
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port, 'Alice');
  alice.send({ type: 'send', id: 'wichtig', to: 'Bob', text: 'einmal' });
  assert.equal((await alice.next('ack')).status, 'delivered');
  for (let index = 0; index < 4200; index++) {
    const churn = await RawPeer.connect(port);
    churn.write(
      Buffer.concat([
        encodeFrame(hello(`Wechsel${index}`)),
        encodeFrame({ type: 'send', id: 'x', to: 'Bob', text: '.' }),
      ]),
    );
    await churn.waitFor('"ack"');
    churn.close();
  }
  alice.send({ type: 'send', id: 'wichtig', to: 'Bob', text: 'einmal' });
  assert.deepEqual(await alice.next('ack'), { type: 'ack', id: 'wichtig', status: 'delivered', duplicate: true });
  await sleep(100);
  assert.equal(bob.frames.filter((frame) => frame.type === 'message' && frame.text === 'einmal').length, 1);
});

test('one host changing its name cannot use up the memory of message ids: a newcomer from another address still gets its resend acknowledged, not delivered twice', async () => {
  const { port } = await relay({ ids: { perSender: 4, perAddress: 6, total: 10 } });
  const bob = await FramedPeer.connect(port, 'Bob');
  for (let index = 0; index < 12; index++) {
    const churn = await RawPeer.connect(port, { from: '127.0.0.2' });
    churn.write(
      Buffer.concat([
        encodeFrame(hello(`Wechsel${index}`)),
        encodeFrame({ type: 'send', id: 'x', to: 'Bob', text: '.' }),
      ]),
    );
    await churn.waitFor('"ack"');
    churn.close();
  }
  const alice = await FramedPeer.connect(port, 'Alice');
  alice.send({ type: 'send', id: 'wichtig', to: 'Bob', text: 'einmal' });
  assert.equal((await alice.next('ack')).status, 'delivered');
  alice.send({ type: 'send', id: 'wichtig', to: 'Bob', text: 'einmal' });
  assert.deepEqual(await alice.next('ack'), { type: 'ack', id: 'wichtig', status: 'delivered', duplicate: true });
  await sleep(100);
  assert.equal(bob.frames.filter((frame) => frame.type === 'message' && frame.text === 'einmal').length, 1);
});

test('a host over its share of the id memory pushes out only its own oldest ids; a sender keeps its newest ids', () => {
  const ids = new RecentIds<string>({ perSender: 3, perAddress: 4, ttlMs: 60_000, total: 8 }, () => 0);
  ids.remember('bob', '10.0.0.2', 'b1', 'von Bob');
  for (let index = 0; index < 20; index++) ids.remember(`name${index}`, '10.0.0.1', 'x', `#${index}`);
  assert.equal(ids.size, 5);
  assert.equal(ids.get('bob', 'b1'), 'von Bob');
  assert.deepEqual(
    [15, 16, 17, 18, 19].map((index) => ids.get(`name${index}`, 'x')),
    [undefined, '#16', '#17', '#18', '#19'],
  );
  for (let index = 1; index <= 5; index++) ids.remember('carol', '10.0.0.3', `c${index}`, `#${index}`);
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((index) => ids.get('carol', `c${index}`)),
    [undefined, undefined, '#3', '#4', '#5'],
  );
  // Every slot holds a live id now: a newcomer is still remembered, and the address holding the most gives way.
  assert.equal(ids.size, 8);
  ids.remember('dave', '10.0.0.4', 'd1', 'von Dave');
  assert.equal(ids.get('dave', 'd1'), 'von Dave');
  assert.equal(ids.get('name16', 'x'), undefined);
  assert.equal(ids.get('bob', 'b1'), 'von Bob');
});

test('remembered message ids expire after their time, and expired ids free their slots for others', () => {
  let now = 0;
  const ids = new RecentIds<string>({ perSender: 10, perAddress: 10, ttlMs: 1000, total: 2 }, () => now);
  ids.remember('alice', '10.0.0.1', 'm1', 'von Alice');
  ids.remember('bob', '10.0.0.2', 'm1', 'von Bob');
  now = 999;
  assert.equal(ids.get('alice', 'm1'), 'von Alice');
  now = 1000;
  assert.equal(ids.get('alice', 'm1'), undefined);
  now = 1500;
  ids.remember('carol', '10.0.0.3', 'm1', 'von Carol');
  assert.equal(ids.get('bob', 'm1'), undefined);
  assert.equal(ids.get('carol', 'm1'), 'von Carol');
  assert.equal(ids.size, 1);
});

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

test('a frame that arrives a byte per read is collected in one array the size of the frame', () => {
  const buffer = new ByteBuffer();
  for (let index = 0; index < 65_536; index++) buffer.append(Uint8Array.of(0x61));
  assert.equal(buffer.length, 65_536);
  assert.ok(buffer.view().buffer.byteLength <= 2 * 65_536, `${buffer.view().buffer.byteLength} bytes held`);
  buffer.clear();
  assert.equal(buffer.view().buffer.byteLength, 0, 'a large array is let go once the frame is taken');
});

test('a recipient longer than any name is answered as unknown without being compared', async () => {
  const { port } = await relay();
  const nina = await coursePeer(port, 'Nina', true);
  const recipient = '\ufdfa'.repeat(5000);
  nina.write(`${recipient}:hallo\n`);
  await nina.waitFor(`Empfänger ${recipient} nicht gefunden.\n`);
});

test('a message the recipient could not read whole (escaping makes it larger than a frame) is refused, not acknowledged as delivered', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port, 'Alice');
  // Control characters take 6 bytes escaped: as many as fit the frame Alice sends, under the
  // text limit, make a frame for Bob (with sender, time and number) just over the frame limit.
  const frame = (count: number) =>
    encodeFrame({ type: 'send', id: 'big', to: 'Bob', text: '\u0001'.repeat(count) }).length;
  let count = 0;
  while (frame(count + 1) <= MAX_FRAME_BYTES) count++;
  alice.send({ type: 'send', id: 'big', to: 'Bob', text: '\u0001'.repeat(count) });
  const ack = await alice.next('ack');
  assert.deepEqual({ status: ack.status, reason: ack.reason }, { status: 'rejected', reason: 'too-large' });
  await sleep(100);
  assert.equal(bob.frames.filter((frame) => frame.type === 'message').length, 0);
});

test('messages over the rate are refused but do not count as errors: the sender stays connected', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port, 'Alice');
  for (let index = 0; index < 90; index++) alice.send({ type: 'send', id: `q${index}`, to: 'Bob', text: `#${index}` });
  const acks = await Promise.all(Array.from({ length: 90 }, () => alice.next('ack')));
  assert.equal(acks.filter((ack) => ack.status === 'delivered').length, 60);
  assert.equal(acks.filter((ack) => ack.reason === 'rate-limited').length, 30);
  assert.equal(alice.closed, false);
});

test("one sender cannot fill a course client's queue: another sender's message still goes through", async () => {
  const { port } = await relay({ rate: { perMinute: 6000, burst: 1000 }, input: UNTHROTTLED_INPUT });
  const ben = await coursePeer(port, 'Ben');
  ben.socket.pause();
  const flooder = await FramedPeer.connect(port, 'Flut');
  let status = 'delivered';
  for (let index = 0; index < 200 && status === 'delivered'; index++) {
    flooder.send({ type: 'send', id: `f${index}`, to: 'Ben', text: 'x'.repeat(15_000) });
    status = (await flooder.next('ack')).reason ?? 'delivered';
  }
  assert.equal(status, 'recipient-busy');
  const friend = await FramedPeer.connect(port, 'Freund');
  friend.send({ type: 'send', id: 'ok', to: 'Ben', text: 'kurz' });
  assert.equal((await friend.next('ack')).status, 'delivered');
});

test('limits count an IPv6 /64 as one address, and IPv4-mapped addresses as IPv4', () => {
  assert.equal(addressGroup('2001:db8:0:12:aaaa::1'), '2001:db8:0:12::/64');
  assert.equal(addressGroup('2001:0db8:0000:0012:ffff:1:2:3'), '2001:db8:0:12::/64');
  assert.equal(addressGroup('::1'), '0:0:0:0::/64');
  assert.equal(addressGroup('::ffff:192.168.0.7'), '192.168.0.7');
  assert.equal(addressGroup('10.0.0.5'), '10.0.0.5');
});
