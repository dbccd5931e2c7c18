/**
 * Floods: what arrives while the chat is out of sight is announced in batches ("9 new messages
 * from Bob"), at most one notification per conversation every few seconds and a few in all;
 * unread counts stay bounded to what the chat still lists, and Mark All Messages as Read
 * clears them. The notifier on its own with a clock the test moves, and the whole extension
 * over a real relay.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatModel } from '../../../src/extension/chat/chatModel';
import { Notifier, NOTIFIER_PACE } from '../../../src/extension/chat/notifier';
import { DEFAULT_SETTINGS, type RelaySettings } from '../../../src/extension/settings';
import { EVERYONE, type ChatItem } from '../../../src/protocol/panel';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { english, german, hostsForThisFile, MemoryStorage, type ExtensionHost } from '../../helpers/extension/parts';
import { ManualClock } from '../../helpers/time/manualClock';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

/** A notifier whose notifications are recorded, and a chat to make items with. */
function notifierWithClock(options: { settings?: Partial<RelaySettings>; t?: typeof english } = {}) {
  const clock = new ManualClock();
  const shown: Array<{ text: string; open: (choice: string | undefined) => void }> = [];
  const opened: Array<string | undefined> = [];
  let visible = false;
  const notifier = new Notifier({
    t: options.t ?? english,
    clock,
    settings: () => ({ ...DEFAULT_SETTINGS, ...options.settings }),
    chatVisible: () => visible,
    openChat: (conversation) => opened.push(conversation),
    notices: {
      info: (text) => new Promise((resolve) => shown.push({ text, open: resolve })),
    },
  });
  const model = new ChatModel(1000, 'Everyone');
  const arrive = (item: ChatItem) => notifier.update({ type: 'item', item, announce: true });
  const message = (from: string, text: string) =>
    arrive(model.receive({ kind: 'message', from, text, at: clock.now().toISOString() }));
  const hint = (from: string, text: string, teacher = true) =>
    arrive(model.receive({ kind: 'hint', from, text, at: clock.now().toISOString(), teacher }));
  return {
    clock,
    notifier,
    shown,
    opened,
    message,
    hint,
    texts: () => shown.map((entry) => entry.text),
    setVisible: (value: boolean) => {
      visible = value;
    },
  };
}

test('a flood from one classmate: the first message is shown at once, what follows within five seconds as one "9 new messages from Bob"', async () => {
  const { clock, notifier, message, texts, shown, opened } = notifierWithClock();
  message('Bob', 'Hallo');
  assert.deepEqual(texts(), ['Bob: Hallo']);
  for (let index = 1; index <= 9; index++) {
    clock.advance(300);
    message('Bob', `Nachricht ${index}`);
  }
  assert.deepEqual(texts(), ['Bob: Hallo'], 'nothing more within five seconds of the first');
  clock.advance(NOTIFIER_PACE.perConversationMs);
  assert.deepEqual(texts(), ['Bob: Hallo', '9 new messages from Bob']);
  clock.advance(NOTIFIER_PACE.perConversationMs * 3);
  message('Bob', 'Noch da?');
  assert.deepEqual(texts().at(-1), 'Bob: Noch da?', 'after a quiet while, a message is shown at once again, as itself');
  shown[1]!.open('Open Chat');
  await Promise.resolve();
  assert.deepEqual(opened, ['bob'], "Open Chat on the batch opens Bob's conversation");
  notifier.dispose();
  assert.equal(clock.pending, 0);
});

test('many classmates at once: at most four notifications in 30 seconds, the last of a window sums up everyone still waiting', async () => {
  const { clock, notifier, message, texts, shown, opened } = notifierWithClock();
  const names = ['Bob', 'Carol', 'Dan', 'Eve', 'Finn', 'Gina', 'Hugo', 'Ida', 'Jan', 'Kim'];
  for (const name of names) message(name, `Hallo von ${name}`);
  message('Kim', 'Kim nochmals');
  assert.deepEqual(texts(), [
    'Bob: Hallo von Bob',
    'Carol: Hallo von Carol',
    'Dan: Hallo von Dan',
    'Eve: Hallo von Eve',
  ]);
  clock.advance(NOTIFIER_PACE.windowMs - 1);
  assert.equal(texts().length, 4, 'nothing more until the window has passed');
  clock.advance(1);
  assert.deepEqual(texts().slice(4), [
    'Finn: Hallo von Finn',
    'Gina: Hallo von Gina',
    'Hugo: Hallo von Hugo',
    '4 new messages from 3 people',
  ]);
  shown.at(-1)!.open('Open Chat');
  await Promise.resolve();
  assert.deepEqual(opened, [undefined], 'a summary opens the chat');
  clock.advance(NOTIFIER_PACE.windowMs * 2);
  assert.equal(texts().length, 8, 'nothing is left to tell');
  notifier.dispose();
});

test('nothing is announced while the chat is in view, and what waited is dropped once it comes into view; hints come in batches too, in German', () => {
  const { clock, message, hint, texts, setVisible } = notifierWithClock({ t: german });
  setVisible(true);
  message('Bob', 'Siehst du das?');
  assert.deepEqual(texts(), []);
  setVisible(false);
  message('Bob', 'eins');
  message('Bob', 'zwei');
  setVisible(true);
  clock.advance(NOTIFIER_PACE.perConversationMs);
  assert.deepEqual(texts(), ['Bob: eins'], 'the person looked at the chat before the batch was due');
  setVisible(false);
  hint('Frau Keller', 'Tipp 1');
  hint('Frau Keller', 'Tipp 2');
  hint('Frau Keller', 'Tipp 3');
  clock.advance(NOTIFIER_PACE.perConversationMs);
  assert.deepEqual(texts().slice(1), [
    'Hinweis von Frau Keller (Lehrperson): Tipp 1',
    '2 neue Hinweise von Frau Keller (Lehrperson)',
  ]);
});

test('with notifications set to "hints", a flood of messages shows nothing; "off" shows nothing at all, not even what waited when it was set', () => {
  const hintsOnly = notifierWithClock({ settings: { notifications: 'hints' } });
  for (let index = 0; index < 5; index++) hintsOnly.message('Bob', `m${index}`);
  hintsOnly.hint('Frau Keller', 'Tipp');
  hintsOnly.clock.advance(60_000);
  assert.deepEqual(hintsOnly.texts(), ['Hint from Frau Keller (teacher): Tipp']);
  const unmarked = notifierWithClock();
  unmarked.hint('Eve', 'Abgabe per Mail!', false);
  unmarked.clock.advance(60_000);
  assert.deepEqual(
    unmarked.texts(),
    ['Message to everyone from Eve: Abgabe per Mail!'],
    "a broadcast the relay did not mark as a teacher's is no hint",
  );
  const off = notifierWithClock({ settings: { notifications: 'off' } });
  off.message('Bob', 'm');
  off.hint('Frau Keller', 'Tipp');
  off.clock.advance(60_000);
  assert.deepEqual(off.texts(), []);
  const settings: Partial<RelaySettings> = {};
  const turnedOff = notifierWithClock({ settings });
  turnedOff.message('Bob', 'eins');
  turnedOff.message('Bob', 'zwei');
  settings.notifications = 'off';
  turnedOff.clock.advance(60_000);
  assert.deepEqual(turnedOff.texts(), ['Bob: eins'], 'what waited when notifications were turned off is not shown');
});

const infos = (alice: ExtensionHost) =>
  alice.person.shown.filter((shown) => shown.level === 'info').map((shown) => shown.message);

test('thirty messages from a classmate while the chat is hidden are one notification, then one "29 new messages from Bob"', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const clock = new ManualClock(Date.now());
  const alice = host({ clock });
  await alice.connect(port, 'Alice');
  for (const panel of alice.panels) panel.show(false);
  for (let index = 1; index <= 30; index++)
    bob.send({ type: 'send', id: `b${index}`, to: 'Alice', text: `Flut ${index}` });
  await alice.item('Flut 30');
  assert.deepEqual(infos(alice), ['Bob: Flut 1']);
  clock.advance(NOTIFIER_PACE.perConversationMs);
  assert.deepEqual(infos(alice), ['Bob: Flut 1', '29 new messages from Bob']);
});

test('unread counts are kept only for conversations the chat still lists: messages from many strangers leave no count nobody can clear', async () => {
  const { port } = await relay();
  const alice = host({ settings: { historySize: 5 } });
  await alice.connect(port, 'Alice');
  for (const panel of alice.panels) panel.show(false);
  for (let index = 1; index <= 12; index++) {
    const stranger = await framed(port, `Gast${index}`);
    stranger.send({ type: 'send', id: `g${index}`, to: 'Alice', text: `Hallo von Gast${index}` });
    await alice.item(`Hallo von Gast${index}`);
    await stranger.close();
  }
  const listed = alice.parts.session.conversations();
  assert.deepEqual(
    listed.filter((view) => view.unread > 0).map((view) => view.label),
    ['Gast12', 'Gast11', 'Gast10', 'Gast9', 'Gast8'],
  );
  assert.equal(alice.parts.session.totalUnread, 5, 'the status bar counts what the chat lists');
});

test('Mark All Messages as Read clears every unread count, in the panel too, and it stays cleared after a reload', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const carol = await framed(port, 'Carol');
  const storage = new MemoryStorage();
  const alice = host({ storage });
  await alice.connect(port, 'Alice');
  for (const panel of alice.panels) panel.show(false);
  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'Von Bob' });
  carol.send({ type: 'send', id: 'c1', to: 'Alice', text: 'Von Carol' });
  await alice.item('Von Bob');
  await alice.item('Von Carol');
  assert.equal(alice.parts.session.totalUnread, 2);
  let cleared = false;
  alice.parts.session.onUpdate((update) => {
    if (update.type === 'conversations' && alice.parts.session.conversations().every((view) => view.unread === 0))
      cleared = true;
  });
  alice.parts.session.markAllRead();
  assert.equal(alice.parts.session.totalUnread, 0);
  assert.ok(cleared, 'the panel and the status bar hear of it');
  alice.dispose();
  const reloaded = host({ storage });
  await reloaded.connect(port, 'Alice');
  assert.deepEqual(
    reloaded.parts.session
      .conversations()
      .filter((view) => view.id !== EVERYONE)
      .map((view) => [view.label, view.unread]),
    [
      ['Carol', 0],
      ['Bob', 0],
    ],
  );
});
