/**
 * What a teacher is asked and told around a hint and a key: Broadcast Hint shows what it sends and
 * to how many students before it goes, a hint to an empty class says that the relay keeps it for
 * those who join, and Enter Teacher Key asks for the server under its own title. Pure wording, and
 * the flows through the extension's parts with a real relay over real TCP.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { hintConfirmation, keptForLateJoiners } from '../../../src/extension/chat/hintConfirmation';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { FramedPeer } from '../../helpers/relay/peers';
import { english, german, hostsForThisFile } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const peers: FramedPeer[] = [];
after(async () => {
  for (const peer of peers) await peer.close();
});
const KEY = 'kreide-tafel-schwamm-42';

test('the question before a hint names the students online, or says nobody is and that the relay keeps it; it shows the first lines and counts the rest', () => {
  const text = Array.from({ length: 9 }, (_, index) => `Zeile ${index + 1}`).join('\n');
  assert.deepEqual(hintConfirmation({ kind: 'text', text }, 27, english), {
    message: 'Send this hint to the class (27 students online)?',
    detail: 'Zeile 1\nZeile 2\nZeile 3\nZeile 4\nZeile 5\nZeile 6\n… and 3 more lines',
    send: 'Send Hint',
  });
  assert.equal(
    hintConfirmation({ kind: 'text', text: 'Tipp' }, 1, english).message,
    'Send this hint to the class (1 student online)?',
  );
  assert.deepEqual(hintConfirmation({ kind: 'text', text: 'Tipp' }, 0, german), {
    message:
      'Niemand ist online: Diesen Hinweis trotzdem senden? Das Relay behält ihn für alle, die später dazukommen, und gibt ihn ihnen.',
    detail: 'Tipp',
    send: 'Hinweis senden',
  });
  const long = 'x'.repeat(500);
  const snippet = { code: `${long}\nprint(1)`, language: 'python' };
  assert.equal(
    hintConfirmation({ kind: 'snippet', snippet }, 3, english).detail,
    `python code, 2 lines:\n${'x'.repeat(99)}…\nprint(1)`,
  );
  assert.equal(
    keptForLateJoiners(german),
    'Niemand ist online: Der Hinweis wird für alle behalten, die später dazukommen; sie erhalten ihn beim Verbinden.',
  );
});

test('Broadcast Hint to an empty class asks saying nobody is online, and once sent shows it kept for students who join, not delivered; a student who joins gets it; declined, nothing goes out; with a student online it is delivered', async () => {
  const { port } = await relay({ teacherKey: KEY, rosterMs: 50 });
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);

  keller.person.answer('text', 'Erst nachdenken');
  await keller.parts.send.broadcastHint();
  assert.equal(keller.person.shown.at(-1)?.level, 'confirm');
  assert.equal(keller.parts.session.items.length, 0, 'declined: nothing sent');

  keller.person.answer('text', 'Tipp: recv liefert Bytes.');
  keller.person.reply(/^Nobody is online: send this hint anyway\?/, 'Send Hint');
  await keller.parts.send.broadcastHint();
  await keller.item('Tipp: recv liefert Bytes.', (item) => item.delivery === 'kept');
  await keller.until(
    () =>
      keller.person.shown.find(
        (shown) =>
          shown.message === 'Nobody is online: the hint is kept for students who join, who get it when they connect.',
      ),
    'the teacher told the hint is kept',
  );
  const mia = await FramedPeer.connect(port, 'Mia');
  peers.push(mia);
  const earlier = await mia.next('broadcast');
  assert.deepEqual([earlier.text, earlier.earlier], ['Tipp: recv liefert Bytes.', true]);

  keller.person.answer('text', 'Tipp: sendall schickt alles.');
  keller.person.reply(/^Send this hint to the class/, 'Send Hint');
  await keller.until(() => keller.parts.classroom.roster?.total === 1 || undefined, 'Mia in the roster');
  await keller.parts.send.broadcastHint();
  await keller.item('Tipp: sendall schickt alles.', (item) => item.delivery === 'delivered');
});

test("Enter Teacher Key asks for the server under its own title, not Connect's; Forget Teacher Key too", async () => {
  const keller = host();
  await keller.parts.keys.enter();
  assert.deepEqual(keller.person.asked.at(-1), { kind: 'server', args: [[], undefined, 'Relay: Enter Teacher Key'] });
  await keller.parts.keys.forget();
  assert.deepEqual(keller.person.asked.at(-1), { kind: 'server', args: [[], undefined, 'Relay: Forget Teacher Key'] });
});
