/**
 * The panel host and the snippet actions without VS Code: what the panel is told and what it
 * may ask, Message Peer and Send Selection, and a received snippet inserted, opened or copied.
 * A real relay over real TCP; the panel and the editors record what they are given.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setDisplayLocale } from '../../../src/protocol/lineTime';
import { EVERYONE } from '../../../src/protocol/panel';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { hostsForThisFile, local, RecordingPanel } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

const SELECTION = {
  text: 'def greet(name):\n    return f"Hallo {name}!"\n',
  languageId: 'python',
  path: 'src/greet.py',
  startLine: 3,
  endLine: 5,
};

test('a panel that says it is ready gets its strings, the chat and the conversation to show; what it sends is delivered', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  const panel = alice.panel!;
  panel.events.message({ type: 'ready' });
  const [init, focus] = panel.posts.slice(-2);
  assert.equal(init?.type, 'init');
  assert.ok(init?.type === 'init' && init.strings.send === 'Send' && init.strings.everyone === 'Everyone / hints');
  assert.deepEqual(init?.type === 'init' && init.snapshot.connection, {
    kind: 'connected',
    name: 'Alice',
    server: `127.0.0.1:${port}`,
    dialect: 'Classroom Relay',
    role: 'student',
  });
  assert.deepEqual(init?.type === 'init' && init.snapshot.standing, {});
  assert.deepEqual(init?.type === 'init' && init.snapshot.conversations.map((view) => [view.id, view.online]), [
    [EVERYONE, true],
    ['bob', true],
  ]);
  assert.deepEqual(focus, { type: 'focus', conversation: EVERYONE });
  panel.events.message({ type: 'send', conversation: 'bob', text: 'Hallo aus dem Panel' });
  const sent = await alice.item('Hallo aus dem Panel', (item) => item.delivery === 'delivered');
  assert.deepEqual(panel.item(sent.id), sent);
  await bob.next('message', (frame) => frame.text === 'Hallo aus dem Panel' && frame.from === 'Alice');
});

test("a panel's init carries VS Code's display language, in which it writes times", async () => {
  const alice = host();
  setDisplayLocale('de-CH');
  try {
    alice.parts.panel.open(undefined, { place: 'editor' });
    const panel = alice.panel!;
    panel.events.message({ type: 'ready' });
    const init = panel.posts.find((message) => message.type === 'init');
    assert.equal(init?.type === 'init' && init.locale, 'de-CH');
  } finally {
    setDisplayLocale(undefined);
  }
});

test('a message counts as unread until its conversation is selected in a visible panel', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  const panel = alice.panel!;
  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'Schau mal' });
  await alice.item('Schau mal');
  assert.equal(alice.parts.session.totalUnread, 1);
  panel.events.message({ type: 'select', conversation: 'bob' });
  assert.equal(alice.parts.session.totalUnread, 0);
  const conversations = panel.posts.filter((post) => post.type === 'conversations').at(-1);
  assert.deepEqual(
    conversations?.type === 'conversations' && conversations.conversations.map((view) => [view.id, view.unread]),
    [
      [EVERYONE, 0],
      ['bob', 0],
    ],
  );
  panel.show(false);
  bob.send({ type: 'send', id: 'b2', to: 'Alice', text: 'Noch was' });
  await alice.item('Noch was');
  assert.equal(alice.parts.session.totalUnread, 1, 'a hidden panel reads nothing');
});

test('a closed chat in an editor tab is let go of: its events are ignored, and Open Chat in Editor makes a new one; a restored tab replaces the open one', async () => {
  const alice = host();
  alice.parts.panel.open(undefined, { place: 'editor' });
  const first = alice.panel!;
  first.events.closed();
  assert.equal(alice.parts.panel.visible, false);
  const posted = first.posts.length;
  first.events.message({ type: 'ready' });
  assert.equal(first.posts.length, posted, 'a closed panel is not answered');
  alice.parts.panel.open('bob', { place: 'editor' });
  const second = alice.panel!;
  assert.notEqual(second, first);
  assert.deepEqual(
    second.posts.map((post) => post.type),
    ['conversations', 'focus'],
  );
  assert.deepEqual(second.posts[1], { type: 'focus', conversation: 'bob' });
  let restored: RecordingPanel | undefined;
  alice.parts.panel.revive((events) => (restored = new RecordingPanel(events, () => {})));
  assert.equal(second.disposed, true);
  restored!.events.message({ type: 'ready' });
  assert.deepEqual(
    restored!.posts.map((post) => post.type),
    ['conversations', 'init', 'focus'],
  );
  assert.deepEqual(
    restored!.posts[2],
    { type: 'focus', conversation: 'bob', keyboard: false },
    'on the conversation shown before, leaving the keyboard where it is',
  );
});

test('Message Peer while not connected offers to connect, then asks whom and what, sends it and shows that conversation', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  alice.person.reply(/^Relay: not connected\.$/, 'Connect');
  alice.person.answer('server', local(port)).answer('name', 'Alice').answer('peer', 'Bob').answer('text', 'Hallo Bob');
  await alice.parts.send.messagePeer();
  assert.deepEqual(alice.person.shown[0], { level: 'warning', message: 'Relay: not connected.', actions: ['Connect'] });
  assert.deepEqual(
    alice.person.asked.map((asked) => asked.kind),
    ['server', 'name', 'peer', 'text'],
  );
  assert.deepEqual(alice.person.asked[2]?.args, [['Bob'], ['Bob'], 'Relay: Message Peer']);
  assert.deepEqual(alice.person.asked[3]?.args, ['Message to Bob', 'Your message to Bob', 16384]);
  await bob.next('message', (frame) => frame.text === 'Hallo Bob');
  assert.deepEqual(
    alice.panel?.posts.filter((post) => post.type === 'focus'),
    [{ type: 'focus', conversation: 'bob' }],
  );
});

test('Message Peer declined at "not connected" asks nothing more', async () => {
  const alice = host();
  await alice.parts.send.messagePeer();
  assert.deepEqual(
    [alice.person.shown.map((shown) => shown.message), alice.person.asked],
    [['Relay: not connected.'], []],
  );
});

test('Send Selection sends the selected code as a snippet with its file and lines, and shows the conversation', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.editors.current = SELECTION;
  alice.person.answer('peer', 'Bob');
  await alice.parts.snippets.sendSelection();
  assert.deepEqual(alice.person.asked.at(-1), {
    kind: 'peer',
    args: [['Bob'], ['Bob'], 'Relay: Send Selection to Peer'],
  });
  const frame = await bob.next('snippet');
  assert.deepEqual(frame.snippet, {
    code: 'def greet(name):\n    return f"Hallo {name}!"',
    language: 'python',
    file: 'src/greet.py',
    lines: { start: 3, end: 4 },
  });
  const item = alice.parts.session.items.at(-1);
  assert.deepEqual([item?.conversation, item?.content.kind], ['bob', 'snippet']);
  await alice.until(() => alice.parts.session.find(item!.id)?.delivery === 'delivered', 'the snippet delivered');
  assert.deepEqual(
    alice.panel?.posts.filter((post) => post.type === 'focus').at(-1),
    { type: 'focus', conversation: 'bob', keyboard: false },
    'shown beside the code, the keyboard left in the editor',
  );
});

test('Send Selection without an editor, with an empty selection or with too much code says what to do and sends nothing', async () => {
  const alice = host();
  await alice.parts.snippets.sendSelection();
  alice.editors.current = { ...SELECTION, text: '  \n' };
  await alice.parts.snippets.sendSelection();
  alice.editors.current = { ...SELECTION, text: 'x'.repeat(50_000) };
  await alice.parts.snippets.sendSelection();
  assert.deepEqual(
    alice.person.shown.map((shown) => [shown.level, shown.message]),
    [
      ['warning', 'Open a file and select the code you want to send.'],
      ['warning', 'The selection is empty: select some code first.'],
      ['error', 'The selection has 50000 bytes; a snippet may have at most 49152. Select less code.'],
    ],
  );
  assert.deepEqual(alice.person.asked, []);
});

test('a received snippet is inserted at the cursor, opened in a new editor or copied, from its buttons in the panel', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  bob.send({ type: 'snippet', id: 's1', to: 'Alice', snippet: { code: 'print("hi")', language: 'python' } });
  const item = await alice.until(
    () => alice.parts.session.items.find((candidate) => candidate.content.kind === 'snippet'),
    'the snippet',
  );
  const press = async (action: 'insert' | 'open' | 'copy') => {
    alice.panel!.events.message({ type: 'snippet', action, itemId: item.id });
    await new Promise((resolve) => setImmediate(resolve));
  };
  await press('insert');
  await press('open');
  await press('copy');
  assert.deepEqual(
    [alice.editors.inserted, alice.editors.opened, alice.editors.copied],
    [['print("hi")'], [{ code: 'print("hi")', language: 'python' }], ['print("hi")']],
  );
  assert.deepEqual(alice.person.shown.at(-1), { level: 'flash', message: 'Snippet copied', actions: [] });
  alice.editors.hasEditor = false;
  await press('insert');
  assert.equal(alice.person.shown.at(-1)?.message, 'Open an editor first: the snippet is inserted at its cursor.');
  alice.panel!.events.message({ type: 'snippet', action: 'copy', itemId: 'no-such-item' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(alice.editors.copied.length, 1, 'an unknown item does nothing');
});

test('what the panel posts is checked before it is believed: a malformed message is logged and does nothing', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  const panel = alice.panel!;
  const posted = panel.posts.length;
  for (const bad of [
    null,
    'ready',
    { type: 'send', conversation: 'bob' },
    { type: 'send', conversation: 'bob', text: 42 },
    { type: 'snippet', action: 'delete', itemId: 'x' },
    { type: 'runCommand', command: 'workbench.action.openSettings' },
  ]) {
    panel.events.message(bad);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(panel.posts.length, posted, 'nothing answered');
  assert.deepEqual(alice.parts.session.items, [], 'nothing sent');
  assert.deepEqual(
    bob.frames.filter((frame) => frame.type === 'message'),
    [],
  );
  const warnings = alice.log.filter((line) =>
    line.startsWith('warn: The chat panel sent a message that is not understood; it was ignored: '),
  );
  assert.equal(warnings.length, 6);
  assert.equal(
    warnings[5],
    'warn: The chat panel sent a message that is not understood; it was ignored: {"type":"runCommand","command":"workbench.action.openSettings"}',
  );
});
