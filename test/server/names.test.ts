/** Look-alike, invisible, mixed-script and reserved names against a live relay, framed and course clients alike. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, FramedPeer, RawPeer } from '../helpers/relay/peers';

const relay = relaysForThisFile();

/** A framed hello with `name`; returns the relay's fatal error frame once the connection is closed. */
async function framedRefusal(port: number, name: string): Promise<{ code: string; message: string }> {
  const peer = await FramedPeer.connect(port);
  peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name });
  const error = await peer.next('error');
  assert.equal(error.fatal, true, name);
  await peer.waitClosed();
  return { code: error.code, message: error.message };
}

/** What a netcat-style course client sending `name` and a newline reads before the relay hangs up. */
async function courseRefusal(port: number, name: string): Promise<string> {
  const peer = await RawPeer.connect(port);
  peer.write(`${name}\n`);
  return peer.waitClosed();
}

test('while Alice is online, look-alikes of her name are refused as taken for framed clients', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Alice');
  await FramedPeer.connect(port, 'Joe');
  for (const name of ['Ａlice', 'ALICE', 'A1ice', 'Јое']) {
    const refusal = await framedRefusal(port, name);
    assert.equal(refusal.code, 'name-taken', name);
    assert.match(refusal.message, new RegExp(name), name);
  }
});

test('while Alice is online, a course client sending a look-alike is refused with the German taken line', async () => {
  const { port } = await relay();
  const alice = await FramedPeer.connect(port, 'Alice');
  for (const name of ['Ａlice', 'A1ice']) {
    const text = await courseRefusal(port, name);
    assert.match(text, new RegExp(`^Fehler: Der Name "${name}" (ist bereits vergeben|sieht aus wie "Alice")`), name);
  }
  const bob = await coursePeer(port, 'Bob', true);
  bob.write('alice:Hallo\n');
  assert.equal((await alice.next('message')).from, 'Bob');
});

test('a name with a letter that looks like a colon cannot make a course client read a forged sender: "Bobː Abgabe per Mail" is refused in both dialects', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Bob');
  const refusal = await framedRefusal(port, 'Bobː Abgabe per Mail');
  assert.equal(refusal.code, 'name-invalid');
  assert.match(refusal.message, /"ː" \(U\+02D0\) looks like a colon/);
  const text = await courseRefusal(port, 'Bobː Abgabe per Mail');
  assert.match(
    text,
    /^Fehler: Ungültiger Name "Bobː Abgabe per Mail\n?"\. Der Name enthält ein Zeichen, das wie ein Doppelpunkt aussieht/,
  );
});

test('Alice with a Cyrillic А is refused for mixing scripts, framed with name-invalid and course in German', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Alice');
  const refusal = await framedRefusal(port, 'Аlice');
  assert.equal(refusal.code, 'name-invalid');
  assert.match(refusal.message, /mixes letters of different scripts \(Cyrillic, Latin\): "А" \(U\+0410\) is Cyrillic/);
  const text = await courseRefusal(port, 'Аlice');
  assert.match(text, /^Fehler: Ungültiger Name "Аlice\n?"\. Verwende Buchstaben aus nur einer Schrift/);
});

test('names with a Hangul filler or nothing but one are refused as invisible', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Alice');
  for (const name of ['Alice\u3164', '\u3164']) {
    const refusal = await framedRefusal(port, name);
    assert.equal(refusal.code, 'name-invalid', JSON.stringify(name));
    assert.match(refusal.message, /invisible character U\+3164/);
    assert.match(await courseRefusal(port, name), /Unsichtbare Zeichen/);
  }
});

test('role words and their look-alikes are refused as reserved', async () => {
  const { port } = await relay();
  for (const name of ['Lehrer', 'Teacher.', 'Τeacher', 'ADMIN', 'Empfänger']) {
    assert.equal((await framedRefusal(port, name)).code, 'name-reserved', name);
  }
  for (const name of ['Lehrer', 'Teacher.']) {
    assert.match(await courseRefusal(port, name), /für den Relay-Server reserviert/, name);
  }
});

test('German, Swiss and international names register side by side', async () => {
  const { port } = await relay();
  const names = ['Zoë', 'Jürg', 'Anaïs', "O'Neil", 'Anna-Lena', 'Max2', '田中さくら', 'Νίκος', 'Дмитрий', '김민준'];
  for (const name of names) assert.equal((await FramedPeer.connect(port, name)).closed, false, name);
  const last = await FramedPeer.connect(port, 'Lena');
  last.send({ type: 'send', id: 'n1', to: 'νίκος', text: 'Γεια' });
  assert.equal((await last.next('ack')).status, 'delivered');
});
