/**
 * The chat session and the notifier without VS Code: history kept across a reload, hints
 * (only teachers may send them), what is announced while the chat is out of sight, and the
 * course server's stand-in for a broadcast. A real relay over real TCP.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVERYONE } from '../../../src/protocol/panel';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { coursePeer, FramedPeer, sleep, startRelay } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';
import { german, hostsForThisFile, MemoryStorage, type ExtensionHost } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const peers: Array<{ close(): void }> = [];
after(() => peers.forEach((peer) => peer.close()));

const KEY = 'tafel-kreide-schwamm-42';

async function framed(port: number, name: string, teacherKey?: string): Promise<FramedPeer> {
  const peer = await FramedPeer.connect(port, name, teacherKey ? { teacherKey } : {});
  peers.push(peer);
  return peer;
}

const text = (host: ExtensionHost) =>
  host.parts.session.items.map((item) =>
    item.content.kind === 'text' ? item.content.text : item.content.snippet.code,
  );

test('after a reload, the history of this server and name is back: messages, delivery states, unread counts; what was pending is marked not sent', async () => {
  const first = await startRelay();
  const { port } = first;
  const bob = await framed(port, 'Bob');
  const storage = new MemoryStorage();
  const before = host({ storage });
  await before.connect(port, 'Alice');
  before.panel?.show(false);
  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'Hallo Alice' });
  await before.item('Hallo Alice');
  before.parts.session.sendText('Bob', 'Hallo Bob');
  await before.item('Hallo Bob', (item) => item.delivery === 'delivered');
  await first.close();
  await before.until(() => before.parts.lifecycle.state.kind === 'waiting', 'the connection to be lost');
  before.parts.session.sendText('Bob', 'Noch da?');
  await before.item('Noch da?');
  before.dispose();

  const reloaded = host({ storage });
  await relay({ port });
  await reloaded.connect(port, 'Alice');
  assert.deepEqual(text(reloaded), ['Hallo Alice', 'Hallo Bob', 'Noch da?']);
  assert.deepEqual(
    reloaded.parts.session.items.map((item) => [item.from, item.delivery, item.failure]),
    [
      ['Bob', undefined, undefined],
      ['Alice', 'delivered', undefined],
      ['Alice', 'failed', 'Not sent: VS Code was closed before it went out.'],
    ],
  );
  assert.equal(reloaded.parts.session.totalUnread, 1, "Bob's message is still unread");
  assert.deepEqual(
    reloaded.parts.session.conversations().map((view) => [view.id, view.label, view.unread]),
    [
      [EVERYONE, 'Everyone / hints', 0],
      ['bob', 'Bob', 1],
    ],
  );
  reloaded.panel?.events.message({ type: 'ready' });
  const init = reloaded.panel?.posts.find((post) => post.type === 'init');
  assert.deepEqual(
    init?.type === 'init' && init.snapshot.items.map((item) => item.id),
    reloaded.parts.session.items.map((item) => item.id),
    'the panel gets the restored history',
  );
});

test('a student\'s "Broadcast Hint" says that only teachers send hints before asking for any; its Raise Hand raises the hand with a question', async () => {
  const { port } = await relay({ teacherKey: KEY, rosterMs: 50 });
  const keller = await framed(port, 'Frau Keller', KEY);
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  const asked = alice.person.asked.length;
  alice.person.reply(/^Only teachers send hints/, 'Raise Hand').answer('optionalText', 'Wie liest man alles mit recv?');
  await alice.parts.send.broadcastHint();
  assert.deepEqual(
    alice.person.shown.find((shown) => shown.level === 'warning'),
    {
      level: 'warning',
      message: 'Only teachers send hints to everyone. To ask your teacher something, raise your hand or write to them.',
      actions: ['Raise Hand'],
    },
  );
  assert.deepEqual(
    alice.person.asked.slice(asked).map((prompt) => prompt.kind),
    ['optionalText'],
    'no input box for a hint',
  );
  await alice.until(
    () => alice.parts.classroom.standing.hand?.question === 'Wie liest man alles mit recv?',
    'the hand up',
  );
  await keller.next('roster', (frame) =>
    frame.entries.some((entry) => entry.name === 'Alice' && entry.hand?.question === 'Wie liest man alles mit recv?'),
  );
  assert.deepEqual(alice.parts.session.items, [], 'nothing was sent');
  await sleep(100);
  assert.deepEqual(
    bob.frames.filter((frame) => frame.type === 'broadcast'),
    [],
  );
});

test('in German, a student\'s hint from the panel fails with "Nur Lehrpersonen können Hinweise an alle senden."', async () => {
  const { port } = await relay({ teacherKey: KEY });
  const dana = host({ t: german });
  await dana.connect(port, 'Dana');
  await dana.parts.send.sendFromPanel(EVERYONE, 'Tipp von Dana');
  const failed = await dana.item('Tipp von Dana', (item) => item.delivery === 'failed');
  assert.equal(failed.failure, 'Nur Lehrpersonen können Hinweise an alle senden.');
});

test("a teacher's hint arrives as a hint; with the chat out of sight it is announced with Open Chat, which shows the hints", async () => {
  const { port } = await relay({ teacherKey: KEY });
  const keller = await framed(port, 'Frau Keller', KEY);
  const alice = host();
  await alice.connect(port, 'Alice');
  keller.send({ type: 'broadcast', id: 'h1', text: 'Tipp: recv(1024) liefert höchstens 1024 Bytes.' });
  const hint = await alice.item('Tipp: recv(1024) liefert höchstens 1024 Bytes.');
  assert.deepEqual([hint.conversation, hint.from, hint.direction], [EVERYONE, 'Frau Keller', 'in']);
  assert.deepEqual(
    alice.person.shown.filter((shown) => shown.level === 'info'),
    [],
    'the chat is in sight: nothing to announce',
  );
  alice.panel?.show(false);
  let opened = false;
  alice.person.reply(/^Hint from Frau Keller \(teacher\)/, (shown) => {
    opened = true;
    return shown.actions[0];
  });
  keller.send({ type: 'broadcast', id: 'h2', text: 'Tipp: sendall statt send.' });
  await alice.until(() => opened, 'the announcement');
  assert.deepEqual(
    alice.person.shown.filter((shown) => shown.level === 'info').map((shown) => [shown.message, shown.actions]),
    [['Hint from Frau Keller (teacher): Tipp: sendall statt send.', ['Open Chat']]],
  );
  await alice.until(
    () => alice.panel?.posts.some((post) => post.type === 'focus' && post.conversation === EVERYONE),
    'the chat on the hints',
  );
  assert.equal(alice.panel?.reveals, 1);
});

test('with notifications set to "hints", a message is not announced but a hint is, each cut to 200 characters', async () => {
  const { port } = await relay({ teacherKey: KEY });
  const keller = await framed(port, 'Frau Keller', KEY);
  const bob = await framed(port, 'Bob');
  const alice = host({ settings: { notifications: 'hints' } });
  await alice.connect(port, 'Alice');
  alice.panel?.show(false);
  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'Hallo' });
  await alice.item('Hallo');
  const long = `Tipp: ${'x'.repeat(300)}`;
  keller.send({ type: 'broadcast', id: 'h1', text: long });
  await alice.item(long);
  await alice.until(() => alice.person.shown.some((shown) => shown.level === 'info'), 'the announcement');
  assert.deepEqual(
    alice.person.shown.filter((shown) => shown.level === 'info').map((shown) => shown.message),
    [`Hint from Frau Keller (teacher): ${long.slice(0, 200)}`],
  );
});

test('on a course server, which has no broadcast, a hint goes to each classmate picked from the conversations', async () => {
  const { port, relay: server } = await relay();
  const bob = await coursePeer(port, 'Bob');
  peers.push(bob);
  const alice = host({ settings: { dialect: 'course' } });
  await alice.connect(port, 'Alice');
  await eventually(
    () => server.online.includes('Alice'),
    () => `Alice registered at the relay; online ${server.online.join(', ')}`,
  );
  bob.write('Alice:Hallo von Bob');
  await alice.item('Hallo von Bob');
  alice.person.answer('text', 'Tipp für alle').answer('pickMany', ['Bob']);
  await alice.parts.send.broadcastHint();
  assert.deepEqual(alice.person.asked.at(-1), {
    kind: 'pickMany',
    args: [['Bob'], 'Relay: Broadcast Hint', 'This server cannot broadcast: send the hint to each of these'],
  });
  await bob.waitFor('Alice: Tipp für alle');
  const sent = await alice.item('Tipp für alle');
  assert.equal(
    sent.conversation,
    'Bob',
    'a course server tells names apart exactly: the conversation is Bob as written',
  );
});

test("a listener of the client's connection that throws is reported in the Relay log, and the connection goes on", async () => {
  const { port } = await relay();
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.parts.lifecycle.connection!.onEvent(() => {
    throw new Error('client listener broke');
  });
  const bob = await FramedPeer.connect(port, 'Bob');
  try {
    await alice.until(
      () => alice.log.find((line) => line.startsWith('error: Error: client listener broke')),
      'the log line',
    );
    bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'Hallo' });
    await alice.until(
      () => alice.parts.session.items.find((item) => item.content.kind === 'text' && item.content.text === 'Hallo'),
      "Bob's message",
    );
  } finally {
    await bob.close();
  }
});

test('a listener of the chat that throws is logged, and the others still hear the update', async () => {
  const { port } = await relay();
  const alice = host();
  alice.parts.session.onUpdate(() => {
    throw new Error('listener broke');
  });
  await alice.connect(port, 'Alice');
  assert.equal(alice.parts.lifecycle.state.kind, 'connected');
  assert.ok(
    alice.panel?.posts.some((post) => post.type === 'connection'),
    'the panel still hears of the connection',
  );
  assert.match(
    alice.log.find((line) => line.startsWith('error: Error: listener broke')) ?? '',
    /listener broke\n\s+at /,
  );
});
