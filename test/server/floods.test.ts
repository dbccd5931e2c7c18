/**
 * Floods the relay refuses or answers: pings, refused messages, hands and bad lines. Every frame
 * or line costs its connection and its address input allowance; past it the relay stops reading
 * (the sender's writes block), and a connection that keeps sending past its own allowance is
 * closed. Attackers play other hosts from 127.0.0.x; classmates chat from 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, FramedPeer, RawPeer, sleep } from '../helpers/relay/peers';
import { eventually } from '../helpers/time/wait';
import { encodeFrame } from '../../src/protocol/frameCodec';
import type { ClientFrame } from '../../src/protocol/frames';
import { RELAY_DEFAULTS } from '../../src/server/policy/defaults';
import { cutAfterLines } from '../../src/server/budgets/inputGate';

const relay = relaysForThisFile();

const hello = (name: string): ClientFrame => ({ type: 'hello', protocol: 'classroom-relay', versions: [1], name });

/**
 * A connection that counts the answers it gets (pongs, acks, course lines) without keeping them,
 * so a flood of answers costs the test little; presence is not counted.
 */
interface Flooder {
  socket: Socket;
  /** Lines other than the first (the welcome) and presence. */
  answers: number;
  lines: number;
}

async function flooder(port: number, from: string, first: string | Uint8Array): Promise<Flooder> {
  const socket = connect({ host: '127.0.0.1', port, localAddress: from });
  await once(socket, 'connect');
  const counted: Flooder = { socket, answers: 0, lines: 0 };
  let partial = '';
  socket.on('data', (data: Buffer) => {
    const lines = (partial + data.toString('utf8')).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      counted.lines++;
      if (counted.lines > 1 && !line.startsWith('{"type":"presence')) counted.answers++;
    }
  });
  socket.on('error', () => {});
  socket.write(first);
  await eventually(
    () => counted.lines > 0,
    () => `no answer to ${from}'s first line`,
  );
  return counted;
}

/** Writes `chunk` over and over for `ms`, as fast as the socket takes it. */
async function floodFor(socket: Socket, chunk: Buffer, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !socket.destroyed) {
    if (!socket.write(chunk))
      await Promise.race([once(socket, 'drain'), sleep(Math.max(1, until - Date.now()))]).catch(() => undefined);
    else await sleep(0);
  }
}

const pings = (count: number) => Buffer.concat(Array.from({ length: count }, () => encodeFrame({ type: 'ping' })));

test('pings from four connections of one address are answered no faster than their input allowance', async () => {
  const { port } = await relay();
  const start = Date.now();
  const attackers = await Promise.all(
    [1, 2, 3, 4].map((index) => flooder(port, '127.0.0.5', encodeFrame(hello(`Pinger ${index}`)))),
  );
  await Promise.all(attackers.map((attacker) => floodFor(attacker.socket, pings(500), 2000)));
  await sleep(200);
  const seconds = (Date.now() - start) / 1000;
  const answered = attackers.reduce((sum, attacker) => sum + attacker.answers, 0);
  const { inputBurst, inputPerSecond } = RELAY_DEFAULTS;
  const allowed = 4 * (inputBurst.value + inputPerSecond.value * seconds);
  assert.ok(answered <= allowed + 8, `${answered} pongs in ${seconds.toFixed(1)} s; the allowance is ${allowed}`);
  for (const attacker of attackers) attacker.socket.destroy();
});

test("messages refused rate-limited are read no faster than the input allowance, and a classmate's message still takes milliseconds", async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port, 'Alice');
  const start = Date.now();
  const attackers = await Promise.all(
    [1, 2, 3, 4].map((index) => flooder(port, '127.0.0.6', encodeFrame(hello(`Spam ${index}`)))),
  );
  const spam = Buffer.concat(
    Array.from({ length: 200 }, (_, index) => encodeFrame({ type: 'send', id: `s${index}`, to: 'Bob', text: '.' })),
  );
  const flooding = Promise.all(attackers.map((attacker) => floodFor(attacker.socket, spam, 2500)));
  await sleep(500);
  const latencies: number[] = [];
  for (let index = 0; index < 10; index++) {
    const sent = Date.now();
    alice.send({ type: 'send', id: `a${index}`, to: 'Bob', text: `hallo ${index}` });
    await bob.next('message', (frame) => frame.text === `hallo ${index}`);
    latencies.push(Date.now() - sent);
    await sleep(100);
  }
  await flooding;
  const seconds = (Date.now() - start) / 1000;
  const answered = attackers.reduce((sum, attacker) => sum + attacker.answers, 0);
  const { inputBurst, inputPerSecond } = RELAY_DEFAULTS;
  const allowed = 4 * (inputBurst.value + inputPerSecond.value * seconds);
  assert.ok(answered <= allowed + 8, `${answered} answers in ${seconds.toFixed(1)} s; the allowance is ${allowed}`);
  assert.ok(Math.max(...latencies) < 250, `a classmate's messages took ${latencies.join(', ')} ms`);
  for (const attacker of attackers) attacker.socket.destroy();
});

test('connections of one address together are read no faster than the address allowance; another address is not slowed', async () => {
  const { port } = await relay({ input: { addressPerSecond: 20, addressBurst: 20 } });
  const start = Date.now();
  const attackers = await Promise.all(
    [1, 2, 3, 4, 5, 6, 7, 8].map((index) => flooder(port, '127.0.0.7', encodeFrame(hello(`Viele ${index}`)))),
  );
  const flooding = Promise.all(attackers.map((attacker) => floodFor(attacker.socket, pings(50), 2000)));
  await sleep(1000);
  const other = await FramedPeer.connect(port, 'Anderswo');
  const asked = Date.now();
  other.send({ type: 'ping', id: 'p' });
  await other.next('pong');
  const otherWaited = Date.now() - asked;
  await flooding;
  const seconds = (Date.now() - start) / 1000;
  const answered = attackers.reduce((sum, attacker) => sum + attacker.answers, 0);
  assert.ok(answered <= 20 + 20 * seconds + 8, `${answered} pongs in ${seconds.toFixed(1)} s from one address`);
  assert.ok(otherWaited < 250, `another address waited ${otherWaited} ms for its pong`);
  for (const attacker of attackers) attacker.socket.destroy();
});

test('a burst past the allowance is read late, not refused: every ping is answered, in order', async () => {
  const { port } = await relay({ input: { perSecond: 200, burst: 50 } });
  const peer = await FramedPeer.connect(port, 'Eilig');
  const start = Date.now();
  peer.socket.write(
    Buffer.concat(Array.from({ length: 300 }, (_, index) => encodeFrame({ type: 'ping', id: `p${index}` }))),
  );
  for (let index = 0; index < 300; index++) {
    const pong = await peer.next('pong');
    assert.equal(pong.id, `p${index}`);
  }
  const took = Date.now() - start;
  assert.ok(took >= 900, `300 pings past a burst of 50 at 200 a second were answered in ${took} ms`);
  assert.equal(peer.closed, false);
});

test('a framed client that keeps sending past its own allowance is closed with a clear error', async () => {
  const { port, logs } = await relay({ input: { holdMs: 500 } });
  const attacker = await FramedPeer.connect(port, 'Dauerfeuer');
  const flooding = floodFor(attacker.socket, pings(500), 3000);
  const error = await attacker.next('error', undefined, 3000);
  assert.equal(error.code, 'too-many-errors');
  assert.equal(error.fatal, true);
  assert.match(error.message, /more than 10 frames or lines a second for \d+ s; connection closed/);
  await attacker.waitClosed(3000);
  await flooding;
  assert.ok(
    logs.some((line) => /closed\s+Dauerfeuer — sent more than 10 frames or lines a second/.test(line)),
    logs.join('\n'),
  );
});

test('a course client that keeps sending lines past its allowance (hands, messages to nobody) is told in German and closed', async () => {
  const { port } = await relay({ input: { holdMs: 500 } });
  const attacker = await coursePeer(port, 'Flut', true);
  const lines = Buffer.from('!hand ab\nNiemand:hallo\n'.repeat(500));
  void floodFor(attacker.socket, lines, 3000);
  await attacker.waitFor('Fehler: Zu viele Nachrichten in zu kurzer Zeit. Die Verbindung wird getrennt.', 4000);
  await attacker.waitClosed(4000);
});

test('a connection that has not registered pays for its lines too', async () => {
  const { port } = await relay({ input: { holdMs: 500 } });
  const attacker = await RawPeer.connect(port);
  void floodFor(attacker.socket, pings(500), 3000);
  await attacker.waitFor('"code":"too-many-errors"', 4000);
  assert.match(attacker.text, /frames or lines a second/);
  await attacker.waitClosed(4000);
});

test('a read costs one token for each line it ends, and at least one', () => {
  const data = Buffer.from('a\nb\nc\nd');
  assert.deepEqual(cutAfterLines(data, 0), { cut: 0, units: 0 });
  assert.deepEqual(cutAfterLines(data, 2), { cut: 4, units: 2 });
  assert.deepEqual(cutAfterLines(data, 3), { cut: 6, units: 3 });
  assert.deepEqual(cutAfterLines(data, 4), { cut: 7, units: 3 });
  assert.deepEqual(cutAfterLines(Buffer.from('no line end'), 5), { cut: 11, units: 1 });
  assert.deepEqual(cutAfterLines(Buffer.from('a\nb\n'), 2), { cut: 4, units: 2 });
});
