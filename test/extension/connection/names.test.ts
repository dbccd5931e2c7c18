/**
 * Names as our relay tells them apart: it folds case and look-alikes, and so does the chat.
 * Escape cancels Broadcast Hint. The relay runs in the test; real TCP. A course server's names,
 * kept exactly as written, are in names.int.test.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVERYONE } from '../../../src/protocol/panel';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { hostsForThisFile, type ExtensionHost } from '../../helpers/extension/parts';
import { coursePeer, FramedPeer } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const peers: Array<{ close(): unknown }> = [];
after(() => peers.forEach((peer) => peer.close()));

const peerViews = (alice: ExtensionHost) => alice.parts.session.conversations().filter((view) => view.id !== EVERYONE);

test('on our relay, which folds case and look-alikes, a message to "B0b" is in Bob\'s conversation, under Bob\'s name', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  peers.push(bob);
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.parts.session.sendText('B0b', 'Hallo');
  await bob.next('message', (frame) => frame.text === 'Hallo');
  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'Hallo zurück' });
  await alice.item('Hallo zurück');
  assert.deepEqual(
    peerViews(alice).map((view) => view.label),
    ['Bob'],
    'one conversation, named as the relay names Bob',
  );
  const [mine, theirs] = alice.parts.session.items;
  assert.equal(mine?.conversation, theirs?.conversation);
});

test('on a server speaking the course dialect, Escape in the pick of Broadcast Hint cancels it: no input box opens, nothing is sent', async () => {
  const { port, relay: server } = await relay();
  const bob = await coursePeer(port, 'Bob');
  peers.push(bob);
  const alice = host({ settings: { dialect: 'course' } });
  await alice.connect(port, 'Alice');
  await eventually(
    () => server.online.includes('Alice'),
    () => 'Alice registered',
  );
  bob.write('Alice:Hallo von Bob');
  await alice.item('Hallo von Bob');
  const asked = alice.person.asked.length;
  alice.person.answer('text', 'Tipp für alle').answer('pickMany', undefined);
  await alice.parts.send.broadcastHint();
  assert.deepEqual(
    alice.person.asked.slice(asked).map((prompt) => prompt.kind),
    ['text', 'pickMany'],
  );
  assert.deepEqual(
    alice.parts.session.items.map((item) => item.direction),
    ['in'],
    'nothing was sent',
  );
});
