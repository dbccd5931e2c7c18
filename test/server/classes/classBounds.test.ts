/**
 * Classes on one relay share its relay-wide bounds, fairly: the message ids remembered and the
 * messages kept for resumes by all classes together stay at the relay's own figures however many
 * classes there are, and a class that floods pushes out its own, never another class's. While one
 * class floods at its rate limit, every message of another class is delivered and none refused.
 * Counted through the wire: a remembered id is acknowledged again without a second delivery.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { makeClass } from '../../helpers/relay/classes';
import { FramedPeer, sleep } from '../../helpers/relay/peers';
import { UNTHROTTLED_INPUT } from '../../helpers/relay/allowances';

const relay = relaysForThisFile();
const ADMIN = 'schulhaus-admin-schluessel-7';
/** Senders may send as fast as they like: the relay-wide bounds are what is tried, not the rate. */
const FAST = { rate: { perMinute: 6_000_000, burst: 100_000 }, input: UNTHROTTLED_INPUT };

/** A class with a sender and a recipient in it; the recipient's resume token. */
async function pair(port: number, code: string): Promise<{ from: FramedPeer; to: FramedPeer; token: string }> {
  const { peer: to, answer } = await FramedPeer.hello(port, 'Rea', { class: code });
  if (answer.type !== 'welcome' || answer.resume === undefined) assert.fail(`Rea not welcomed with a token`);
  const from = await FramedPeer.connect(port, 'Sam', { class: code });
  return { from, to, token: answer.resume };
}

/** Sends messages `ids` from `from` to Rea and waits for their acknowledgements. */
async function sendAll(from: FramedPeer, ids: string[], text = (id: string) => id): Promise<string[]> {
  for (const id of ids) from.send({ type: 'send', id, to: 'Rea', text: text(id) });
  const statuses: string[] = [];
  for (const id of ids) statuses.push((await from.next('ack', (ack) => ack.id === id)).status);
  return statuses;
}

/** The messages Rea got since the last call, by text. */
function received(to: FramedPeer): string[] {
  const texts = to.frames.flatMap((frame) => (frame.type === 'message' ? [frame.text] : []));
  to.frames.length = 0;
  return texts;
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

test('message ids of many classes each sending past its share stay at the relay-wide bound', async () => {
  const { port } = await relay({ adminKey: ADMIN, relayWide: { ids: 60 }, ...FAST });
  const pairs: Array<{ from: FramedPeer; to: FramedPeer }> = [];
  for (let index = 0; index < 6; index++) pairs.push(await pair(port, (await makeClass(port, ADMIN)).code));
  for (const { from } of pairs) assert.deepEqual(new Set(await sendAll(from, ids('m', 30))), new Set(['delivered']));
  await sleep(50);
  for (const { to } of pairs) assert.equal(received(to).length, 30);

  // Resent newest first, each remembered id is acknowledged without a second delivery.
  let remembered = 0;
  for (const { from, to } of pairs) {
    await sendAll(from, ids('m', 30).reverse());
    await sleep(50);
    const again = received(to).length;
    assert.ok(again < 30, 'a class remembers its newest ids');
    remembered += 30 - again;
  }
  assert.ok(remembered <= 60, `${remembered} ids remembered by six classes, the relay-wide bound is 60`);
  assert.ok(remembered >= 40, `${remembered} ids remembered: the bound is used, not emptied`);
});

test("a class flooding message ids pushes out its own, never another class's", async () => {
  const { port } = await relay({ adminKey: ADMIN, relayWide: { ids: 100 }, ...FAST });
  const quiet = await pair(port, (await makeClass(port, ADMIN)).code);
  const flooding = await pair(port, (await makeClass(port, ADMIN)).code);
  await sendAll(quiet.from, ids('b', 20));
  await sendAll(flooding.from, ids('x', 2000));
  await sleep(50);
  received(quiet.to);
  received(flooding.to);

  assert.deepEqual(new Set(await sendAll(quiet.from, ids('b', 20))), new Set(['delivered']));
  await sendAll(flooding.from, ['x0']);
  await sleep(50);
  assert.deepEqual(received(quiet.to), [], 'every id of the quiet class is still remembered: none delivered twice');
  assert.deepEqual(received(flooding.to), ['x0'], "the flooder's oldest id was forgotten");
});

test("a class flooding messages kept for resumes gives up its own, never another class's", async () => {
  const { port } = await relay({ adminKey: ADMIN, relayWide: { resumeBytes: 200_000 }, ...FAST });
  const quietCode = (await makeClass(port, ADMIN)).code;
  const quiet = await pair(port, quietCode);
  await sendAll(quiet.from, ids('b', 20));
  const floodCode = (await makeClass(port, ADMIN)).code;
  const flood = await FramedPeer.connect(port, 'Max', { class: floodCode });
  const recipients: Array<Awaited<ReturnType<typeof FramedPeer.hello>>> = [];
  for (let index = 0; index < 4; index++)
    recipients.push(await FramedPeer.hello(port, `Leo${index}`, { class: floodCode }));
  // 600 messages of about 2 KiB kept for resumes: six times the relay-wide bound.
  for (let round = 0; round < 150; round++)
    for (let index = 0; index < 4; index++)
      flood.send({ type: 'send', id: `x${round}-${index}`, to: `Leo${index}`, text: 'x'.repeat(1000) });
  assert.equal((await flood.next('ack', (ack) => ack.id === 'x149-3')).status, 'delivered');

  quiet.to.drop();
  const back = await FramedPeer.hello(port, 'Rea', { class: quietCode, resume: quiet.token });
  assert.equal(back.answer.type === 'welcome' && back.answer.resumed, true);
  await sleep(100);
  const missed = back.peer.frames.flatMap((frame) => (frame.type === 'message' ? [frame.text] : []));
  assert.deepEqual(missed, ids('b', 20), 'the quiet class gets back every message it was handed');

  // The flooder's recipients get back its newest messages only: the class gave up its own oldest,
  // and what all of them keep (about 2,200 bytes a message as the relay counts it) fits the bound.
  let keptInAll = 0;
  for (const [index, { peer, answer }] of recipients.entries()) {
    peer.drop();
    const token = answer.type === 'welcome' ? answer.resume : undefined;
    const leo = await FramedPeer.hello(port, `Leo${index}`, { class: floodCode, resume: token });
    assert.equal(leo.answer.type === 'welcome' && leo.answer.resumed, true);
    await sleep(100);
    const kept = leo.peer.frames.filter((frame) => frame.type === 'message').map((frame) => frame.id);
    assert.ok(!kept.includes(`x0-${index}`), `Leo${index}'s oldest went`);
    keptInAll += kept.length;
  }
  assert.ok(keptInAll > 0, 'the newest are kept');
  assert.ok(keptInAll * 2200 <= 200_000, `${keptInAll} messages kept for the flooding class`);
});

test('while one class floods from many clients, every message of another class is delivered and none refused', async () => {
  const { port } = await relay({ adminKey: ADMIN, ...FAST });
  const floodCode = (await makeClass(port, ADMIN)).code;
  const quietCode = (await makeClass(port, ADMIN)).code;
  const sink = await FramedPeer.connect(port, 'Rea', { class: floodCode, from: '127.0.1.1' });
  const flooders: FramedPeer[] = [];
  for (let index = 0; index < 8; index++)
    flooders.push(await FramedPeer.connect(port, `Max${index}`, { class: floodCode, from: `127.0.1.${index + 2}` }));
  const quiet: Array<{ from: FramedPeer; to: FramedPeer; index: number }> = [];
  for (let index = 0; index < 2; index++) {
    const to = await FramedPeer.connect(port, `Bea${index}`, { class: quietCode, from: '127.0.2.1' });
    const from = await FramedPeer.connect(port, `Ben${index}`, { class: quietCode, from: '127.0.2.2' });
    quiet.push({ from, to, index });
  }
  let flooding = true;
  let flooded = 0;
  const flood = (async () => {
    while (flooding) {
      for (const [index, peer] of flooders.entries())
        for (let burst = 0; burst < 50; burst++)
          peer.send({ type: 'send', id: `x${index}-${flooded + burst}`, to: 'Rea', text: 'x'.repeat(200) });
      flooded += 50;
      await sleep(1);
    }
  })();

  // A closed loop of each quiet pair: the next message once the last was acknowledged.
  const statuses = await Promise.all(
    quiet.map(async ({ from, index }) => {
      const seen: string[] = [];
      for (let round = 0; round < 100; round++) {
        from.send({ type: 'send', id: `b${round}`, to: `Bea${index}`, text: `Nachricht ${round}` });
        seen.push((await from.next('ack', (ack) => ack.id === `b${round}`, 20_000)).status);
      }
      return seen;
    }),
  );
  flooding = false;
  await flood;
  await sleep(100);
  assert.ok(flooded >= 1000, `the flood was real: ${flooded * flooders.length} messages sent`);
  assert.ok(sink.frames.length > 0, 'the flooded class got messages');
  for (const [index, seen] of statuses.entries()) {
    assert.deepEqual(new Set(seen), new Set(['delivered']), `Ben${index}: none refused`);
    const texts = quiet[index]!.to.frames.flatMap((frame) => (frame.type === 'message' ? [frame.text] : []));
    assert.deepEqual(texts, ids('Nachricht ', 100), `Bea${index} got every message once, in order`);
  }
});
