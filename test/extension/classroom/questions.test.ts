/**
 * The teacher's questions inbox through the extension's parts, with a real relay over real TCP:
 * hands raised by a framed student and a course client, lowered by the teacher or answered by a
 * reply, direct messages from students, the notification of a hand while the chat is out of view.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { inboxNodes } from '../../../src/extension/classroom/questionsTree';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { coursePeer, FramedPeer, type RawPeer } from '../../helpers/relay/peers';
import { english, hostsForThisFile, type ExtensionHost } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const peers: Array<FramedPeer | RawPeer> = [];
after(async () => {
  for (const peer of peers) await peer.close();
});

const KEY = 'kreide-tafel-schwamm-42';

async function framed(port: number, name: string): Promise<FramedPeer> {
  const peer = await FramedPeer.connect(port, name);
  peers.push(peer);
  return peer;
}

/** The questions as the inbox lists them: name, kind, text and how answered, once `check` holds. */
function questions(
  teacher: ExtensionHost,
  check: (rows: Array<[string, string, string | undefined, string | undefined]>) => boolean,
  what: string,
) {
  return teacher.until(() => {
    const rows = teacher.parts.questions
      .list()
      .map((question) => [question.name, question.kind, question.text, question.answered?.how] as const)
      .map((row) => [...row] as [string, string, string | undefined, string | undefined]);
    return check(rows) ? rows : undefined;
  }, what);
}

test('hands raised by a framed student and a course client show in the inbox with their questions; the teacher lowers one and it stays, answered; a DM from a student is a question until the teacher replies', async () => {
  const { port } = await relay({ teacherKey: KEY, rosterMs: 50 });
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  const mia = await framed(port, 'Mia');
  const carol = await coursePeer(port, 'Carol', true);
  peers.push(carol);
  mia.send({ type: 'hand', id: 'h1', up: true, question: 'Warum kommt nur ein Teil an?' });
  await questions(keller, (rows) => rows.length === 1, "Mia's hand");
  carol.write('!hand Was macht recv genau?\n');
  const raised = await questions(keller, (rows) => rows.length === 2, "Carol's hand too");
  assert.deepEqual(raised, [
    ['Mia', 'hand', 'Warum kommt nur ein Teil an?', undefined],
    ['Carol', 'hand', 'Was macht recv genau?', undefined],
  ]);

  await keller.parts.classroom.lowerHandOf('Mia');
  await keller.until(() => !keller.parts.classroom.roster?.entries.find((entry) => entry.name === 'Mia')?.hand, 'down');
  assert.deepEqual(
    await questions(keller, (rows) => rows.some((row) => row[3] === 'lowered-by-teacher'), "Mia's answered"),
    [
      ['Carol', 'hand', 'Was macht recv genau?', undefined],
      ['Mia', 'hand', 'Warum kommt nur ein Teil an?', 'lowered-by-teacher'],
    ],
  );

  mia.send({ type: 'send', id: 'd1', to: 'Frau Keller', text: 'Ist Port 80 erlaubt?' });
  const withMessage = await questions(keller, (rows) => rows.length === 3, 'three questions');
  assert.deepEqual(
    withMessage.map((row) => [row[0], row[1], row[3]]),
    [
      ['Carol', 'hand', undefined],
      ['Mia', 'message', undefined],
      ['Mia', 'hand', 'lowered-by-teacher'],
    ],
  );
  const open = inboxNodes(keller.parts.questions.list(), new Date(), english);
  assert.deepEqual(
    open.map((node) => node.label),
    ['Carol', 'Mia', 'Answered (1)'],
  );

  keller.parts.session.sendText('Mia', 'Nein, nimm 8080.');
  const replied = await questions(keller, (rows) => rows.filter((row) => row[3]).length === 2, 'the reply answers');
  assert.deepEqual(
    replied.map((row) => [row[0], row[1], row[3]]),
    [
      ['Carol', 'hand', undefined],
      ['Mia', 'message', 'replied'],
      ['Mia', 'hand', 'lowered-by-teacher'],
    ],
  );

  // Opening a question opens its conversation in the chat.
  const carolsId = keller.parts.questions.list()[0]!.id;
  keller.parts.questions.open(carolsId);
  await keller.until(
    () => keller.panel?.posts.some((post) => post.type === 'focus' && post.conversation.toLowerCase() === 'carol'),
    "Carol's conversation opened",
  );
  keller.parts.questions.markAnswered(carolsId);
  assert.equal(keller.parts.questions.inbox.openCount, 0);
});

test('a hand that goes up while the chat is out of view is a notification with the name and the question, and its action opens the conversation; with relay.notifications off there is none', async () => {
  const { port } = await relay({ teacherKey: KEY, rosterMs: 50 });
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  keller.panel!.show(false);
  keller.person.reply(/raised their hand/, 'Open Conversation');
  const noah = await framed(port, 'Noah');
  noah.send({ type: 'hand', id: 'h1', up: true, question: 'Wo ist der Fehler?' });
  const shown = await keller.until(
    () => keller.person.shown.find((notice) => notice.message.includes('raised their hand')),
    'the notification',
  );
  assert.deepEqual(shown, {
    level: 'info',
    message: 'Noah raised their hand: Wo ist der Fehler?',
    actions: ['Open Conversation'],
  });
  await keller.until(
    () => keller.panel?.posts.some((post) => post.type === 'focus' && post.conversation.toLowerCase() === 'noah'),
    "Noah's conversation opened",
  );

  const quiet = host({ settings: { notifications: 'off' } });
  await quiet.connectAsTeacher(port, 'Herr Huber', KEY);
  quiet.panel!.show(false);
  const lea = await framed(port, 'Lea');
  lea.send({ type: 'hand', id: 'h2', up: true, question: 'Und jetzt?' });
  await questions(quiet, (rows) => rows.some((row) => row[0] === 'Lea'), "Lea's hand in the inbox");
  assert.ok(!quiet.person.shown.some((notice) => notice.message.includes('raised their hand')));
});
