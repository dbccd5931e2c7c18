/**
 * Exactly once under pressure: a message the relay refused is never delivered later, and a
 * sender's recent ids stay remembered whatever other hosts send, so a resend after a resume is
 * acknowledged, not delivered twice. 127.0.0.x addresses play other hosts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer, sleep } from '../helpers/relay/peers';
import { framesOf, helloFrom, sendFrom } from '../helpers/relay/hosts';
import { eventually } from '../helpers/time/wait';
import type { ServerFrame } from '../../src/protocol/frames';
import { RecentIds } from '../../src/server/routing/recentIds';

const relay = relaysForThisFile();

const welcomeToken = (answer: ServerFrame): string => {
  assert.equal(answer.type, 'welcome', JSON.stringify(answer));
  return answer.type === 'welcome' ? answer.resume! : '';
};

/** Bob sends Alice 40 KB snippets while her connection reads nothing, until nine are refused `recipient-busy`. */
async function fillSleepingRecipient(port: number) {
  const bob = await FramedPeer.connect(port, 'Bob');
  const alice = await helloFrom(port, '127.0.0.1', 'Alice');
  const token = welcomeToken(alice.answer);
  alice.peer.socket.pause();
  const code = 'x'.repeat(40_000);
  const delivered: string[] = [];
  const refused: string[] = [];
  for (let index = 0; index < 2000 && refused.length < 9; index++) {
    bob.send({ type: 'snippet', id: `s${index}`, to: 'Alice', snippet: { language: 'text', code } });
    const ack = await bob.next('ack');
    if (ack.status === 'delivered') delivered.push(ack.id);
    else {
      assert.equal(ack.reason, 'recipient-busy');
      refused.push(ack.id);
    }
  }
  assert.equal(refused.length, 9);
  return { alice, token, delivered, refused };
}

const snippetsOf = (frames: ServerFrame[]) =>
  frames.filter((frame): frame is Extract<ServerFrame, { type: 'snippet' }> => frame.type === 'snippet');

async function resumeAlice(port: number, token: string, lastSeq: number): Promise<FramedPeer> {
  const back = await FramedPeer.connect(port);
  back.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Alice', resume: { token, lastSeq } });
  assert.equal((await back.next('welcome')).resumed, true);
  return back;
}

const RELAY = {
  rate: { perMinute: 60_000, burst: 2000 },
  output: { messageBytes: 64 * 1024, headroomBytes: 64 * 1024 },
  resume: { bytes: 16 * 1024 * 1024, messages: 1000 },
};

test('a message refused recipient-busy is never delivered, also not when the recipient resumes', async () => {
  const { port } = await relay(RELAY);
  const { alice, token, delivered } = await fillSleepingRecipient(port);
  // Alice wakes up, reads what was handed to her connection, and then it dies.
  alice.peer.socket.resume();
  await eventually(
    () => snippetsOf(framesOf(alice.peer)).length === delivered.length,
    () => `${snippetsOf(framesOf(alice.peer)).length} of ${delivered.length} snippets`,
  );
  const read = snippetsOf(framesOf(alice.peer));
  assert.deepEqual(
    read.map((frame) => frame.id),
    delivered,
  );
  alice.peer.close();
  const back = await resumeAlice(port, token, read.at(-1)!.seq!);
  await sleep(300);
  assert.deepEqual(
    snippetsOf(back.frames).map((frame) => frame.id),
    [],
    'nothing after what she read: the refused messages were never kept',
  );
});

test('a resumed client that missed more than its output takes gets all of it, in order, numbered without gaps', async () => {
  const { port } = await relay(RELAY);
  const { alice, token, delivered } = await fillSleepingRecipient(port);
  alice.peer.close();
  const back = await resumeAlice(port, token, 0);
  await eventually(
    () => snippetsOf(back.frames).length >= delivered.length,
    () => `${snippetsOf(back.frames).length} of ${delivered.length} snippets`,
  );
  await sleep(200);
  assert.deepEqual(
    snippetsOf(back.frames).map((frame) => frame.id),
    delivered,
    'each message acknowledged as delivered, once, in order',
  );
  assert.deepEqual(
    snippetsOf(back.frames).map((frame) => frame.seq),
    delivered.map((_, index) => index + 1),
    'refused messages take no number',
  );
});

/** Names from `hosts` addresses each register, send one message to Bob and leave: filling the id memory. */
async function fillIdMemory(port: number, hosts: string[], round: string): Promise<void> {
  for (const host of hosts)
    for (let index = 0; index < 8; index++) {
      const churn = await helloFrom(port, host, `Fuell ${host} ${round} ${index}`);
      await sendFrom(churn.peer, { type: 'send', id: 'x', to: 'Bob', text: '.' });
      churn.peer.close();
    }
}

async function resumeAndResend(port: number, from: string, filling: () => Promise<void>): Promise<void> {
  const bob = await FramedPeer.connect(port, 'Bob');
  await filling();
  const newcomer = await helloFrom(port, from, 'Neu');
  const token = welcomeToken(newcomer.answer);
  const first = await sendFrom(newcomer.peer, { type: 'send', id: 'wichtig', to: 'Bob', text: 'einmal' });
  assert.equal(first.type === 'ack' && first.status, 'delivered');
  // The acknowledgement is lost with the connection; meanwhile others fill the memory again.
  newcomer.peer.close();
  await filling();
  const back = await helloFrom(port, from, 'Neu', { token, lastSeq: 0 });
  assert.equal(back.answer.type === 'welcome' && back.answer.resumed, true, JSON.stringify(back.answer));
  const again = await sendFrom(back.peer, { type: 'send', id: 'wichtig', to: 'Bob', text: 'einmal' });
  assert.deepEqual(again, { type: 'ack', id: 'wichtig', status: 'delivered', duplicate: true });
  await sleep(100);
  assert.equal(bob.frames.filter((frame) => frame.type === 'message' && frame.text === 'einmal').length, 1);
  assert.ok(framesOf(back.peer).every((frame) => frame.type !== 'error'));
}

test("a sender's recent ids are not pushed out by eleven other hosts: a newcomer's resend after a resume is a duplicate", async () => {
  const { port } = await relay({ ids: { perSender: 4, perAddress: 6, total: 20 } });
  const hosts = Array.from({ length: 11 }, (_, index) => `127.0.0.${20 + index}`);
  let round = 0;
  await resumeAndResend(port, '127.0.0.2', () => fillIdMemory(port, hosts, `${round++}`));
});

test("a sender's recent ids are not pushed out by classmates behind the same address who come and go", async () => {
  const { port } = await relay({ ids: { perSender: 4, perAddress: 6, total: 20 } });
  let round = 0;
  await resumeAndResend(port, '127.0.0.3', () => fillIdMemory(port, ['127.0.0.3'], `${round++}`));
});

test('the id memory makes room from who holds the most: the biggest address, there first senders no longer present', () => {
  const present = new Set(['anna']);
  const ids = new RecentIds<string>(
    { perSender: 10, perAddress: 6, ttlMs: 60_000, total: 10 },
    () => 0,
    (sender) => present.has(sender),
  );
  ids.remember('anna', '10.0.0.1', 'a1', 'von Anna');
  ids.remember('anna', '10.0.0.1', 'a2', 'von Anna');
  for (let index = 0; index < 10; index++) ids.remember(`weg${index}`, '10.0.0.1', 'x', `#${index}`);
  // Over its share, the address gave up the ids of senders who left, not Anna's older ones.
  assert.equal(ids.get('anna', 'a1'), 'von Anna');
  assert.equal(ids.get('weg0', 'x'), undefined);
  assert.equal(ids.get('weg9', 'x'), '#9');
  for (let index = 0; index < 4; index++) ids.remember('carl', '10.0.0.2', `c${index}`, `#${index}`);
  assert.equal(ids.size, 10);
  // Full: a newcomer is remembered, and the address holding the most (10.0.0.1) gives way.
  ids.remember('dora', '10.0.0.3', 'd1', 'von Dora');
  assert.equal(ids.get('dora', 'd1'), 'von Dora');
  assert.deepEqual(
    [0, 1, 2, 3].map((index) => ids.get('carl', `c${index}`)),
    ['#0', '#1', '#2', '#3'],
  );
  assert.equal(ids.get('anna', 'a1'), 'von Anna');
  assert.ok(ids.size <= 10);
});

test('senders present keep their ids past their address share; the bound in all still holds', () => {
  const ids = new RecentIds<string>(
    { perSender: 10, perAddress: 4, ttlMs: 60_000, total: 12 },
    () => 0,
    () => true,
  );
  for (let sender = 0; sender < 4; sender++)
    for (let index = 0; index < 2; index++) ids.remember(`s${sender}`, '10.0.0.1', `m${index}`, `${sender}/${index}`);
  assert.equal(ids.size, 8, 'over the share of 4: everyone is present');
  assert.equal(ids.get('s0', 'm0'), '0/0');
  for (let index = 0; index < 6; index++) ids.remember('s4', '10.0.0.1', `m${index}`, `4/${index}`);
  assert.equal(ids.size, 12);
  // Past the bound in all the sender holding the most there gives way first.
  assert.equal(ids.get('s4', 'm0'), undefined);
  assert.equal(ids.get('s4', 'm5'), '4/5');
  assert.equal(ids.get('s0', 'm0'), '0/0');
});
