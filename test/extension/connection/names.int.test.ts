/**
 * Names on a course server, which matches them exactly: each peer's name is kept as written
 * (after a reload too) and "Bob" and "bob" are two people. Broadcast Hint there, which has no
 * broadcast, still goes to each classmate picked while reconnecting. The course server is the
 * Python re-creation; real TCP. Our relay's side is in names.test.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVERYONE } from '../../../src/protocol/panel';
import { hostsForThisFile, MemoryStorage, type ExtensionHost } from '../../helpers/extension/parts';
import { coursePeer, type RawPeer } from '../../helpers/relay/peers';
import { courseServer, stopAll, type Child } from '../../helpers/process/processes';
import { eventually } from '../../helpers/time/wait';

const host = hostsForThisFile(after);
after(stopAll);
const peers: Array<{ close(): unknown }> = [];
after(() => peers.forEach((peer) => peer.close()));

async function courseMate(server: { child: Child; port: number }, name: string): Promise<RawPeer> {
  const peer = await coursePeer(server.port, name);
  peers.push(peer);
  await server.child.waitFor(`'${name}' verbunden`);
  return peer;
}

async function courseConnect(
  someone: ExtensionHost,
  server: { child: Child; port: number },
  name = 'Alice',
): Promise<void> {
  await someone.connect(server.port, name);
  await server.child.waitFor(`'${name}' verbunden`);
}

const peerViews = (alice: ExtensionHost) => alice.parts.session.conversations().filter((view) => view.id !== EVERYONE);

test('after a reload, a reply on a course server goes to the name as written: Bob, not bob', async () => {
  const course = await courseServer('course_server.py');
  const bob = await courseMate(course, 'Bob');
  const storage = new MemoryStorage();
  const alice = host({ storage, settings: { dialect: 'course' } });
  await courseConnect(alice, course);
  alice.parts.session.sendText('Bob', 'Hallo Bob');
  await bob.waitFor('Alice: Hallo Bob');
  await alice.item('Hallo Bob', (item) => item.delivery === 'sent');
  alice.dispose();

  const reloaded = host({ storage, settings: { dialect: 'course' } });
  await reloaded.connect(course.port, 'Alice');
  await eventually(
    () => course.child.stdout.split("'Alice' verbunden").length === 3,
    () => 'Alice registered again',
  );
  const [conversation] = peerViews(reloaded);
  assert.deepEqual([conversation?.id, conversation?.label], ['Bob', 'Bob']);
  await reloaded.parts.send.sendFromPanel(conversation!.id, 'Antwort nach dem Neuladen');
  await bob.waitFor('Alice: Antwort nach dem Neuladen');
  const reply = await reloaded.item('Antwort nach dem Neuladen', (item) => item.delivery !== 'pending');
  assert.deepEqual([reply.delivery, reply.failure], ['sent', undefined]);
});

test('on a course server, which matches names exactly, Bob and bob are two conversations, and each reply reaches the one it answers', async () => {
  const course = await courseServer('course_server.py');
  const upper = await courseMate(course, 'Bob');
  const lower = await courseMate(course, 'bob');
  const alice = host({ settings: { dialect: 'course' } });
  await courseConnect(alice, course);
  upper.write('Alice:Ich bin Bob');
  await alice.item('Ich bin Bob');
  lower.write('Alice:ich bin bob');
  await alice.item('ich bin bob');
  assert.deepEqual(
    peerViews(alice)
      .map((view) => [view.id, view.label])
      .sort(),
    [
      ['Bob', 'Bob'],
      ['bob', 'bob'],
    ],
  );
  await alice.parts.send.sendFromPanel('bob', 'Antwort an bob');
  await alice.parts.send.sendFromPanel('Bob', 'Antwort an Bob');
  await lower.waitFor('Alice: Antwort an bob');
  await upper.waitFor('Alice: Antwort an Bob');
  assert.doesNotMatch(upper.text, /Antwort an bob/);
  assert.doesNotMatch(lower.text, /Antwort an Bob/);
  alice.editors.current = { text: 'x = 1', languageId: 'python', path: 'a.py', startLine: 1, endLine: 1 };
  alice.person.answer('peer', 'Bob');
  await alice.parts.snippets.sendSelection();
  const shown = alice.panel?.posts.filter((post) => post.type === 'focus').at(-1);
  assert.equal(
    shown?.type === 'focus' && shown.conversation,
    'Bob',
    "Send Selection to Bob shows Bob's conversation, not bob's",
  );
});

test('while reconnecting to a course server, Broadcast Hint sends to each classmate picked, not to a broadcast the server cannot do', async () => {
  const course = await courseServer('course_server.py');
  const erik = await courseMate(course, 'Erik');
  const dana = host({ settings: { dialect: 'auto' } });
  await courseConnect(dana, course, 'Dana');
  assert.equal(dana.parts.lifecycle.state.kind === 'connected' && dana.parts.lifecycle.state.dialect, 'course');
  erik.write('Dana:Hallo Dana');
  await dana.item('Hallo Dana');
  await course.child.stop();
  await dana.until(() => dana.parts.lifecycle.state.kind === 'waiting' || undefined, 'reconnecting');
  dana.person.answer('text', 'Tipp: recv in einer Schleife').answer('pickMany', ['Erik']);
  await dana.parts.send.broadcastHint();
  assert.deepEqual(dana.person.asked.at(-1), {
    kind: 'pickMany',
    args: [['Erik'], 'Relay: Broadcast Hint', 'This server cannot broadcast: send the hint to each of these'],
  });
  const hint = await dana.item('Tipp: recv in einer Schleife');
  assert.deepEqual(
    [hint.conversation, hint.delivery],
    ['Erik', 'pending'],
    'a message to Erik, waiting for the server to be back',
  );
});
